//! Remote upload: `remote/request.cgi`, `remote/ls.cgi`, `remote/info.cgi`, and the
//! background fetch that really downloads each URL (loopback URLs only, at every redirect
//! hop, and no more than `remote_max_bytes` of each).

use std::sync::Arc;

use axum::http::StatusCode;
use futures_util::StreamExt;
use serde_json::{Map, Value, json};
use tokio::io::AsyncWriteExt;

use crate::Inner;
use crate::params::{Caller, Ko, opt_int, str_list};
use crate::state::new_stored_file;
use crate::state::{self, Blob, RemoteJob, RemoteResult};

/// `execution_date` of a job that has not run yet (protocol §11).
const NOT_RUN_DATE: &str = "1970-01-01 00:00:00";
const MAX_URLS: usize = 100;

/// `headers` comes either as an object or as `"Name: value"` strings (protocol §11).
fn parse_headers(v: Option<&Value>) -> Result<Vec<(String, String)>, Ko> {
    let bad = || Ko::new(StatusCode::BAD_REQUEST, "Invalid parameter: headers", 602);
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| {
                v.as_str()
                    .map(|s| (k.clone(), s.to_string()))
                    .ok_or_else(bad)
            })
            .collect(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .and_then(|s| s.split_once(':'))
                    .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                    .ok_or_else(bad)
            })
            .collect(),
        Some(Value::String(s)) if s.is_empty() => Ok(Vec::new()),
        Some(_) => Err(bad()),
    }
}

pub(crate) fn request(st: &Arc<Inner>, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    if !c.offer.is_customer() {
        return Err(Ko::new(
            StatusCode::FORBIDDEN,
            "Must be a customer (Premium, Access)",
            236,
        ));
    }
    let urls = str_list(p, "urls")?;
    if urls.len() > MAX_URLS {
        return Err(Ko::new(
            StatusCode::FORBIDDEN,
            "Too many URLs: at most 100 per request",
            603,
        ));
    }
    let headers = parse_headers(p.get("headers"))?;
    let folder_id = opt_int(p, "folder_id")?.unwrap_or(0);
    let mut w = st.shared.world();
    if !w.owns_folder(c.account, folder_id) {
        return Err(Ko::new(StatusCode::NOT_FOUND, "Resource not found", 469));
    }
    let id = w.next_job_id;
    w.next_job_id += 1;
    let date = state::now_paris();
    w.jobs.push(RemoteJob {
        id,
        owner: c.account,
        request_date: date.clone(),
        execution_date: None,
        urls: urls.clone(),
        headers: headers.clone(),
        folder_id,
        result: Vec::new(),
    });
    drop(w);
    let st2 = st.clone();
    tokio::spawn(async move {
        tokio::time::sleep(st2.config.remote_delay).await;
        run_job(&st2, id).await;
    });
    let headers_obj: Map<String, Value> = headers.into_iter().map(|(k, v)| (k, json!(v))).collect();
    Ok(json!({"status": "OK", "id": id, "date": date, "urls": urls, "headers": headers_obj}))
}

pub(crate) fn list(st: &Inner, c: &Caller) -> Result<Value, Ko> {
    let w = st.shared.world();
    let data: Vec<Value> = w
        .jobs
        .iter()
        .filter(|j| j.owner == c.account)
        .map(|j| {
            json!({
                "id": j.id,
                "request_date": j.request_date,
                "execution_date": j.execution_date.as_deref().unwrap_or(NOT_RUN_DATE),
            })
        })
        .collect();
    Ok(json!({"status": "OK", "data": data}))
}

pub(crate) fn info(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let id = opt_int(p, "id")?
        .ok_or_else(|| Ko::new(StatusCode::BAD_REQUEST, "Invalid parameter: id", 602))?;
    let w = st.shared.world();
    let j = w
        .jobs
        .iter()
        .find(|j| j.id == id && j.owner == c.account)
        .ok_or_else(|| Ko::new(StatusCode::NOT_FOUND, "Resource not found", 469))?;
    Ok(json!({
        "status": "OK",
        "id": j.id,
        "request_date": j.request_date,
        "execution_date": j.execution_date.as_deref().unwrap_or(NOT_RUN_DATE),
        "links": j.urls,
        "result": j.result,
    }))
}

/// Redirects a fetch follows before giving up.
const MAX_REDIRECTS: usize = 5;

/// Why a redirect was not followed; found again in the fetch's error chain.
#[derive(Debug)]
struct RedirectRefused(String);

impl std::fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RedirectRefused {}

/// The client remote uploads fetch with: no proxy, and every redirect hop held to the
/// same rule as the first URL (http or https, loopback host), so a loopback page cannot
/// send the emulator elsewhere.
pub(crate) fn fetch_client() -> reqwest::Result<reqwest::Client> {
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        if attempt.previous().len() > MAX_REDIRECTS {
            let msg = format!("more than {MAX_REDIRECTS} redirects");
            return attempt.error(RedirectRefused(msg));
        }
        match fetchable(attempt.url()) {
            Ok(()) => attempt.follow(),
            Err(why) => {
                let msg = format!("redirect to {} refused: {why}", attempt.url());
                attempt.error(RedirectRefused(msg))
            }
        }
    });
    reqwest::Client::builder()
        .no_proxy()
        .redirect(policy)
        .build()
}

/// Whether the emulator may fetch `url`; `Err` says why not.
fn fetchable(url: &reqwest::Url) -> Result<(), &'static str> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err("Only http and https URLs can be fetched");
    }
    if !is_loopback(url) {
        return Err("This emulator only fetches loopback URLs");
    }
    Ok(())
}

