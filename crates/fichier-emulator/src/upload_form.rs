//! Reading the multipart body of `upload.cgi`: file parts go to disk as they arrive, text
//! parts are read piece by piece under a size cap, and the number of parts is bounded, so
//! no request can make the upload node hold more than a little of it in memory.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use axum::http::StatusCode;
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use tokio::io::AsyncWriteExt;

use crate::AppState;
use crate::follow_hash::{Follower, PendingChecksum};
use crate::state;

/// 1fichier's per-file limit (300 GB, protocol §6).
pub const MAX_FILE_SIZE: u64 = 300_000_000_000;
/// Files in one request (protocol §6: 500 per request).
pub const MAX_FILES: usize = 500;
/// Text parts in one request: the form has about ten (`did`, `dpass`, `user`, `mail`,
/// `mails`, `message`, `domain`, ...), so this leaves room for old scripts' extras.
pub const MAX_TEXT_FIELDS: usize = 64;
/// Bytes in one text part. The longest legitimate values are `message` (2000 characters,
/// up to 8000 bytes of UTF-8) and `mails` (20 addresses of up to 250 characters).
pub const MAX_TEXT_FIELD_BYTES: usize = 8 * 1024;
/// Length of a part's name.
const MAX_FIELD_NAME_BYTES: usize = 256;
/// Bytes the multipart parser may hold without handing any of them over: the preamble, a
/// part's headers, boundaries. Past this, the body is not a form worth reading.
const MAX_UNCONSUMED: u64 = 16 << 20;
/// Received bytes are written to disk in pieces of this size.
const WRITE_BUFFER: usize = 1 << 20;

#[derive(Debug)]
pub(crate) enum UploadRefusal {
    Status(StatusCode, String),
    Aborted,
}

impl UploadRefusal {
    fn new(status: StatusCode, message: impl Into<String>) -> UploadRefusal {
        UploadRefusal::Status(status, message.into())
    }
}

impl From<multer::Error> for UploadRefusal {
    fn from(e: multer::Error) -> Self {
        match e {
            multer::Error::StreamReadFailed(_) => UploadRefusal::Aborted,
            other => UploadRefusal::new(
                StatusCode::BAD_REQUEST,
                format!("Malformed upload: {other}"),
            ),
        }
    }
}

impl From<std::io::Error> for UploadRefusal {
    fn from(e: std::io::Error) -> Self {
        UploadRefusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("Storage error: {e}"),
        )
    }
}

/// Removes a partly written file unless the upload completes.
pub(crate) struct PendingFile {
    path: Option<PathBuf>,
}

