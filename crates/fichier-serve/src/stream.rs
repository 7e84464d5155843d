//! Stream links: `/s/SECRET/ID/NAME` answers GET and HEAD with one range at a time, for
//! players that keep a URL for hours (VLC, mpv, Kodi, Infuse, ffmpeg, Jellyfin's .strm).
//! The file's token is shared with WebDAV and renewed behind the link.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fichier_api::ApiError;

use crate::app::{App, Known};
use crate::fs::classify;
use crate::guard::{client_kind, same_secret};
use crate::reader::Reader;
use crate::valid_id;

/// Bytes a body asks of the reader at a time.
const CHUNK: usize = 256 << 10;

/// A `Range` header's one range, resolved against `len`: `Ok(None)` for the whole file,
/// `Err(())` when it can't be satisfied.
pub fn parse_range(h: Option<&str>, len: u64) -> Result<Option<(u64, u64)>, ()> {
    let Some(h) = h else { return Ok(None) };
    let Some(spec) = h.trim().strip_prefix("bytes=") else {
        return Ok(None);
    };
    if spec.contains(',') {
        // Several ranges: the whole file is a valid answer.
        return Ok(None);
    }
    let (a, b) = spec.split_once('-').ok_or(())?;
    let (a, b) = (a.trim(), b.trim());
    let range = if a.is_empty() {
        let n: u64 = b.parse().map_err(|_| ())?;
        if n == 0 || len == 0 {
            return Err(());
        }
        (len.saturating_sub(n), len - 1)
    } else {
        let start: u64 = a.parse().map_err(|_| ())?;
        let end = if b.is_empty() {
            len.saturating_sub(1)
        } else {
            b.parse::<u64>().map_err(|_| ())?.min(len.saturating_sub(1))
        };
        if start >= len || end < start {
            return Err(());
        }
        (start, end)
    };
    Ok(Some(range))
}

fn error_response(e: &ApiError) -> Response {
    let (_, status, retry) = classify(e);
    let status = StatusCode::from_u16(status.unwrap_or(502)).unwrap_or(StatusCode::BAD_GATEWAY);
    let mut r = (status, format!("{e}\n")).into_response();
    if let Some(s) = retry {
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(s));
    }
    if let Ok(v) = HeaderValue::from_str(e.code().as_str()) {
        r.headers_mut().insert("x-fichier-error", v);
    }
    r
}

async fn known(app: &App, id: &str, url: &str) -> Result<Known, ApiError> {
    if let Some(k) = app.known.lock().unwrap().get(id).cloned() {
        return Ok(k);
    }
    let info = match app.library.client().known_file_info(url) {
        Some(i) => Known {
            size: i.size,
            content_type: i.content_type.unwrap_or_default(),
            date: crate::tree::paris_time(&i.date),
        },
        None => {
            app.stats.api_call();
            let budget = app.config.budget;
            let d = tokio::time::timeout(budget, app.library.file_info(url))
                .await
                .map_err(|_| ApiError::Flood {
                    retry_after: std::time::Duration::from_secs(
                        app.stats.pacer_wait().unwrap_or(30),
                    ),
                    ko: None,
                })??;
            Known {
                size: d.entry.size,
                content_type: d.entry.content_type,
                date: crate::tree::paris_time(&d.entry.date),
            }
        }
    };
    let mut map = app.known.lock().unwrap();
    if map.len() > 10_000 {
        map.clear();
    }
    map.insert(id.to_string(), info.clone());
    Ok(info)
}

