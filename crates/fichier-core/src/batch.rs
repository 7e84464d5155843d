//! Small uploads sent together. Up to [`BATCH_MAX_FILES`] files of at most [`SMALL_FILE`]
//! bytes (and [`BATCH_MAX_BYTES`] in all, so a failed request costs little) go to 1fichier
//! in one upload request: one upload node asked of the API, one report, instead of one
//! of each per file. A folder of thousands of photos is then limited by the line, not by
//! 1fichier's two API calls a second.
//!
//! Each file stays its own transfer: its own progress, its own Whirlpool compared with its
//! line of the report, its own outcome. A file may be paused or cancelled while its batch
//! is on the way (a cancelled one is removed from 1fichier once the batch lands). After a
//! crash mid-batch, one listing of the folder tells which files 1fichier already has; those
//! are adopted, never sent twice.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use fichier_api::{BatchFile, FileLsRequest, UploadOptions};
use futures_util::StreamExt;

use crate::error::CoreError;
use crate::hashing::whirlpool_hex;
use crate::names::encode_name;
use crate::progress::PROGRESS_INTERVAL;
use crate::queue::{Control, JobCtx};
use crate::store::Record;
use crate::types::{TransferKind, TransferPhase};

/// Largest file sent in a batch; larger ones go alone, streamed.
pub const SMALL_FILE: u64 = 4 << 20;
/// Files in one batch (1fichier takes up to 500 per request; 100 keeps a failure cheap).
pub const BATCH_MAX_FILES: usize = 100;
/// Bytes in one batch.
pub const BATCH_MAX_BYTES: u64 = 64 << 20;
/// Bytes handed to the request at a time (progress and bandwidth granularity).
const PIECE: usize = 64 << 10;

/// Whether an upload may go in a batch. Password-protected files go alone: a batch has
/// one password for all its files.
pub(crate) fn batchable(rec: &Record) -> bool {
    rec.kind == TransferKind::Upload
        && !rec.password_set
        && rec.bytes_total > 0
        && rec.bytes_total <= SMALL_FILE
}

/// Whether `other` may join a batch led by `leader`: batchable, to the same destination.
/// (The scheduler also keeps names distinct within a batch: the report is matched by name.)
pub(crate) fn same_batch(leader: &Record, other: &Record) -> bool {
    batchable(other) && other.folder_id == leader.folder_id && other.remote_dir == leader.remote_dir
}

/// One file of the batch while it runs.
struct Member<'a> {
    ctx: &'a JobCtx,
    path: PathBuf,
    len: u64,
    name: String,
    sent: Arc<AtomicU64>,
    hash: Arc<Mutex<Option<String>>>,
}

