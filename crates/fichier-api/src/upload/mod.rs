//! Uploads: pick a node, stream one multipart body of exactly known length, don't follow
//! the 302, then read the JSON report from `end.pl`.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::{Stream, StreamExt, stream};
use reqwest::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE};
use url::Url;

use crate::client::{FichierClient, Retry, looks_like_html};
use crate::error::ApiError;
use crate::failure::{Failure, FailureKind};
use crate::hosts::upload_node_base;
use crate::pacer::{Pacing, WaitReason};
use crate::types::{FileItem, UploadOptions, UploadReport, UploadServer, UploadedFile};

/// 1fichier's per-file limit (300 GB).
pub const MAX_FILE_SIZE: u64 = 300_000_000_000;

/// The multipart framing around the file's bytes. Its length is known in advance, so the
/// request carries an exact `Content-Length` (1fichier requires one).
#[derive(Debug, Clone)]
pub struct MultipartFrame {
    pub boundary: String,
    pub head: Bytes,
    pub tail: Bytes,
}

impl MultipartFrame {
    /// Builds the text parts and the file part's header. Text parts carry no
    /// `Content-Type`; `name` and `filename` are quoted; the boundary is not.
    pub fn new(file_name: &str, opts: &UploadOptions, boundary: String) -> MultipartFrame {
        let mut head = String::new();
        let mut text = |name: &str, value: &str| {
            head.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            ));
        };
        if let Some(did) = opts.folder_id {
            text("did", &did.to_string());
        }
        if let Some(domain) = opts.domain {
            text("domain", &domain.to_string());
        }
        if let Some(p) = &opts.password {
            text("dpass", p.expose_secret());
        }
        if let Some(m) = &opts.mail {
            text("mail", m);
        }
        if let Some(m) = &opts.mails {
            text("mails", m);
        }
        if let Some(m) = &opts.message {
            text("message", m);
        }
        head.push_str(&file_part_header(&boundary, file_name));
        let tail = format!("\r\n--{boundary}--\r\n");
        MultipartFrame {
            boundary,
            head: Bytes::from(head),
            tail: Bytes::from(tail),
        }
    }

    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// Total body length for a file of `file_len` bytes.
    pub fn content_length(&self, file_len: u64) -> u64 {
        self.head.len() as u64 + file_len + self.tail.len() as u64
    }
}

/// The header of one `file[]` part.
fn file_part_header(boundary: &str, file_name: &str) -> String {
    format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file[]\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
        escape_filename(file_name)
    )
}

/// Escapes a file name for a quoted header parameter, as browsers do (`"` and line breaks
/// percent-encoded); other characters, UTF-8 included, are sent as they are.
fn escape_filename(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn new_boundary() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    let tag: String = (0..24)
        .map(|_| rng.sample(rand::distributions::Alphanumeric) as char)
        .collect();
    format!("----FichierDesk{tag}")
}

/// Passes a byte stream through, failing it if it yields more or fewer bytes than
/// declared (the `Content-Length` would be a lie otherwise).
struct ExactLength<S> {
    inner: S,
    expected: u64,
    seen: u64,
    done: bool,
}

impl<S> Stream for ExactLength<S>
where
    S: Stream<Item = Result<Bytes, io::Error>> + Unpin,
{
    type Item = Result<Bytes, io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        match self.inner.poll_next_unpin(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                self.seen += chunk.len() as u64;
                if self.seen > self.expected {
                    self.done = true;
                    return Poll::Ready(Some(Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "the file grew while it was being uploaded",
                    ))));
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(e))) => {
                self.done = true;
                Poll::Ready(Some(Err(e)))
            }
            Poll::Ready(None) => {
                self.done = true;
                if self.seen == self.expected {
                    Poll::Ready(None)
                } else {
                    Poll::Ready(Some(Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the file shrank while it was being uploaded",
                    ))))
                }
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

/// 1fichier's limit on files in one upload request.
pub const MAX_FILES_PER_REQUEST: usize = 500;

/// A file's bytes for an upload request.
pub type FileBody = Pin<Box<dyn Stream<Item = Result<Bytes, io::Error>> + Send>>;

/// One file of a batch upload: its name on 1fichier, its exact length and its bytes.
pub struct BatchFile {
    pub name: String,
    pub len: u64,
    pub body: FileBody,
}

impl std::fmt::Debug for BatchFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchFile")
            .field("name", &self.name)
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

/// Pairs each file sent with its line of the upload report: by name and size first, then
/// (1fichier may change a name) the lines left by size, in order. A file with no line gets
/// an error of its own; the others are unaffected.
fn match_report(
    sent: &[(String, u64)],
    mut links: Vec<UploadedFile>,
) -> Vec<Result<UploadedFile, ApiError>> {
    let mut out: Vec<Option<UploadedFile>> = vec![None; sent.len()];
    for (slot, (name, len)) in out.iter_mut().zip(sent) {
        if let Some(i) = links
            .iter()
            .position(|l| l.filename == *name && l.size == *len)
        {
            *slot = Some(links.remove(i));
        }
    }
    for (slot, (_, len)) in out.iter_mut().zip(sent) {
        if slot.is_none()
            && let Some(i) = links.iter().position(|l| l.size == *len)
        {
            *slot = Some(links.remove(i));
        }
    }
    out.into_iter()
        .zip(sent)
        .map(|(found, (name, _))| {
            found.ok_or_else(|| ApiError::Protocol {
                detail: format!("the upload report does not list {name:?}"),
            })
        })
        .collect()
}