pub async fn stream(
    State(app): State<Arc<App>>,
    Path((secret, id, name)): Path<(String, String, String)>,
    req: Request,
) -> Response {
    if !same_secret(secret.as_bytes(), app.config.secret.as_bytes()) {
        return (
            StatusCode::FORBIDDEN,
            "This link's secret is not this server's: copy the link again from Fichier Desk.\n",
        )
            .into_response();
    }
    let method = req.method().clone();
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    if !valid_id(&id) {
        return (StatusCode::NOT_FOUND, "No such file\n").into_response();
    }
    let website = app
        .library
        .client()
        .config()
        .website_base()
        .as_str()
        .to_string();
    let url = format!(
        "{}?{id}",
        if website.ends_with('/') {
            website
        } else {
            format!("{website}/")
        }
    );
    let file = match known(&app, &id, &url).await {
        Ok(k) => k,
        Err(e) => return error_response(&e),
    };
    let range = parse_range(
        req.headers()
            .get(header::RANGE)
            .and_then(|v| v.to_str().ok()),
        file.size,
    );
    let (start, end, status) = match range {
        Err(()) => {
            return (
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, format!("bytes */{}", file.size))],
            )
                .into_response();
        }
        Ok(Some((a, b))) => (a, b, StatusCode::PARTIAL_CONTENT),
        Ok(None) => (0, file.size.saturating_sub(1), StatusCode::OK),
    };
    let len = if file.size == 0 { 0 } else { end - start + 1 };
    let mime = mime_for(&name, &file.content_type);
    let mut headers = vec![
        (header::ACCEPT_RANGES, "bytes".to_string()),
        (header::CONTENT_TYPE, mime),
        (header::CONTENT_LENGTH, len.to_string()),
        (header::ETAG, format!("\"{id}-{}\"", file.size)),
        (header::LAST_MODIFIED, httpdate(file.date)),
    ];
    if status == StatusCode::PARTIAL_CONTENT {
        headers.push((
            header::CONTENT_RANGE,
            format!("bytes {start}-{end}/{}", file.size),
        ));
    }
    let mut builder = Response::builder().status(status);
    for (k, v) in headers {
        builder = builder.header(k, v);
    }
    if method == Method::HEAD || len == 0 {
        return builder.body(Body::empty()).unwrap_or_default();
    }
    let mut reader = Reader::new(app.tokens.clone(), &url, file.size);
    if let Err(e) = tokio::time::timeout(app.config.budget, reader.prepare())
        .await
        .unwrap_or_else(|_| {
            Err(ApiError::Flood {
                retry_after: std::time::Duration::from_secs(app.stats.pacer_wait().unwrap_or(30)),
                ko: None,
            })
        })
    {
        return error_response(&e);
    }
    let ua = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let decoded = percent_encoding::percent_decode_str(&name)
        .decode_utf8_lossy()
        .into_owned();
    reader.count_in(app.stats.stream(&decoded, client_kind(ua)));
    reader.seek(start);
    let body = futures_util::stream::unfold((reader, len), |(mut r, left)| async move {
        if left == 0 {
            return None;
        }
        match r.read(CHUNK.min(left as usize)).await {
            Ok(b) if b.is_empty() => {
                Some((Err(std::io::Error::other("the file ended early")), (r, 0)))
            }
            Ok(b) => {
                let n = b.len() as u64;
                Some((Ok(b), (r, left - n)))
            }
            // The headers are gone: ending the body is all that is left to say.
            Err(e) => Some((Err(std::io::Error::other(e.to_string())), (r, 0))),
        }
    });
    builder.body(Body::from_stream(body)).unwrap_or_default()
}

fn mime_for(name: &str, reported: &str) -> String {
    let ext = name
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let guess = match ext.as_str() {
        "mkv" => "video/x-matroska",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "avi" => "video/x-msvideo",
        "mov" => "video/quicktime",
        "ts" | "m2ts" => "video/mp2t",
        "mp3" => "audio/mpeg",
        "flac" => "audio/flac",
        "m4a" => "audio/mp4",
        "ogg" | "opus" => "audio/ogg",
        "srt" => "application/x-subrip",
        _ => "",
    };
    if !guess.is_empty() {
        guess.to_string()
    } else if !reported.is_empty() {
        reported.to_string()
    } else {
        "application/octet-stream".to_string()
    }
}

fn httpdate(t: std::time::SystemTime) -> String {
    let t: chrono::DateTime<chrono::Utc> = t.into();
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn ranges() {
        assert_eq!(parse_range(None, 100), Ok(None));
        assert_eq!(parse_range(Some("bytes=0-9"), 100), Ok(Some((0, 9))));
        assert_eq!(parse_range(Some("bytes=90-"), 100), Ok(Some((90, 99))));
        assert_eq!(parse_range(Some("bytes=-10"), 100), Ok(Some((90, 99))));
        assert_eq!(parse_range(Some("bytes=50-500"), 100), Ok(Some((50, 99))));
        assert_eq!(parse_range(Some("bytes=100-"), 100), Err(()));
        assert_eq!(parse_range(Some("bytes=5-2"), 100), Err(()));
        assert_eq!(parse_range(Some("bytes=0-1,5-6"), 100), Ok(None));
        assert_eq!(parse_range(Some("items=0-1"), 100), Ok(None));
    }
}
