//! The upload node (`upload.cgi`; its report `end.pl` is in `report`) and the download
//! host (token URLs).

use std::collections::HashMap;
use std::io::SeekFrom;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use tokio::io::AsyncSeekExt;

use crate::state::new_stored_file;
use crate::state::{self, Blob};
use crate::upload_form::{MAX_FILE_SIZE, UploadRefusal, receive};
use crate::{AppState, bearer, client_ip};

/// Room for multipart framing and text fields on top of one file.
const FRAMING_ALLOWANCE: u64 = 1 << 20;

fn text(status: StatusCode, body: impl Into<String>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body.into(),
    )
        .into_response()
}

/// A response that also closes the connection, for refusals sent before the body is read.
fn refuse(status: StatusCode, body: &str) -> Response {
    let mut r = text(status, body.to_string());
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

/// Paces a byte stream to `rate` bytes per second.
struct Throttle {
    rate: u64,
    start: Instant,
    sent: u64,
}

impl Throttle {
    fn new(rate: Option<u64>) -> Option<Throttle> {
        rate.filter(|r| *r > 0).map(|rate| Throttle {
            rate,
            start: Instant::now(),
            sent: 0,
        })
    }

    async fn pace(&mut self, n: usize) {
        self.sent = self.sent.saturating_add(n as u64);
        let due = Duration::try_from_secs_f64(self.sent as f64 / self.rate as f64)
            .unwrap_or(Duration::MAX);
        let elapsed = self.start.elapsed();
        if due > elapsed {
            tokio::time::sleep(due - elapsed).await;
        }
    }
}

/// Wraps a body stream with the fault plan's drop point and throttle.
fn faulty<S, E>(
    inner: S,
    drop_after: Option<u64>,
    throttle: Option<u64>,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Send
where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: std::fmt::Display + Send + 'static,
{
    let state = (Box::pin(inner), 0u64, Throttle::new(throttle), false);
    futures_util::stream::unfold(state, move |(mut s, mut sent, mut th, done)| async move {
        if done {
            return None;
        }
        if drop_after.is_some_and(|limit| sent >= limit) {
            // Give the bytes before the cut time to leave, then break the connection.
            tokio::time::sleep(Duration::from_millis(150)).await;
            let err = std::io::Error::new(
                std::io::ErrorKind::ConnectionAborted,
                "connection dropped (fault injected)",
            );
            return Some((Err(err), (s, sent, th, true)));
        }
        let mut chunk = match s.next().await? {
            Ok(c) => c,
            Err(e) => {
                return Some((
                    Err(std::io::Error::other(e.to_string())),
                    (s, sent, th, true),
                ));
            }
        };
        if let Some(limit) = drop_after
            && sent.saturating_add(chunk.len() as u64) > limit
        {
            chunk = chunk.slice(..(limit - sent) as usize);
        }
        sent = sent.saturating_add(chunk.len() as u64);
        if let Some(t) = th.as_mut() {
            t.pace(chunk.len()).await;
        }
        Some((Ok(chunk), (s, sent, th, false)))
    })
}

/// `POST /upload.cgi?id=<upload id>`: multipart `file[]` parts plus `did`, `dpass`, ...
pub(crate) async fn upload(
    State(st): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(xid) = q.get("id").filter(|id| {
        !id.is_empty() && id.len() <= 10 && id.chars().all(|c| c.is_ascii_alphanumeric())
    }) else {
        return refuse(StatusCode::BAD_REQUEST, "Invalid upload id");
    };
    let xid = xid.clone();
    let Some(length) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
    else {
        return refuse(StatusCode::LENGTH_REQUIRED, "Content-Length is required");
    };
    // The request length tells a file is over the limit before any byte is read. (This also
    // caps a many-file request at 300 GB, below 1fichier's 500 GB: see the README.)
    if length > MAX_FILE_SIZE + FRAMING_ALLOWANCE {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "File too large: 1fichier accepts at most 300 GB per file",
        );
    }
    let owner = match bearer(&headers) {
        Some(k) => match st.shared.world().account_by_key(&k) {
            Some(a) => Some(a.id),
            None => return refuse(StatusCode::UNAUTHORIZED, "Not authenticated"),
        },
        None => None,
    };
    let Some(boundary) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| multer::parse_boundary(ct).ok())
    else {
        return refuse(StatusCode::BAD_REQUEST, "Expected multipart/form-data");
    };
    let stream = faulty(
        body.into_data_stream(),
        st.faults.take_upload_drop(),
        st.faults.throttle_rate(),
    );
    let received = match receive(&st, stream, boundary).await {
        Ok(r) => r,
        Err(UploadRefusal::Status(s, msg)) => return refuse(s, &msg),
        Err(UploadRefusal::Aborted) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "Upload interrupted: nothing was stored",
            );
        }
    };

    let fields = received.fields;
    let mut w = st.shared.world();
    // Anonymous uploads may name a registered recipient whose incoming folder gets the files.
    let (owner, incoming) = match owner {
        Some(o) => (Some(o), false),
        None => match fields
            .get("user")
            .and_then(|e| w.accounts.iter().find(|a| &a.email == e))
        {
            Some(a) => (Some(a.id), true),
            None => (None, false),
        },
    };
    let did = fields
        .get("did")
        .and_then(|d| d.trim().parse::<i64>().ok())
        .unwrap_or(0);
    let folder = match owner {
        Some(o) if !incoming && w.owns_folder(o, did) => did,
        _ => 0,
    };
    let pass = fields.get("dpass").filter(|p| !p.is_empty()).cloned();
    let mut ids = Vec::new();
    for (filename, pending, size, checksum) in received.files {
        let blob = Blob::hashing(pending.keep(), size, Some(checksum));
        let f = new_stored_file(&w, owner, folder, filename, blob, pass.clone());
        ids.push(f.id.clone());
        w.insert_file(f);
    }
    let report = w
        .reports
        .entry(xid.clone())
        .or_insert_with(|| state::UploadReport {
            file_ids: Vec::new(),
            incoming,
            created: Instant::now(),
        });
    report.file_ids.extend(ids);
    drop(w);
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, format!("/end.pl?xid={xid}")),
            (header::CONTENT_TYPE, "text/html".to_string()),
        ],
        format!("<html><body><a href=\"/end.pl?xid={xid}\">Upload finished</a></body></html>"),
    )
        .into_response()
}