/// Checks the upload id as rclone does: 1 to 10 ASCII letters and digits.
fn valid_upload_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 10 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

impl FichierClient {
    /// Uploads one file of `len` bytes read from `body`, into `opts.folder_id` (the root
    /// when `None`), and returns its new URL, size and Whirlpool checksum.
    ///
    /// The upload POST is never repeated (a repeat would create a duplicate); a failure
    /// during it is returned to the caller, who may start a new upload.
    pub async fn upload<S>(
        &self,
        file_name: &str,
        len: u64,
        body: S,
        opts: &UploadOptions,
    ) -> Result<UploadedFile, ApiError>
    where
        S: Stream<Item = Result<Bytes, io::Error>> + Send + 'static,
    {
        let file = BatchFile {
            name: file_name.to_string(),
            len,
            body: Box::pin(body),
        };
        let mut results = self.upload_batch(vec![file], opts).await?;
        match results.pop() {
            Some(one) if results.is_empty() => one,
            _ => Err(ApiError::Protocol {
                detail: "the upload report does not match the upload".into(),
            }),
        }
    }

    /// Uploads several files in one request (one upload node, one `end.pl` report): what
    /// makes thousands of small files fast, since the API is asked for a node once per
    /// batch instead of once per file. The result has one entry per file, in order, with
    /// its URL, size and Whirlpool from the report; a file the report doesn't list has an
    /// error of its own. An error for the whole request (refused, cut) is the outer one.
    ///
    /// Like a single upload, the POST is never repeated.
    pub async fn upload_batch(
        &self,
        files: Vec<BatchFile>,
        opts: &UploadOptions,
    ) -> Result<Vec<Result<UploadedFile, ApiError>>, ApiError> {
        if files.is_empty() {
            return Ok(Vec::new());
        }
        if files.len() > MAX_FILES_PER_REQUEST {
            return Err(ApiError::InvalidRequest {
                reason: format!(
                    "1fichier takes at most {MAX_FILES_PER_REQUEST} files in one upload"
                ),
            });
        }
        for f in &files {
            if f.len == 0 {
                return Err(ApiError::FileEmpty);
            }
            if f.len > MAX_FILE_SIZE {
                return Err(ApiError::FileTooLarge);
            }
            if f.name.is_empty() {
                return Err(ApiError::InvalidRequest {
                    reason: "the file needs a name".into(),
                });
            }
        }
        let sent: Vec<(String, u64)> = files.iter().map(|f| (f.name.clone(), f.len)).collect();
        let server = self.get_upload_server().await?;
        let node = self.checked_node(&server)?;
        self.post_upload(&node, &server.id, files, opts).await?;
        let report = self.upload_report(&node, &server.id).await?;
        let results = match_report(&sent, report.links);
        let folder = opts.folder_id.unwrap_or(0);
        for file in results.iter().flatten() {
            self.account.cache().on_uploaded(
                folder,
                FileItem {
                    url: file.download.clone(),
                    filename: file.filename.clone(),
                    size: file.size,
                    date: String::new(),
                    checksum: Some(file.whirlpool.clone()).filter(|c| !c.is_empty()),
                    content_type: None,
                    pass: opts.password.is_some(),
                    acl: false,
                    cdn: false,
                },
            );
        }
        Ok(results)
    }

    /// Validates the node and id from `get_upload_server` before anything goes there.
    pub(crate) fn checked_node(&self, server: &UploadServer) -> Result<Url, ApiError> {
        if !valid_upload_id(&server.id) {
            return Err(ApiError::Protocol {
                detail: "1fichier gave an invalid upload id".into(),
            });
        }
        upload_node_base(&self.config, &server.url)
    }

