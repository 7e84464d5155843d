//! Website pages that clients use (protocol §10) and the emulator's own control endpoints.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::report::html_escape;
use crate::{AppState, FaultPlan, Offer, state};

fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    url_pairs(std::str::from_utf8(body).unwrap_or(""))
}

fn url_pairs(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let dec = |x: &str| {
                percent_encoding::percent_decode_str(&x.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (dec(k), dec(v))
        })
        .collect()
}

/// `GET /dir/<code>?json=1`, or `POST` with `json=1&pass=...`: a public folder's files.
pub(crate) async fn shared_folder(
    State(st): State<AppState>,
    Path(code): Path<String>,
    RawQuery(q): RawQuery,
    method: Method,
    body: Bytes,
) -> Response {
    let mut params = url_pairs(q.as_deref().unwrap_or(""));
    if method == Method::POST {
        params.extend(form_pairs(&body));
    }
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let json_out = get("json").is_some_and(|v| v != "0");
    let pass = get("pass");
    let files: Vec<state::StoredFile> = {
        let w = st.shared.world();
        let Some(folder) = w
            .folders
            .values()
            .find(|f| f.share_code.as_deref() == Some(code.as_str()))
        else {
            return (
                StatusCode::NOT_FOUND,
                "This folder does not exist or is no longer shared",
            )
                .into_response();
        };
        if let Some(expected) = &folder.share_pass
            && pass.as_deref() != Some(expected.as_str())
        {
            return (
                StatusCode::FORBIDDEN,
                "This folder is protected by a password",
            )
                .into_response();
        }
        w.files_in(folder.owner, Some(folder.id))
            .into_iter()
            .cloned()
            .collect()
    };
    if json_out {
        let items: Vec<_> = files
            .iter()
            .map(|f| json!({"filename": f.filename, "link": format!("{}/?{}", st.base_url, f.id), "size": f.blob.size}))
            .collect();
        return Json(items).into_response();
    }
    let rows: String = files
        .iter()
        .map(|f| {
            format!(
                "<tr><td><a href=\"{}/?{}\">{}</a></td><td>{}</td></tr>",
                st.base_url,
                f.id,
                html_escape(&f.filename),
                f.blob.size
            )
        })
        .collect();
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        format!("<!DOCTYPE html><html><body><table class=\"premium\">{rows}</table></body></html>"),
    )
        .into_response()
}

/// `POST /check_links.pl` with `links[]=<url>`: one `url;name;size` line per link.
pub(crate) async fn check_links(State(st): State<AppState>, body: Bytes) -> Response {
    let links: Vec<String> = form_pairs(&body)
        .into_iter()
        .filter(|(k, _)| k == "links[]" || k == "links")
        .map(|(_, v)| v)
        .take(100)
        .collect();
    let w = st.shared.world();
    let mut out = String::new();
    for url in links {
        let line = match state::file_id_from_url(&url) {
            None => format!("{url};;;BAD LINK"),
            Some(id) => match w.files.get(&id) {
                None => format!("{url};;;NOT FOUND"),
                Some(f) if f.pass.is_some() || !f.acl.is_empty() => format!("{url};;;PRIVATE"),
                Some(f) => format!("{url};{};{}", f.filename, f.blob.size),
            },
        };
        out.push_str(&line);
        out.push('\n');
    }
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], out).into_response()
}

/// `GET /remove/<id>/<code>`: the anonymous removal page; `?force=1` removes the file.
pub(crate) async fn remove_page(
    State(st): State<AppState>,
    Path((id, code)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut w = st.shared.world();
    let ok = w
        .files
        .get(&id)
        .is_some_and(|f| !f.remove_code.is_empty() && f.remove_code == code);
    if !ok {
        return (StatusCode::NOT_FOUND, "Unknown file or removal code").into_response();
    }
    if q.get("force").is_some_and(|v| v == "1") {
        w.remove_file(&id);
        return (
            [(header::CONTENT_TYPE, "text/html")],
            "<html><body>File removed</body></html>",
        )
            .into_response();
    }
    (
        [(header::CONTENT_TYPE, "text/html")],
        format!(
            "<html><body><a href=\"/remove/{id}/{code}?force=1\">Confirm removal</a></body></html>"
        ),
    )
        .into_response()
}

/// `GET /?<id>`: the public page of a file.
pub(crate) async fn file_page(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let id = q
        .as_deref()
        .and_then(|q| state::file_id_from_url(&format!("?{q}")));
    let w = st.shared.world();
    let Some(f) = id.and_then(|id| w.files.get(&id)) else {
        return (
            [(header::CONTENT_TYPE, "text/html")],
            "<html><body><h1>fichier-emulator</h1><p>A local stand-in for 1fichier.com.</p></body></html>",
        )
            .into_response();
    };
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        format!(
            "<html><body><table class=\"premium\"><tr><td>File name :</td><td>{}</td></tr><tr><td>Size :</td><td>{}</td></tr></table></body></html>",
            html_escape(&f.filename),
            f.blob.size
        ),
    )
        .into_response()
}