/// A byte range: `(start, end inclusive)`; `None` when the header asks for none we honour.
enum RangeAsk {
    Whole,
    Part(u64, u64),
    Unsatisfiable,
}

fn parse_range(h: Option<&HeaderValue>, size: u64) -> RangeAsk {
    let Some(spec) = h
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().strip_prefix("bytes="))
    else {
        return RangeAsk::Whole;
    };
    if spec.contains(',') {
        return RangeAsk::Whole;
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return RangeAsk::Whole;
    };
    let (a, b) = (a.trim(), b.trim());
    let range = match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(s), Ok(e)) if s <= e => Some((s, e.min(size.saturating_sub(1)))),
        (Ok(s), Err(_)) if b.is_empty() => Some((s, size.saturating_sub(1))),
        (Err(_), Ok(n)) if a.is_empty() && n > 0 => {
            Some((size.saturating_sub(n), size.saturating_sub(1)))
        }
        _ => return RangeAsk::Whole,
    };
    match range {
        Some((s, e)) if s < size && s <= e => RangeAsk::Part(s, e),
        _ => RangeAsk::Unsatisfiable,
    }
}

fn content_disposition(name: &str, inline: bool) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii() && c != '"' && c != '\\' && !c.is_ascii_control() {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
    let kind = if inline { "inline" } else { "attachment" };
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// `GET|HEAD /<token>`: a one-time download URL issued by `get_token.cgi`.
pub(crate) async fn download(
    State(st): State<AppState>,
    ci: ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let well_formed = token.len() > 1
        && token.starts_with(|c: char| c.is_ascii_lowercase())
        && token[1..].chars().all(|c| c.is_ascii_digit());
    if !well_formed {
        return text(StatusCode::NOT_FOUND, "Not found");
    }
    let ip = client_ip(&ci);
    if let Some(d) = st.faults.download_delay() {
        tokio::time::sleep(d).await;
    }
    let (file, inline) = {
        let mut w = st.shared.world();
        let now = Instant::now();
        let Some(t) = w.tokens.get_mut(&token).filter(|t| t.expires > now) else {
            return text(
                StatusCode::GONE,
                "This download link has expired: ask for a new one",
            );
        };
        if t.ip != ip {
            return text(StatusCode::FORBIDDEN, "Only 1 location allowed at a time");
        }
        if t.single && t.used {
            return text(
                StatusCode::GONE,
                "This download link has already been used: ask for a new one",
            );
        }
        if method == Method::GET && t.single {
            t.used = true;
        }
        let inline = t.inline || q.get("inline").is_some_and(|v| v == "1");
        let id = t.file_id.clone();
        match w.files.get(&id) {
            Some(f) => (f.clone(), inline),
            None => return text(StatusCode::NOT_FOUND, "File not found"),
        }
    };
    let size = file.blob.size;
    let (status, start, end) = match parse_range(headers.get(header::RANGE), size) {
        RangeAsk::Whole => (StatusCode::OK, 0, size.saturating_sub(1)),
        RangeAsk::Part(s, e) => (StatusCode::PARTIAL_CONTENT, s, e),
        RangeAsk::Unsatisfiable => {
            return (
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, format!("bytes */{size}"))],
                "",
            )
                .into_response();
        }
    };
    // `end < size` (a whole empty file aside), so this cannot overflow.
    let len = if size == 0 { 0 } else { end + 1 - start };
    let mut resp = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .header(
            header::CONTENT_DISPOSITION,
            content_disposition(&file.filename, inline),
        )
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::CONTENT_LENGTH, len)
        .header(header::ETAG, format!("\"{}-{size}\"", file.id))
        .header(header::LAST_MODIFIED, http_date(&file.date))
        .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    if status == StatusCode::PARTIAL_CONTENT {
        resp = resp.header(header::CONTENT_RANGE, format!("bytes {start}-{end}/{size}"));
    }
    if method == Method::HEAD {
        return resp.body(Body::empty()).unwrap_or_default();
    }
    let mut f = match tokio::fs::File::open(&file.blob.path).await {
        Ok(f) => f,
        Err(e) => {
            return text(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("Storage error: {e}"),
            );
        }
    };
    if start > 0
        && let Err(e) = f.seek(SeekFrom::Start(start)).await
    {
        return text(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("Storage error: {e}"),
        );
    }
    use tokio::io::AsyncReadExt;
    let reader = tokio_util::io::ReaderStream::with_capacity(f.take(len), 256 * 1024);
    let blob_guard: Arc<Blob> = file.blob.clone();
    let served = st.served.clone();
    let stream = faulty(
        reader,
        st.faults.take_download_drop(len),
        st.faults.take_download_throttle(len),
    )
    .map(move |r| {
        // Keep the blob alive while it is being served, even if the file is deleted meanwhile.
        let _ = &blob_guard;
        if let Ok(b) = &r {
            served.fetch_add(b.len() as u64, std::sync::atomic::Ordering::Relaxed);
        }
        r
    });
    resp.body(Body::from_stream(stream)).unwrap_or_default()
}

