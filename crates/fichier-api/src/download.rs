//! Downloads: ask for a token, then open the token URL as a byte stream, optionally from
//! an offset. The caller (the transfer engine) does the file I/O.

use std::fmt;
use std::pin::Pin;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, RANGE};

use crate::client::FichierClient;
use crate::error::ApiError;
use crate::hosts::check_url;
use crate::types::GetTokenRequest;

/// The body of a download.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, ApiError>> + Send>>;

/// An open download.
pub struct Download {
    /// 200 or 206.
    pub status: u16,
    /// Where the body starts in the file: the requested offset when the range was
    /// honoured, 0 otherwise.
    pub start: u64,
    /// Whether a requested range was honoured (206). `false` after a 200 to a range
    /// request: the body is the whole file and the caller must start over.
    pub range_honoured: bool,
    /// Size of the whole file, when known (`Content-Range` total or `Content-Length`).
    pub total_len: Option<u64>,
    /// Length of this body.
    pub content_length: Option<u64>,
    /// The file name from `Content-Disposition` (`filename*` preferred).
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub body: ByteStream,
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("status", &self.status)
            .field("start", &self.start)
            .field("range_honoured", &self.range_honoured)
            .field("total_len", &self.total_len)
            .field("content_length", &self.content_length)
            .field("filename", &self.filename)
            .finish_non_exhaustive()
    }
}

impl FichierClient {
    /// Gets a fresh token for the file and opens it, from `start` when given.
    pub async fn open_download(
        &self,
        req: &GetTokenRequest,
        start: Option<u64>,
    ) -> Result<Download, ApiError> {
        let token = self.get_token(req).await?;
        self.open_token_url(&token.url, start).await
    }

    /// Opens a token URL. It must be a 1fichier download host (or loopback when the API
    /// is): anything else is refused before a request is made. No key is sent: token URLs
    /// need none. Not repeated on failure: tokens are single-use, ask for a new one.
    pub async fn open_token_url(
        &self,
        url: &str,
        start: Option<u64>,
    ) -> Result<Download, ApiError> {
        self.open_token_range(url, start.unwrap_or(0), None).await
    }

    /// Opens a token URL for bytes `start..=last` (to the end without `last`). A token
    /// asked without `single` serves several such requests, one per connection.
    pub async fn open_token_range(
        &self,
        url: &str,
        start: u64,
        last: Option<u64>,
    ) -> Result<Download, ApiError> {
        let url = check_url(&self.config, url, "a download")?;
        let mut req = self.http.get(url);
        if start > 0 || last.is_some() {
            let last = last.map(|l| l.to_string()).unwrap_or_default();
            req = req.header(RANGE, format!("bytes={start}-{last}"));
        }
        // Download hosts are not under the API's rate limits (and keep serving while the API
        // is flood-locked): no pacer slot is taken.
        let resp = req.send().await.map_err(ApiError::from_transport)?;
        let status = resp.status();
        match status {
            StatusCode::OK | StatusCode::PARTIAL_CONTENT => {}
            StatusCode::RANGE_NOT_SATISFIABLE => {
                return Err(ApiError::InvalidRequest {
                    reason: format!("the file is shorter than the resume offset {start}"),
                });
            }
            s if s.is_server_error() => return Err(ApiError::Server { status: s.as_u16() }),
            StatusCode::TOO_MANY_REQUESTS => {
                return Err(ApiError::Flood {
                    retry_after: self.pacer().flood_wait(),
                    ko: None,
                });
            }
            s => {
                // 403/404/410: the link is no good any more, unless the text says why.
                let text = crate::body::error_text(resp).await;
                let message = match serde_json::from_str::<serde_json::Value>(&text) {
                    Ok(v) => v
                        .get("message")
                        .and_then(|m| m.as_str())
                        .unwrap_or_default()
                        .to_string(),
                    Err(_) if !crate::client::looks_like_html(&text) => text,
                    Err(_) => String::new(),
                };
                let e = crate::error::classify_ko(&message, s.as_u16(), self.pacer().flood_wait());
                return Err(match e {
                    ApiError::LocationLock { .. }
                    | ApiError::Flood { .. }
                    | ApiError::OwnerLocked { .. } => e,
                    _ => ApiError::LinkExpired {
                        http_status: s.as_u16(),
                    },
                });
            }
        }
        self.pacer().on_success();
        let headers = resp.headers();
        let header = |name| {
            headers
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
        };
        let content_length = header(CONTENT_LENGTH).and_then(|v| v.trim().parse::<u64>().ok());
        let filename = header(CONTENT_DISPOSITION).and_then(filename_from_disposition);
        let content_type = header(CONTENT_TYPE).map(str::to_string);
        let (range_honoured, body_start, total_len) = if status == StatusCode::PARTIAL_CONTENT {
            let (first, total) = header(CONTENT_RANGE)
                .and_then(parse_content_range)
                .ok_or_else(|| ApiError::Protocol {
                    detail: "a partial answer without a valid Content-Range".into(),
                })?;
            if first != start {
                return Err(ApiError::Protocol {
                    detail: format!("asked for bytes from {start}, got them from {first}"),
                });
            }
            // The length tells the total only for a range that runs to the end.
            let open_ended = last.is_none();
            let total = total.or(content_length.filter(|_| open_ended).map(|l| l + first));
            (true, first, total)
        } else {
            (false, 0, content_length)
        };
        let body = resp
            .bytes_stream()
            .map(|r| r.map_err(ApiError::from_transport));
        Ok(Download {
            status: status.as_u16(),
            start: body_start,
            range_honoured,
            total_len,
            content_length,
            filename,
            content_type,
            body: Box::pin(body),
        })
    }
}