/// Runs the batch; returns one outcome per context, in order.
pub(crate) async fn run(ctxs: &[JobCtx]) -> Vec<Result<(), CoreError>> {
    let mut out: Vec<Option<Result<(), CoreError>>> = ctxs.iter().map(|_| None).collect();
    let mut members = Vec::new();
    for (i, ctx) in ctxs.iter().enumerate() {
        let rec = ctx.record();
        let path = PathBuf::from(rec.local_path.clone().unwrap_or_default());
        match crate::upload::check_source(&path) {
            Ok(len) => {
                ctx.begin_upload(len);
                members.push((
                    i,
                    rec.upload_started,
                    Member {
                        ctx,
                        path,
                        len,
                        name: encode_name(&rec.name),
                        sent: Arc::new(AtomicU64::new(0)),
                        hash: Arc::new(Mutex::new(None)),
                    },
                ));
            }
            Err(e) => out[i] = Some(Err(e)),
        }
    }
    let Some((_, _, first)) = members.first() else {
        return finished(out);
    };
    let lead = first.ctx;
    let rec = lead.record();
    let folder = match all_stop_guard(
        &members,
        lead.folders().resolve(
            &lead.client,
            rec.folder_id.unwrap_or(0),
            rec.remote_dir.as_deref(),
        ),
    )
    .await
    {
        Ok(f) => f,
        Err(e) => {
            for (i, _, _) in &members {
                out[*i] = Some(Err(clone_error(&e)));
            }
            return finished(out);
        }
    };

    // Files of an earlier attempt that may have reached 1fichier: one listing for all.
    if members.iter().any(|(_, started, _)| *started) {
        match adopt_previous(lead, folder, &members).await {
            Ok(adopted) => {
                members.retain(|(i, _, _)| {
                    if adopted.contains(i) {
                        out[*i] = Some(Ok(()));
                        false
                    } else {
                        true
                    }
                });
            }
            Err(e) => {
                for (i, _, _) in &members {
                    out[*i] = Some(Err(clone_error(&e)));
                }
                return finished(out);
            }
        }
    }
    if members.is_empty() {
        return finished(out);
    }
    // From here on files may appear on the server: say so before sending.
    for (_, _, m) in &members {
        m.ctx.update(|r| r.upload_started = true);
    }

    let files: Vec<BatchFile> = members
        .iter()
        .map(|(_, _, m)| BatchFile {
            name: m.name.clone(),
            len: m.len,
            body: file_body(m, lead),
        })
        .collect();
    let opts = UploadOptions {
        folder_id: Some(folder),
        ..Default::default()
    };
    let client = lead.client.clone();
    let upload = client.upload_batch(files, &opts);
    tokio::pin!(upload);
    let mut ticker = tokio::time::interval(PROGRESS_INTERVAL);
    let stopped = all_stopped(&members);
    tokio::pin!(stopped);
    let result = loop {
        tokio::select! {
            biased;
            _ = &mut stopped => break Err(CoreError::Cancelled),
            r = &mut upload => break r.map_err(CoreError::from),
            _ = ticker.tick() => {
                for (_, _, m) in &members {
                    let n = m.sent.load(Ordering::Relaxed);
                    if n > 0 {
                        m.ctx.set_phase(if n >= m.len { Some(TransferPhase::Verifying) } else { None });
                    }
                    m.ctx.progress(n, m.len);
                }
            }
        }
    };
    let lines = match result {
        Ok(lines) => lines,
        Err(e) => {
            // 1fichier keeps nothing of a request that broke; files read unchanged go again.
            for (i, _, m) in &members {
                out[*i] = Some(Err(clone_error(&e)));
                m.ctx.update(|r| r.bytes_done = 0);
            }
            return finished(out);
        }
    };
    for ((i, _, m), line) in members.iter().zip(lines) {
        out[*i] = Some(settle(m, line).await);
    }
    finished(out)
}

fn finished(out: Vec<Option<Result<(), CoreError>>>) -> Vec<Result<(), CoreError>> {
    out.into_iter()
        .map(|r| r.unwrap_or(Err(CoreError::Cancelled)))
        .collect()
}

/// Checks one file against its line of the report and records the result.
async fn settle(
    m: &Member<'_>,
    line: Result<fichier_api::UploadedFile, fichier_api::ApiError>,
) -> Result<(), CoreError> {
    let uploaded = match line {
        Ok(u) => u,
        Err(e) => {
            m.ctx.update(|r| r.upload_started = false);
            return Err(e.into());
        }
    };
    // The hash is only computed when verification is on.
    let local = m.hash.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let unwanted = m.ctx.control() == Control::Cancel;
    crate::upload::conclude(m.ctx, m.len, local, &uploaded, unwanted).await?;
    m.ctx.progress(m.len, m.len);
    Ok(())
}

/// The file's bytes, read when the request reaches it: whole (it is small), checked for
/// the length announced, hashed, then handed over in pieces under the bandwidth limit.
fn file_body(m: &Member<'_>, lead: &JobCtx) -> fichier_api::FileBody {
    let path = m.path.clone();
    let len = m.len;
    let sent = m.sent.clone();
    let hash = m.hash.clone();
    let bandwidth = lead.bandwidth().clone();
    let verify = lead.options().verify_checksums;
    let read = async move {
        let data = tokio::task::spawn_blocking(move || read_exact_len(&path, len))
            .await
            .map_err(std::io::Error::other)??;
        if verify {
            let d = data.clone();
            let h = tokio::task::spawn_blocking(move || whirlpool_hex(&d))
                .await
                .map_err(std::io::Error::other)?;
            *hash.lock().unwrap_or_else(|e| e.into_inner()) = Some(h);
        }
        Ok::<_, std::io::Error>((data, sent, bandwidth))
    };
    Box::pin(
        futures_util::stream::once(read)
            .map(|r| match r {
                Ok((data, sent, bandwidth)) => {
                    let pieces: Vec<Bytes> = (0..data.len())
                        .step_by(PIECE)
                        .map(|at| data.slice(at..(at + PIECE).min(data.len())))
                        .collect();
                    futures_util::stream::iter(pieces)
                        .then(move |piece| {
                            let bandwidth = bandwidth.clone();
                            let sent = sent.clone();
                            async move {
                                bandwidth.acquire(piece.len()).await;
                                sent.fetch_add(piece.len() as u64, Ordering::Relaxed);
                                Ok(piece)
                            }
                        })
                        .boxed()
                }
                Err(e) => futures_util::stream::once(async move { Err(e) }).boxed(),
            })
            .flatten(),
    )
}

