//! What WebDAV opens: metadata, directory entries, a file being read (remote or local)
//! and a file being written (streamed into a verified upload, spooled when its length is
//! unknown, or kept locally when it is empty or housekeeping).

use std::io::SeekFrom;
use std::sync::Arc;
use std::time::SystemTime;

use bytes::{Buf, Bytes};
use dav_server::fs::{DavDirEntry, DavFile, DavMetaData, FsError, FsFuture, FsResult};
use fichier_api::ApiError;
use fichier_api::types::{UploadOptions, UploadedFile};
use futures_util::FutureExt;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;
use whirlpool::{Digest, Whirlpool};

use crate::context::{Ctx, Shared};
use crate::reader::Reader;

#[derive(Debug, Clone)]
pub struct Meta {
    pub len: u64,
    pub modified: SystemTime,
    pub dir: bool,
    pub etag: Option<String>,
}

impl Meta {
    pub fn dir(created: SystemTime) -> Meta {
        Meta {
            len: 0,
            modified: created,
            dir: true,
            etag: None,
        }
    }

    pub fn file(len: u64, modified: SystemTime, etag: Option<String>) -> Meta {
        Meta {
            len,
            modified,
            dir: false,
            etag,
        }
    }
}

impl DavMetaData for Meta {
    fn len(&self) -> u64 {
        self.len
    }
    fn modified(&self) -> FsResult<SystemTime> {
        Ok(self.modified)
    }
    fn created(&self) -> FsResult<SystemTime> {
        Ok(self.modified)
    }
    fn is_dir(&self) -> bool {
        self.dir
    }
    fn etag(&self) -> Option<String> {
        if let Some(e) = &self.etag {
            return Some(e.clone());
        }
        let t = self.modified.duration_since(SystemTime::UNIX_EPOCH).ok()?;
        Some(format!("{:x}-{:x}", self.len, t.as_micros()))
    }
}

pub struct Entry {
    pub name: String,
    pub meta: Meta,
}

impl DavDirEntry for Entry {
    fn name(&self) -> Vec<u8> {
        self.name.as_bytes().to_vec()
    }
    fn metadata(&self) -> FsFuture<'_, Box<dyn DavMetaData>> {
        let m: Box<dyn DavMetaData> = Box::new(self.meta.clone());
        futures_util::future::ready(Ok(m)).boxed()
    }
}

fn seek_to(pos: SeekFrom, cur: u64, len: u64) -> FsResult<u64> {
    let to = match pos {
        SeekFrom::Start(p) => Some(p),
        SeekFrom::Current(d) => cur.checked_add_signed(d),
        SeekFrom::End(d) => len.checked_add_signed(d),
    };
    to.ok_or(FsError::GeneralFailure)
}

/// A 1fichier file being read.
#[derive(Debug)]
pub struct RemoteRead {
    pub reader: Reader,
    pub meta: Meta,
    pub ctx: Ctx,
}

