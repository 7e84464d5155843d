//! One upload: streamed from disk with an exact length, Whirlpool computed in the same
//! pass and compared with 1fichier's report. 1fichier can't resume an upload, so a failed
//! one starts again from the first byte — after checking that the previous attempt didn't
//! in fact reach the server, so a restart never leaves two files.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use fichier_api::{FileLsRequest, FileToRemove, MAX_FILE_SIZE, UploadOptions};
use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::error::CoreError;
use crate::hashing::HashWorker;
use crate::names::encode_name;
use crate::progress::PROGRESS_INTERVAL;
use crate::queue::JobCtx;
use crate::types::TransferPhase;

/// Bytes read from disk at a time.
const CHUNK: usize = 1 << 20;
/// Chunks read ahead of the network at most.
const READ_AHEAD: usize = 4;

/// Refuses what 1fichier would refuse, before anything is sent.
pub(crate) fn check_source(path: &Path) -> Result<u64, CoreError> {
    let meta = std::fs::metadata(path).map_err(|e| unreadable(path, &e))?;
    if !meta.is_file() {
        return Err(CoreError::SourceUnreadable {
            path: path.to_path_buf(),
            detail: "it is not a regular file".into(),
        });
    }
    let len = meta.len();
    if len == 0 {
        return Err(CoreError::FileEmpty {
            path: path.to_path_buf(),
        });
    }
    if len > MAX_FILE_SIZE {
        return Err(CoreError::FileTooLarge {
            path: path.to_path_buf(),
            size: len,
        });
    }
    Ok(len)
}