/// Reads the whole file, which must still have `len` bytes.
fn read_exact_len(path: &Path, len: u64) -> std::io::Result<Bytes> {
    let data = std::fs::read(path)?;
    if data.len() as u64 != len {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "{} changed while it was being uploaded; it will be sent again",
                path.display()
            ),
        ));
    }
    Ok(Bytes::from(data))
}

/// Members whose earlier attempt reached 1fichier: same name, size and Whirlpool in the
/// folder, not already another transfer's file. Their records are completed.
async fn adopt_previous(
    lead: &JobCtx,
    folder: i64,
    members: &[(usize, bool, Member<'_>)],
) -> Result<HashSet<usize>, CoreError> {
    for (_, started, m) in members {
        if *started {
            m.ctx.set_phase(Some(TransferPhase::Verifying));
        }
    }
    let listing = all_stop_guard(
        members,
        lead.client.list_files_fresh(&FileLsRequest::folder(folder)),
    )
    .await?;
    let mut taken: HashSet<String> = lead.claimed_urls().into_iter().collect();
    let mut adopted = HashSet::new();
    for (i, started, m) in members {
        if !*started {
            continue;
        }
        let candidates: Vec<_> = listing
            .items
            .iter()
            .filter(|f| f.filename == m.name && f.size == m.len && !taken.contains(&f.url))
            .collect();
        if candidates.is_empty() {
            m.ctx.set_phase(Some(TransferPhase::Connecting));
            continue;
        }
        let path = m.path.clone();
        let len = m.len;
        let local = tokio::task::spawn_blocking(move || {
            read_exact_len(&path, len).map(|d| whirlpool_hex(&d))
        })
        .await
        .map_err(|e| CoreError::SourceUnreadable {
            path: m.path.clone(),
            detail: e.to_string(),
        })?;
        let Ok(local) = local else {
            m.ctx.set_phase(Some(TransferPhase::Connecting));
            continue;
        };
        if let Some(found) = candidates.into_iter().find(|f| {
            f.checksum
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(&local))
        }) {
            tracing::info!(target: "fichier_core", id = m.ctx.id, "the previous attempt had reached 1fichier; not sending again");
            taken.insert(found.url.clone());
            let url = found.url.clone();
            m.ctx.update(|r| {
                r.url = Some(url);
                r.checksum = Some(local.clone());
                r.upload_started = false;
                r.bytes_done = len;
            });
            adopted.insert(*i);
        } else {
            m.ctx.set_phase(Some(TransferPhase::Connecting));
        }
    }
    Ok(adopted)
}

/// Resolves once every member has been asked to stop.
async fn all_stopped(members: &[(usize, bool, Member<'_>)]) {
    futures_util::future::join_all(members.iter().map(|(_, _, m)| m.ctx.stopped())).await;
}

/// Runs `fut` unless every member is asked to stop first.
async fn all_stop_guard<T, E>(
    members: &[(usize, bool, Member<'_>)],
    fut: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, CoreError>
where
    CoreError: From<E>,
{
    tokio::select! {
        biased;
        _ = all_stopped(members) => Err(CoreError::Cancelled),
        r = fut => r.map_err(CoreError::from),
    }
}

/// The same failure for each file of the batch.
fn clone_error(e: &CoreError) -> CoreError {
    match e {
        CoreError::Api(api) => CoreError::Api(api.clone()),
        CoreError::Cancelled => CoreError::Cancelled,
        other => CoreError::Api(fichier_api::ApiError::Network {
            detail: other.to_string(),
        }),
    }
}