/// 1fichier's Paris-time date as an HTTP date.
fn http_date(paris: &str) -> String {
    use chrono::TimeZone;
    chrono::NaiveDateTime::parse_from_str(paris, "%Y-%m-%d %H:%M:%S")
        .ok()
        .and_then(|n| chrono_tz::Europe::Paris.from_local_datetime(&n).earliest())
        .map(|d| {
            d.with_timezone(&chrono::Utc)
                .format("%a, %d %b %Y %H:%M:%S GMT")
                .to_string()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hv(s: &str) -> HeaderValue {
        HeaderValue::from_str(s).unwrap()
    }

    #[test]
    fn ranges_are_read_like_a_web_server_reads_them() {
        let ok = |h: &str| match parse_range(Some(&hv(h)), 100) {
            RangeAsk::Part(s, e) => Some((s, e)),
            _ => None,
        };
        assert_eq!(ok("bytes=0-9"), Some((0, 9)));
        assert_eq!(ok("bytes=90-"), Some((90, 99)));
        assert_eq!(ok("bytes=-10"), Some((90, 99)));
        assert_eq!(ok("bytes=50-500"), Some((50, 99)));
        assert!(matches!(
            parse_range(Some(&hv("bytes=100-")), 100),
            RangeAsk::Unsatisfiable
        ));
        assert!(matches!(
            parse_range(Some(&hv("bytes=0-1,5-6")), 100),
            RangeAsk::Whole
        ));
        assert!(matches!(parse_range(None, 100), RangeAsk::Whole));
    }

    #[test]
    fn content_disposition_carries_both_name_forms() {
        let cd = content_disposition("été \"x\".txt", false);
        assert!(
            cd.starts_with("attachment; filename=\"_t_ _x_.txt\""),
            "{cd}"
        );
        assert!(
            cd.contains("filename*=UTF-8''%C3%A9t%C3%A9%20%22x%22%2Etxt"),
            "{cd}"
        );
    }
}