/// `bytes 100-999/1000` -> (100, Some(1000)); `bytes 100-999/*` -> (100, None).
fn parse_content_range(v: &str) -> Option<(u64, Option<u64>)> {
    let rest = v.trim().strip_prefix("bytes")?.trim();
    let (range, total) = rest.split_once('/')?;
    let (first, _last) = range.trim().split_once('-')?;
    let first = first.trim().parse().ok()?;
    let total = match total.trim() {
        "*" => None,
        t => Some(t.parse().ok()?),
    };
    Some((first, total))
}

/// The file name from a `Content-Disposition` header; `filename*=UTF-8''...` wins.
pub fn filename_from_disposition(v: &str) -> Option<String> {
    let mut plain = None;
    for part in split_params(v) {
        let Some((k, val)) = part.split_once('=') else {
            continue;
        };
        let k = k.trim().to_ascii_lowercase();
        let val = val.trim();
        if k == "filename*" {
            let (charset, rest) = val.split_once('\'')?;
            let (_lang, encoded) = rest.split_once('\'')?;
            let bytes: Vec<u8> = percent_encoding::percent_decode_str(encoded).collect();
            let name = if charset.eq_ignore_ascii_case("utf-8") {
                String::from_utf8(bytes).ok()?
            } else {
                bytes.iter().map(|&b| b as char).collect()
            };
            if !name.is_empty() {
                return Some(name);
            }
        } else if k == "filename" {
            let unq = val
                .strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .map(|s| s.replace("\\\"", "\"").replace("\\\\", "\\"))
                .unwrap_or_else(|| val.to_string());
            if !unq.is_empty() {
                plain = Some(unq);
            }
        }
    }
    plain
}

/// Splits header parameters on `;` outside quotes.
fn split_params(v: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in v.chars() {
        match c {
            _ if escaped => {
                escaped = false;
                cur.push(c);
            }
            '\\' if quoted => {
                escaped = true;
                cur.push(c);
            }
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            ';' if !quoted => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    parts.push(cur);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_disposition_names() {
        assert_eq!(
            filename_from_disposition(
                "attachment; filename=\"a b.txt\"; filename*=UTF-8''%C3%A9t%C3%A9.txt"
            )
            .as_deref(),
            Some("été.txt")
        );
        assert_eq!(
            filename_from_disposition("attachment; filename=\"x;y.txt\"").as_deref(),
            Some("x;y.txt")
        );
        assert_eq!(
            filename_from_disposition("attachment; filename=plain.bin").as_deref(),
            Some("plain.bin")
        );
        assert_eq!(filename_from_disposition("inline"), None);
    }

    #[test]
    fn content_ranges() {
        assert_eq!(
            parse_content_range("bytes 100-999/1000"),
            Some((100, Some(1000)))
        );
        assert_eq!(parse_content_range("bytes 5-9/*"), Some((5, None)));
        assert_eq!(parse_content_range("items 1-2/3"), None);
    }
}