impl DavFile for RemoteRead {
    fn metadata(&'_ mut self) -> FsFuture<'_, Box<dyn DavMetaData>> {
        let m: Box<dyn DavMetaData> = Box::new(self.meta.clone());
        futures_util::future::ready(Ok(m)).boxed()
    }
    fn write_buf(&'_ mut self, _: Box<dyn Buf + Send>) -> FsFuture<'_, ()> {
        futures_util::future::ready(Err(FsError::Forbidden)).boxed()
    }
    fn write_bytes(&'_ mut self, _: Bytes) -> FsFuture<'_, ()> {
        futures_util::future::ready(Err(FsError::Forbidden)).boxed()
    }
    fn read_bytes(&'_ mut self, count: usize) -> FsFuture<'_, Bytes> {
        async move {
            match self.reader.read(count).await {
                // An empty read before the end would be padded with zeros: fail instead.
                Ok(b) if b.is_empty() && self.reader.position() < self.reader.size() => {
                    Err(FsError::GeneralFailure)
                }
                Ok(b) => Ok(b),
                Err(e) => {
                    tracing::warn!(len = self.reader.size(), "a read stopped: {e}");
                    Err(self.ctx.fail(e))
                }
            }
        }
        .boxed()
    }
    fn seek(&'_ mut self, pos: SeekFrom) -> FsFuture<'_, u64> {
        let r = seek_to(pos, self.reader.position(), self.reader.size())
            .inspect(|&p| self.reader.seek(p));
        futures_util::future::ready(r).boxed()
    }
    fn flush(&'_ mut self) -> FsFuture<'_, ()> {
        futures_util::future::ready(Ok(())).boxed()
    }
}

/// A file kept on this side, being read.
#[derive(Debug)]
pub struct LocalRead {
    pub data: Arc<Vec<u8>>,
    pub pos: u64,
    pub meta: Meta,
}

impl DavFile for LocalRead {
    fn metadata(&'_ mut self) -> FsFuture<'_, Box<dyn DavMetaData>> {
        let m: Box<dyn DavMetaData> = Box::new(self.meta.clone());
        futures_util::future::ready(Ok(m)).boxed()
    }
    fn write_buf(&'_ mut self, _: Box<dyn Buf + Send>) -> FsFuture<'_, ()> {
        futures_util::future::ready(Err(FsError::Forbidden)).boxed()
    }
    fn write_bytes(&'_ mut self, _: Bytes) -> FsFuture<'_, ()> {
        futures_util::future::ready(Err(FsError::Forbidden)).boxed()
    }
    fn read_bytes(&'_ mut self, count: usize) -> FsFuture<'_, Bytes> {
        let start = (self.pos as usize).min(self.data.len());
        let end = start.saturating_add(count).min(self.data.len());
        self.pos = end as u64;
        futures_util::future::ready(Ok(Bytes::copy_from_slice(&self.data[start..end]))).boxed()
    }
    fn seek(&'_ mut self, pos: SeekFrom) -> FsFuture<'_, u64> {
        let r = seek_to(pos, self.pos, self.data.len() as u64).inspect(|p| self.pos = *p);
        futures_util::future::ready(r).boxed()
    }
    fn flush(&'_ mut self) -> FsFuture<'_, ()> {
        futures_util::future::ready(Ok(())).boxed()
    }
}

enum Sink {
    /// The length is known: bytes go on to 1fichier as they come.
    Stream {
        tx: Option<mpsc::Sender<std::io::Result<Bytes>>>,
        task: tokio::task::JoinHandle<Result<UploadedFile, ApiError>>,
    },
    /// No length: bytes wait in a temporary file until the end.
    Spool {
        file: tokio::fs::File,
        path: tempfile::TempPath,
    },
    /// Empty or housekeeping: kept here.
    Local { buf: Vec<u8> },
}

/// A file being written at `key` ("/a/b/name").
pub struct Write {
    pub shared: Arc<Shared>,
    pub ctx: Ctx,
    pub key: String,
    pub name: String,
    pub folder_id: i64,
    /// The file this one replaces once it is verified.
    pub replaces: Option<String>,
    expected: Option<u64>,
    written: u64,
    hasher: Whirlpool,
    sink: Option<Sink>,
}

impl std::fmt::Debug for Write {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Write")
            .field("key", &self.key)
            .field("written", &self.written)
            .finish_non_exhaustive()
    }
}

impl Drop for Write {
    fn drop(&mut self) {
        // The client went away before the end: the upload is cut, no file is made.
        if let Some(Sink::Stream { task, .. }) = &self.sink {
            task.abort();
        }
    }
}

/// Where a write goes: its path, its name in its 1fichier folder, and the file it
/// replaces once verified.
pub struct Target {
    pub key: String,
    pub name: String,
    pub folder_id: i64,
    pub replaces: Option<String>,
}

/// Capacity of the channel between the client's body and the upload: a few frames.
const UPLOAD_QUEUE: usize = 8;

impl Write {
    pub async fn start(
        shared: Arc<Shared>,
        ctx: Ctx,
        target: Target,
        size: Option<u64>,
        local: bool,
    ) -> FsResult<Write> {
        let Target {
            key,
            name,
            folder_id,
            replaces,
        } = target;
        let sink = match size {
            _ if local => Sink::Local { buf: Vec::new() },
            Some(0) => Sink::Local { buf: Vec::new() },
            Some(len) => {
                let (tx, rx) = mpsc::channel::<std::io::Result<Bytes>>(UPLOAD_QUEUE);
                let body = futures_util::stream::unfold(rx, |mut rx| async move {
                    rx.recv().await.map(|item| (item, rx))
                });
                let client = shared.tree.library().client().clone();
                let upload_name = fichier_core::encode_name(&name);
                shared.stats.api_call();
                let task = tokio::spawn(async move {
                    let opts = UploadOptions {
                        folder_id: Some(folder_id),
                        ..UploadOptions::default()
                    };
                    client.upload(&upload_name, len, body, &opts).await
                });
                Sink::Stream { tx: Some(tx), task }
            }
            None => {
                let path = tempfile::Builder::new()
                    .prefix("fichier-put-")
                    .tempfile_in(&shared.spool_dir)
                    .map_err(|_| FsError::InsufficientStorage)?
                    .into_temp_path();
                let file = tokio::fs::File::create(&path)
                    .await
                    .map_err(|_| FsError::InsufficientStorage)?;
                Sink::Spool { file, path }
            }
        };
        Ok(Write {
            shared,
            ctx,
            key,
            name,
            folder_id,
            replaces,
            expected: size,
            written: 0,
            hasher: Whirlpool::new(),
            sink: Some(sink),
        })
    }

    async fn push(&mut self, b: Bytes) -> FsResult<()> {
        if b.is_empty() {
            return Ok(());
        }
        self.written += b.len() as u64;
        if self.expected.is_some_and(|n| self.written > n) {
            return Err(FsError::GeneralFailure);
        }
        self.hasher.update(&b);
        match self.sink.as_mut() {
            Some(Sink::Stream { tx: Some(tx), .. }) => {
                tx.send(Ok(b)).await.map_err(|_| FsError::IsRemote)
            }
            Some(Sink::Spool { file, .. }) => file
                .write_all(&b)
                .await
                .map_err(|_| FsError::InsufficientStorage),
            Some(Sink::Local { buf }) => {
                if buf.len() + b.len() > crate::local::MAX_LOCAL_FILE {
                    return Err(FsError::InsufficientStorage);
                }
                buf.extend_from_slice(&b);
                Ok(())
            }
            _ => Err(FsError::GeneralFailure),
        }
    }

    async fn finish(&mut self) -> FsResult<()> {
        if self.expected.is_some_and(|n| n != self.written) {
            // Fewer or more bytes than announced: nothing is kept.
            return Err(FsError::GeneralFailure);
        }
        let digest = hex::encode(std::mem::take(&mut self.hasher).finalize());
        let uploaded = match self.sink.take() {
            None => return Ok(()),
            Some(Sink::Local { buf }) => {
                return if self.shared.local.put(&self.key, buf) {
                    Ok(())
                } else {
                    Err(FsError::InsufficientStorage)
                };
            }
            Some(Sink::Spool { mut file, path }) => {
                file.flush()
                    .await
                    .map_err(|_| FsError::InsufficientStorage)?;
                drop(file);
                if self.written == 0 {
                    return if self.shared.local.put(&self.key, Vec::new()) {
                        Ok(())
                    } else {
                        Err(FsError::InsufficientStorage)
                    };
                }
                let f = tokio::fs::File::open(&path)
                    .await
                    .map_err(|_| FsError::GeneralFailure)?;
                let body = tokio_util::io::ReaderStream::with_capacity(f, 256 << 10);
                let opts = UploadOptions {
                    folder_id: Some(self.folder_id),
                    ..UploadOptions::default()
                };
                self.shared.stats.api_call();
                let r = self
                    .shared
                    .tree
                    .library()
                    .client()
                    .upload(
                        &fichier_core::encode_name(&self.name),
                        self.written,
                        body,
                        &opts,
                    )
                    .await;
                drop(path);
                r
            }
            Some(Sink::Stream { tx, task }) => {
                drop(tx);
                match task.await {
                    Ok(r) => r,
                    Err(_) => return Err(FsError::GeneralFailure),
                }
            }
        };
        let up = uploaded.map_err(|e| self.ctx.fail(e))?;
        let lib = self.shared.tree.library();
        if up.size != self.written || !up.whirlpool.eq_ignore_ascii_case(&digest) {
            tracing::warn!(key = %self.key, "the uploaded file does not match what was sent");
            let _ = lib.delete_files(vec![up.download.clone()]).await;
            self.ctx
                .hint(502, None, fichier_core::ErrorCode::ChecksumMismatch);
            return Err(FsError::GeneralFailure);
        }
        self.shared.local.remove(&self.key);
        if let Some(old) = self.replaces.take() {
            self.shared.stats.api_call();
            if let Err(e) = lib.delete_files(vec![old]).await {
                tracing::warn!(key = %self.key, "the replaced file stays: {e}");
            }
        }
        Ok(())
    }
}

impl DavFile for Write {
    fn metadata(&'_ mut self) -> FsFuture<'_, Box<dyn DavMetaData>> {
        let m: Box<dyn DavMetaData> = Box::new(Meta::file(self.written, SystemTime::now(), None));
        futures_util::future::ready(Ok(m)).boxed()
    }
    fn write_buf(&'_ mut self, mut buf: Box<dyn Buf + Send>) -> FsFuture<'_, ()> {
        let b = buf.copy_to_bytes(buf.remaining());
        self.push(b).boxed()
    }
    fn write_bytes(&'_ mut self, buf: Bytes) -> FsFuture<'_, ()> {
        self.push(buf).boxed()
    }
    fn read_bytes(&'_ mut self, _: usize) -> FsFuture<'_, Bytes> {
        futures_util::future::ready(Err(FsError::Forbidden)).boxed()
    }
    fn seek(&'_ mut self, pos: SeekFrom) -> FsFuture<'_, u64> {
        // Only where the bytes already are: 1fichier files are written once, in order.
        let r = match pos {
            SeekFrom::Start(p) if p == self.written => Ok(p),
            SeekFrom::Current(0) => Ok(self.written),
            _ => Err(FsError::NotImplemented),
        };
        futures_util::future::ready(r).boxed()
    }
    fn flush(&'_ mut self) -> FsFuture<'_, ()> {
        self.finish().boxed()
    }
}