// ---- control endpoints (not part of 1fichier) ----

pub(crate) async fn get_faults(State(st): State<AppState>) -> Json<FaultPlan> {
    Json(st.faults.snapshot())
}

pub(crate) async fn set_faults(
    State(st): State<AppState>,
    Json(plan): Json<FaultPlan>,
) -> Response {
    // 0 stands for the default (503); anything else must be an error status.
    if !matches!(plan.fail_status, 0 | 429 | 500..=599) {
        return control_refusal("fail_status must be 429 or between 500 and 599");
    }
    st.faults.set(plan);
    Json(st.faults.snapshot()).into_response()
}

/// The longest flood lock the control endpoint starts.
const MAX_FLOOD_SECS: u64 = 30 * 24 * 3600;

#[derive(serde::Deserialize, Default)]
pub(crate) struct FloodAsk {
    seconds: Option<u64>,
}

fn control_refusal(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message.to_string(),
    )
        .into_response()
}

/// `POST /_emulator/flood` with `{"seconds": n}` (or no body: the configured length).
pub(crate) async fn flood_now(State(st): State<AppState>, body: Bytes) -> Response {
    let ask: FloodAsk = if body.iter().all(u8::is_ascii_whitespace) {
        FloodAsk::default()
    } else {
        match serde_json::from_slice(&body) {
            Ok(a) => a,
            Err(_) => {
                return control_refusal(&format!(
                    "Expected {{\"seconds\": n}} with n between 0 and {MAX_FLOOD_SECS}"
                ));
            }
        }
    };
    let d = match ask.seconds {
        Some(n) if n > MAX_FLOOD_SECS => {
            return control_refusal(&format!("seconds must be at most {MAX_FLOOD_SECS}"));
        }
        Some(n) => std::time::Duration::from_secs(n),
        None => st.config.limits.flood_lock,
    };
    st.limiter.lock_everyone(d);
    StatusCode::NO_CONTENT.into_response()
}

pub(crate) async fn expire_tokens(State(st): State<AppState>) -> StatusCode {
    st.shared.world().tokens.clear();
    StatusCode::NO_CONTENT
}

pub(crate) async fn get_log(State(st): State<AppState>) -> Response {
    Json(st.log.entries()).into_response()
}

pub(crate) async fn get_log_counts(State(st): State<AppState>) -> Response {
    Json(st.log.counts()).into_response()
}

pub(crate) async fn clear_log(State(st): State<AppState>) -> StatusCode {
    st.log.clear();
    StatusCode::NO_CONTENT
}

#[derive(serde::Deserialize)]
pub(crate) struct NewAccount {
    offer: Offer,
    key: Option<String>,
    #[serde(default)]
    owner_locked: bool,
    /// What its `user/info` says (storage, flags, subscription end, CDN credit).
    #[serde(default, flatten)]
    state: crate::AccountState,
}

pub(crate) async fn add_account(
    State(st): State<AppState>,
    _h: HeaderMap,
    Json(a): Json<NewAccount>,
) -> Response {
    let key = a.key.unwrap_or_else(state::random_key);
    let id = st.shared.add_account(key.clone(), a.offer);
    if let Some(acc) = st.shared.world().account_mut(id) {
        acc.owner_locked |= a.owner_locked;
        a.state.apply(acc);
    }
    Json(json!({"key": key})).into_response()
}