    async fn post_upload(
        &self,
        node: &Url,
        id: &str,
        files: Vec<BatchFile>,
        opts: &UploadOptions,
    ) -> Result<(), ApiError> {
        let first = files.first().map(|f| f.name.clone()).unwrap_or_default();
        let frame = MultipartFrame::new(&first, opts, new_boundary());
        let content_type = frame.content_type();
        let mut total = frame.content_length(0);
        let mut parts: Vec<FileBody> = Vec::with_capacity(files.len() * 2 + 1);
        parts.push(Box::pin(stream::once(async move { Ok(frame.head) })));
        for (i, f) in files.into_iter().enumerate() {
            if i > 0 {
                // The previous part ends with a line break, then the next part's header.
                let header = Bytes::from(format!(
                    "\r\n{}",
                    file_part_header(&frame.boundary, &f.name)
                ));
                total += header.len() as u64;
                parts.push(Box::pin(stream::once(async move { Ok(header) })));
            }
            total += f.len;
            parts.push(Box::pin(ExactLength {
                inner: f.body,
                expected: f.len,
                seen: 0,
                done: false,
            }));
        }
        let tail = frame.tail;
        parts.push(Box::pin(stream::once(async move { Ok(tail) })));
        let full = stream::iter(parts).flatten();
        let mut url = node.join("upload.cgi").expect("constant path");
        url.query_pairs_mut().append_pair("id", id);

        let mut req = self
            .http
            .post(url)
            .header(CONTENT_TYPE, content_type)
            .header(CONTENT_LENGTH, total)
            .body(reqwest::Body::wrap_stream(full));
        if let Some(key) = &self.key {
            req = req.header(AUTHORIZATION, key.bearer_header());
        }
        // One attempt only: the body can't be replayed, and a repeat would duplicate the file.
        // Upload nodes are not under the API's rate limits: no pacer slot is taken.
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => {
                let f = Failure::transport(e);
                tracing::warn!(target: "fichier_api", call = "upload.cgi", error = f.error.code().as_str(), "upload failed");
                return Err(f.error);
            }
        };
        let status = resp.status();
        if status.is_redirection() || status.is_success() {
            self.account.pacer().on_success();
            // Drain whatever the node sent with its 302 or 200.
            let _ = crate::body::error_text(resp).await;
            return Ok(());
        }
        let text = crate::body::error_text(resp).await;
        Err(upload_refusal(
            status.as_u16(),
            &text,
            self.account.pacer().flood_wait(),
        ))
    }

    /// Reads the JSON upload report, trying again (with a growing pause) while the node
    /// answers HTML or lists no file yet.
    pub async fn upload_report(&self, node: &Url, id: &str) -> Result<UploadReport, ApiError> {
        let mut url = node.join("end.pl").expect("constant path");
        url.query_pairs_mut().append_pair("xid", id);
        let attempts = self.config.end_pl_attempts.max(1);
        let mut delay = self.config.end_pl_delay;
        let mut last_error = None;
        for attempt in 1..=attempts {
            let got = self
                .with_retries("end.pl", Retry::Idempotent, Pacing::TransferHost, || {
                    let mut req = self.http.get(url.clone()).header("JSON", "1");
                    if let Some(key) = &self.key {
                        req = req.header(AUTHORIZATION, key.bearer_header());
                    }
                    async move {
                        let resp = req.send().await.map_err(Failure::transport)?;
                        let (status, bytes) = crate::body::read_answer(resp).await?;
                        if !status.is_success() {
                            return crate::client::interpret(
                                status,
                                &reqwest::header::HeaderMap::new(),
                                &bytes,
                                self.account.pacer().flood_wait(),
                            )
                            .map(|_| None);
                        }
                        // HTML or no links are not failures of this request: the report
                        // isn't ready. Say so to the outer loop.
                        let text = String::from_utf8_lossy(&bytes);
                        if looks_like_html(&text) {
                            return Ok(None);
                        }
                        match serde_json::from_slice::<UploadReport>(&bytes) {
                            Ok(r) if !r.links.is_empty() => Ok(Some(r)),
                            Ok(_) => Ok(None),
                            Err(e) => Err(Failure {
                                error: ApiError::Protocol {
                                    detail: format!("unreadable upload report: {e}"),
                                },
                                kind: FailureKind::Final,
                            }),
                        }
                    }
                })
                .await;
            match got {
                Ok(Some(report)) => return Ok(report),
                Ok(None) => {
                    last_error = Some(ApiError::Protocol {
                        detail: "the upload report was not ready (HTML or no file listed)".into(),
                    });
                }
                Err(e @ ApiError::Protocol { .. }) => last_error = Some(e),
                Err(e) => return Err(e),
            }
            if attempt < attempts {
                tracing::debug!(target: "fichier_api", attempt, "upload report not ready");
                self.account
                    .pacer()
                    .wait(delay, WaitReason::UploadReport)
                    .await;
                delay = delay.saturating_mul(2);
            }
        }
        Err(last_error.unwrap_or(ApiError::Protocol {
            detail: "no upload report".into(),
        }))
    }
}

/// What an upload node's refusal means. Nodes answer in plain text.
fn upload_refusal(status: u16, text: &str, flood_wait: std::time::Duration) -> ApiError {
    let lower = text.to_ascii_lowercase();
    match status {
        413 => ApiError::FileTooLarge,
        411 => ApiError::Protocol {
            detail: "the upload node wanted a Content-Length".into(),
        },
        _ if lower.contains("empty") => ApiError::FileEmpty,
        _ if lower.contains("interrupted") => ApiError::Network {
            detail: "the connection broke during the upload".into(),
        },
        _ if lower.contains("too large") || lower.contains("too big") => ApiError::FileTooLarge,
        _ => match crate::client::interpret(
            reqwest::StatusCode::from_u16(status).unwrap_or(reqwest::StatusCode::BAD_GATEWAY),
            &reqwest::header::HeaderMap::new(),
            text.as_bytes(),
            flood_wait,
        ) {
            Err(f) => f.error,
            Ok(_) => ApiError::Protocol {
                detail: format!("upload refused with HTTP {status}"),
            },
        },
    }
}

#[cfg(test)]
mod tests;