/// The message for a failed request: the refused redirect when there was one.
fn request_failure(e: &reqwest::Error) -> String {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(r) = s.downcast_ref::<RedirectRefused>() {
            return format!("Download failed: {r}");
        }
        source = s.source();
    }
    format!("Download failed: {e}")
}

/// Only loopback hosts: the emulator never reaches out beyond this machine.
fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(a)) => a.is_loopback(),
        Some(url::Host::Ipv6(a)) => a.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

async fn run_job(st: &Arc<Inner>, id: i64) {
    let (owner, folder_id, urls, headers) = {
        let w = st.shared.world();
        let Some(j) = w.jobs.iter().find(|j| j.id == id) else {
            return;
        };
        (j.owner, j.folder_id, j.urls.clone(), j.headers.clone())
    };
    let mut results = Vec::new();
    for url in urls {
        let r = match fetch_one(st, &url, &headers).await {
            Ok((name, blob)) => {
                let mut w = st.shared.world();
                let folder = if w.owns_folder(owner, folder_id) {
                    folder_id
                } else {
                    0
                };
                let f = new_stored_file(&w, Some(owner), folder, name, blob, None);
                let link = format!("{}/?{}", st.base_url, f.id);
                w.insert_file(f);
                RemoteResult {
                    status: "OK".into(),
                    url: url.clone(),
                    download_link: link,
                    message: String::new(),
                }
            }
            Err(message) => RemoteResult {
                status: "KO".into(),
                url: url.clone(),
                download_link: String::new(),
                message,
            },
        };
        results.push(r);
    }
    let mut w = st.shared.world();
    if let Some(j) = w.jobs.iter_mut().find(|j| j.id == id) {
        j.result = results;
        j.execution_date = Some(state::now_paris());
    }
}

async fn fetch_one(
    st: &Inner,
    url: &str,
    headers: &[(String, String)],
) -> Result<(String, Arc<Blob>), String> {
    let parsed = reqwest::Url::parse(url).map_err(|_| "Invalid URL".to_string())?;
    fetchable(&parsed)?;
    let mut req = st.http.get(parsed);
    for (k, v) in headers {
        req = req.header(k.as_str(), v.as_str());
    }
    let resp = req.send().await.map_err(|e| request_failure(&e))?;
    if !resp.status().is_success() {
        return Err(format!("Download failed: HTTP {}", resp.status().as_u16()));
    }
    let cap = st.config.remote_max_bytes;
    let too_large = || format!("File too large: remote upload stops at {cap} bytes");
    if resp.content_length().is_some_and(|n| n > cap) {
        return Err(too_large());
    }
    let name = resp
        .headers()
        .get(reqwest::header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .and_then(disposition_name)
        .or_else(|| {
            // The URL the body came from, after any redirect.
            resp.url()
                .path_segments()
                .and_then(|mut s| s.next_back().map(str::to_string))
                .filter(|s| !s.is_empty())
                .map(|s| {
                    percent_encoding::percent_decode_str(&s)
                        .decode_utf8_lossy()
                        .into_owned()
                })
        })
        .unwrap_or_else(|| "download".to_string());
    let name: String = name
        .chars()
        .map(|c| {
            if state::FORBIDDEN_CHARS.contains(&c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let path = st.shared.new_blob_path();
    let mut out = tokio::fs::File::create(&path)
        .await
        .map_err(|e| format!("Storage error: {e}"))?;
    let mut size = 0u64;
    let mut body = resp.bytes_stream();
    // Streamed to disk piece by piece: memory holds one piece, the disk at most `cap`.
    let result: Result<(), String> = async {
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| format!("Download interrupted: {e}"))?;
            size = size.saturating_add(chunk.len() as u64);
            if size > cap {
                return Err(too_large());
            }
            out.write_all(&chunk)
                .await
                .map_err(|e| format!("Storage error: {e}"))?;
        }
        out.flush().await.map_err(|e| format!("Storage error: {e}"))
    }
    .await;
    drop(out);
    if let Err(e) = result {
        let _ = tokio::fs::remove_file(&path).await;
        return Err(e);
    }
    if size == 0 {
        let _ = tokio::fs::remove_file(&path).await;
        return Err("Empty files cannot be stored".into());
    }
    Ok((name.trim_start().to_string(), Blob::new(path, size)))
}

fn disposition_name(v: &str) -> Option<String> {
    if let Some(i) = v.find("filename*=UTF-8''") {
        let rest = &v[i + 17..];
        let enc = rest.split(';').next()?.trim();
        return Some(
            percent_encoding::percent_decode_str(enc)
                .decode_utf8_lossy()
                .into_owned(),
        );
    }
    let i = v.find("filename=")?;
    let rest = v[i + 9..].split(';').next()?.trim();
    Some(rest.trim_matches('"').to_string()).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_come_in_either_form() {
        let obj = json!({"Cookie": "a=b"});
        let arr = json!(["Cookie: a=b"]);
        assert_eq!(
            parse_headers(Some(&obj)).unwrap(),
            vec![("Cookie".into(), "a=b".into())]
        );
        assert_eq!(
            parse_headers(Some(&arr)).unwrap(),
            vec![("Cookie".into(), "a=b".into())]
        );
        assert!(parse_headers(Some(&json!(5))).is_err());
    }

    #[test]
    fn only_loopback_is_fetched() {
        for (u, ok) in [
            ("http://127.0.0.1:8/x", true),
            ("http://127.9.9.9/x", true),
            ("http://localhost/x", true),
            ("http://[::1]/x", true),
            ("http://10.0.0.1/x", false),
            ("https://example.org/x", false),
        ] {
            assert_eq!(is_loopback(&reqwest::Url::parse(u).unwrap()), ok, "{u}");
        }
    }
}