fn unreadable(path: &Path, e: &io::Error) -> CoreError {
    CoreError::SourceUnreadable {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

pub(crate) async fn run(ctx: &JobCtx) -> Result<(), CoreError> {
    let rec = ctx.record();
    if rec.password_set && rec.password.is_none() {
        // Never upload without the protection the user asked for.
        return Err(CoreError::PasswordForgotten);
    }
    let path = PathBuf::from(rec.local_path.clone().unwrap_or_default());
    let len = check_source(&path)?;
    // Readable? Find out now rather than after contacting 1fichier.
    let file = std::fs::File::open(&path).map_err(|e| unreadable(&path, &e))?;
    ctx.begin_upload(len);

    let folder = ctx
        .guard(ctx.folders().resolve(
            &ctx.client,
            rec.folder_id.unwrap_or(0),
            rec.remote_dir.as_deref(),
        ))
        .await?;
    let remote_name = encode_name(&rec.name);

    if rec.upload_started
        && let Some((url, checksum)) = find_previous(ctx, folder, &remote_name, len, &path).await?
    {
        tracing::info!(target: "fichier_core", id = ctx.id, "the previous attempt had reached 1fichier; not sending again");
        ctx.update(|r| {
            r.url = Some(url);
            r.checksum = Some(checksum);
            r.upload_started = false;
            r.bytes_done = len;
        });
        return Ok(());
    }
    // From here on a file may appear on the server: say so before sending.
    ctx.update(|r| r.upload_started = true);

    let hasher = ctx.options().verify_checksums.then(HashWorker::spawn);
    let hash_tx = hasher.as_ref().map(HashWorker::sender);
    let (body_tx, body_rx) = mpsc::channel::<io::Result<Bytes>>(READ_AHEAD);
    let reader_path = path.clone();
    let reader = std::thread::Builder::new()
        .name("upload-reader".into())
        .spawn(move || read_source(file, len, body_tx, hash_tx, &reader_path))
        .expect("a thread can be started");

    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    let bandwidth = ctx.bandwidth().clone();
    let body = futures_util::stream::unfold(body_rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    })
    .then(move |item| {
        let bandwidth = bandwidth.clone();
        let counter = counter.clone();
        async move {
            if let Ok(chunk) = &item {
                bandwidth.acquire(chunk.len()).await;
                counter.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            }
            item
        }
    });
    let opts = UploadOptions {
        folder_id: Some(folder),
        password: rec.password.clone(),
        ..Default::default()
    };
    let client = ctx.client.clone();
    let upload = client.upload(&remote_name, len, body, &opts);
    tokio::pin!(upload);
    let mut ticker = tokio::time::interval(PROGRESS_INTERVAL);
    let mut phase_set = false;
    let stall = ctx.options().stall_timeout;
    let mut last_move = (0u64, tokio::time::Instant::now());
    let result = loop {
        tokio::select! {
            biased;
            _ = ctx.stopped() => break Err(CoreError::Cancelled),
            r = &mut upload => break r.map_err(CoreError::from),
            _ = ticker.tick() => {
                let n = sent.load(Ordering::Relaxed);
                if n != last_move.0 {
                    last_move = (n, tokio::time::Instant::now());
                } else if n > 0 && n < len && last_move.1.elapsed() >= stall {
                    // The node takes nothing: give up this attempt and retry.
                    ctx.set_phase(Some(TransferPhase::Stalled));
                    break Err(CoreError::Api(fichier_api::ApiError::Timeout {
                        detail: format!("the upload node took no data for {} s", stall.as_secs().max(1)),
                    }));
                }
                if n > 0 && !phase_set {
                    ctx.set_phase(None);
                    phase_set = true;
                }
                ctx.progress(n, len);
                if n == len {
                    ctx.set_phase(Some(TransferPhase::Verifying));
                }
            }
        }
    };
    let read_result = tokio::task::spawn_blocking(move || reader.join())
        .await
        .expect("join task");
    let uploaded = match (result, read_result) {
        (Ok(u), _) => u,
        // The source failed: that's the error to show, not the broken upload.
        (Err(e), Ok(Err(read_err))) if !matches!(e, CoreError::Cancelled) => return Err(read_err),
        (Err(e), _) => return Err(e),
    };
    ctx.set_phase(Some(TransferPhase::Verifying));
    ctx.progress(len, len);
    let local_hash = match hasher {
        Some(h) => Some(h.finish().await),
        None => None,
    };
    conclude(ctx, len, local_hash, &uploaded, false).await
}

/// Settles an upload against 1fichier's report: a size or Whirlpool that differs from the
/// local file's, or a copy that is `unwanted` (cancelled meanwhile), is removed from
/// 1fichier and the upload fails; otherwise the record gets its URL and checksum.
/// One rule for single and batched uploads.
pub(crate) async fn conclude(
    ctx: &JobCtx,
    len: u64,
    local_hash: Option<String>,
    uploaded: &fichier_api::UploadedFile,
    unwanted: bool,
) -> Result<(), CoreError> {
    let bad = if uploaded.size != len {
        Some(CoreError::SizeMismatch {
            expected: len,
            actual: uploaded.size,
        })
    } else if let Some(local) = &local_hash
        && !uploaded.whirlpool.eq_ignore_ascii_case(local)
    {
        Some(CoreError::ChecksumMismatch {
            expected: local.chars().take(16).collect(),
            actual: uploaded.whirlpool.chars().take(16).collect(),
        })
    } else {
        None
    };
    if bad.is_some() || unwanted {
        // Don't leave a damaged or unwanted copy behind: a retry uploads a good one.
        let _ = ctx
            .client
            .remove_files(&[FileToRemove {
                url: uploaded.download.clone(),
                code: None,
            }])
            .await;
        ctx.update(|r| r.upload_started = false);
        return Err(bad.unwrap_or(CoreError::Cancelled));
    }
    ctx.update(|r| {
        r.url = Some(uploaded.download.clone());
        r.checksum = local_hash.or(Some(uploaded.whirlpool.to_ascii_lowercase()));
        r.upload_started = false;
        r.bytes_done = len;
    });
    Ok(())
}

/// Reads the file once, in order, feeding the hasher and the request body.
fn read_source(
    mut file: std::fs::File,
    len: u64,
    body: mpsc::Sender<io::Result<Bytes>>,
    hash: Option<mpsc::Sender<Bytes>>,
    path: &Path,
) -> Result<(), CoreError> {
    let mut left = len;
    while left > 0 {
        let want = CHUNK.min(left as usize);
        let mut buf = vec![0u8; want];
        let mut filled = 0;
        while filled < want {
            match file.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = body.blocking_send(Err(io::Error::new(e.kind(), e.to_string())));
                    return Err(unreadable(path, &e));
                }
            }
        }
        if filled == 0 {
            let detail = "the file shrank while it was being uploaded".to_string();
            let _ = body.blocking_send(Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                detail.clone(),
            )));
            return Err(CoreError::SourceUnreadable {
                path: path.to_path_buf(),
                detail,
            });
        }
        buf.truncate(filled);
        left -= filled as u64;
        let chunk = Bytes::from(buf);
        if let Some(h) = &hash {
            let _ = h.blocking_send(chunk.clone());
        }
        if body.blocking_send(Ok(chunk)).is_err() {
            // The upload was abandoned.
            return Ok(());
        }
    }
    Ok(())
}

/// After an upload that may have reached 1fichier (crash, broken connection after the
/// last byte), looks for the file in the destination folder: same name, same size, same
/// Whirlpool as the local file, and not the result of another upload of ours.
async fn find_previous(
    ctx: &JobCtx,
    folder: i64,
    remote_name: &str,
    len: u64,
    path: &Path,
) -> Result<Option<(String, String)>, CoreError> {
    ctx.set_phase(Some(TransferPhase::Verifying));
    let listing = ctx
        .guard(ctx.client.list_files_fresh(&FileLsRequest::folder(folder)))
        .await?;
    let claimed = ctx.claimed_urls();
    let candidates: Vec<_> = listing
        .items
        .into_iter()
        .filter(|i| i.filename == remote_name && i.size == len && !claimed.contains(&i.url))
        .collect();
    if candidates.is_empty() {
        ctx.set_phase(Some(TransferPhase::Connecting));
        return Ok(None);
    }
    // Recovery only: one read of the local file to compare checksums.
    let p = path.to_path_buf();
    let local = tokio::task::spawn_blocking(move || crate::hashing::whirlpool_file(&p))
        .await
        .expect("hash task")
        .map_err(|e| unreadable(path, &e))?;
    ctx.set_phase(Some(TransferPhase::Connecting));
    Ok(candidates
        .into_iter()
        .find(|c| {
            c.checksum
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case(&local))
        })
        .map(|c| (c.url, local)))
}