impl PendingFile {
    pub fn keep(mut self) -> PathBuf {
        self.path.take().expect("kept once")
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if let Some(p) = self.path.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

pub(crate) struct Received {
    pub files: Vec<(String, PendingFile, u64, PendingChecksum)>,
    pub fields: HashMap<String, String>,
}

/// How far the bytes read from the connection are ahead of the bytes the parser has
/// handed over: what it is holding in memory.
#[derive(Default)]
struct Backlog {
    received: AtomicU64,
    consumed: AtomicU64,
    tripped: AtomicBool,
}

impl Backlog {
    fn consumed(&self, n: usize) {
        self.consumed.fetch_add(n as u64, Ordering::Relaxed);
    }

    /// Counts `n` more bytes received; false once the parser holds too many.
    fn received(&self, n: usize) -> bool {
        let received = self.received.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
        let held = received.saturating_sub(self.consumed.load(Ordering::Relaxed));
        if held > MAX_UNCONSUMED {
            self.tripped.store(true, Ordering::Relaxed);
            return false;
        }
        true
    }
}

/// Feeds `body` to the multipart parser and reads every part.
pub(crate) async fn receive<S>(
    st: &AppState,
    body: S,
    boundary: String,
) -> Result<Received, UploadRefusal>
where
    S: Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
{
    let backlog = Arc::new(Backlog::default());
    let watch = backlog.clone();
    let guarded = body.map(move |chunk| {
        let chunk = chunk?;
        if watch.received(chunk.len()) {
            Ok(chunk)
        } else {
            Err(std::io::Error::other("multipart framing too long"))
        }
    });
    let mp = multer::Multipart::new(guarded, boundary);
    match read_parts(st, mp, &backlog).await {
        Err(UploadRefusal::Aborted) if backlog.tripped.load(Ordering::Relaxed) => {
            Err(UploadRefusal::new(
                StatusCode::BAD_REQUEST,
                "Malformed upload: part headers longer than 16 MiB",
            ))
        }
        other => other,
    }
}

async fn read_parts(
    st: &AppState,
    mut mp: multer::Multipart<'static>,
    backlog: &Backlog,
) -> Result<Received, UploadRefusal> {
    let mut files = Vec::new();
    let mut fields = HashMap::new();
    let mut text_parts = 0usize;
    while let Some(mut field) = mp.next_field().await? {
        let name = field.name().unwrap_or_default().to_string();
        if name.len() > MAX_FIELD_NAME_BYTES {
            return Err(UploadRefusal::new(
                StatusCode::BAD_REQUEST,
                format!(
                    "Malformed upload: a part name is longer than {MAX_FIELD_NAME_BYTES} bytes"
                ),
            ));
        }
        match field.file_name().map(str::to_string) {
            Some(filename) if name.starts_with("file") => {
                if let Err(reason) = state::check_name(&filename) {
                    return Err(UploadRefusal::new(StatusCode::FORBIDDEN, reason));
                }
                if files.len() >= MAX_FILES {
                    return Err(UploadRefusal::new(
                        StatusCode::FORBIDDEN,
                        "At most 500 files per upload",
                    ));
                }
                let (pending, size, checksum) = store_file(st, &mut field, backlog).await?;
                if size == 0 {
                    return Err(UploadRefusal::new(
                        StatusCode::FORBIDDEN,
                        format!("Empty files cannot be uploaded: {filename}"),
                    ));
                }
                files.push((filename, pending, size, checksum));
            }
            Some(_) => {
                // A file under a name the node does not use: read past it, keep nothing.
                while let Some(chunk) = field.chunk().await? {
                    backlog.consumed(chunk.len());
                }
            }
            None => {
                text_parts += 1;
                if text_parts > MAX_TEXT_FIELDS {
                    return Err(UploadRefusal::new(
                        StatusCode::BAD_REQUEST,
                        format!("Too many fields: at most {MAX_TEXT_FIELDS} per upload"),
                    ));
                }
                let value = read_text(&mut field, &name, backlog).await?;
                fields.insert(name, value);
            }
        }
    }
    if files.is_empty() {
        return Err(UploadRefusal::new(
            StatusCode::BAD_REQUEST,
            "No file in the upload",
        ));
    }
    Ok(Received { files, fields })
}

/// A text part, read piece by piece and refused as soon as it passes the cap.
async fn read_text(
    field: &mut multer::Field<'static>,
    name: &str,
    backlog: &Backlog,
) -> Result<String, UploadRefusal> {
    let mut value = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        backlog.consumed(chunk.len());
        if value.len() + chunk.len() > MAX_TEXT_FIELD_BYTES {
            return Err(UploadRefusal::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("Field too large: {name} (at most {MAX_TEXT_FIELD_BYTES} bytes)"),
            ));
        }
        value.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&value).into_owned())
}

/// Writes one file part to a fresh blob path, hashing it behind the writer.
async fn store_file(
    st: &AppState,
    field: &mut multer::Field<'static>,
    backlog: &Backlog,
) -> Result<(PendingFile, u64, PendingChecksum), UploadRefusal> {
    let path = st.shared.new_blob_path();
    let pending = PendingFile {
        path: Some(path.clone()),
    };
    let mut out = tokio::fs::File::create(&path).await?;
    // Hashed behind the writer on a thread of its own (see `follow_hash`).
    let (follower, checksum) = Follower::start(path.clone())?;
    let mut buf = Vec::with_capacity(WRITE_BUFFER);
    // Handed to tokio but maybe not on disk yet: tokio writes a file in the background,
    // one write at a time, so these bytes are on disk once the next write has been
    // accepted (or after the final flush).
    let mut in_flight = 0u64;
    let mut size = 0u64;
    while let Some(chunk) = field.chunk().await? {
        backlog.consumed(chunk.len());
        size = size.saturating_add(chunk.len() as u64);
        if size > MAX_FILE_SIZE {
            return Err(UploadRefusal::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "File too large: 1fichier accepts at most 300 GB per file",
            ));
        }
        buf.extend_from_slice(&chunk);
        if buf.len() >= WRITE_BUFFER {
            out.write_all(&buf).await?;
            follower.advance(in_flight);
            in_flight = buf.len() as u64;
            buf.clear();
        }
    }
    out.write_all(&buf).await?;
    out.flush().await?;
    follower.advance(in_flight + buf.len() as u64);
    follower.finish();
    Ok((pending, size, checksum))
}
