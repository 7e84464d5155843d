//! One download: fresh token for every start and resume, bytes to `<name>.part` with a
//! journal of the fsynced offset, `Range` resume, size and Whirlpool checked before the
//! file is renamed into place (never over an existing file). A large file comes on
//! several connections (see `segments`).

use fichier_api::ErrorCode;
use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use fichier_api::{ApiError, Download, FileInfoRequest, GetTokenRequest, Password};
use futures_util::StreamExt;
use tokio::time::Instant;

use crate::error::CoreError;
use crate::hashing::HashWorker;
use crate::names::{part_path, safe_local_name};
use crate::part_writer::{PartWriter, WriteMsg, journal};
use crate::queue::JobCtx;
use crate::types::TransferPhase;

/// The journal is written at least every this many bytes…
const JOURNAL_BYTES: u64 = 4 << 20;
/// …and at least this often.
const JOURNAL_EVERY: Duration = Duration::from_secs(1);
/// Broken connections ridden out within one attempt (each with a fresh token).
const RECONNECTS: u32 = 3;

struct Meta {
    size: Option<u64>,
    checksum: Option<String>,
}

pub(crate) async fn run(ctx: &JobCtx) -> Result<(), CoreError> {
    let rec = ctx.record();
    let url = rec.url.clone().ok_or_else(|| CoreError::InvalidInput {
        reason: "a download needs a file link".into(),
    })?;
    let dest_dir = PathBuf::from(rec.dest_dir.clone().unwrap_or_else(|| ".".into()));
    let password = rec.password.clone();
    let verify = ctx.shared.options.verify_checksums;
    ctx.set_phase(Some(TransferPhase::Connecting));

    let mut info_req = FileInfoRequest::new(url.clone());
    info_req.pass = password.clone();
    let mut preopened: Option<Download> = None;
    // A token already got without `single`, which the segments may share.
    let mut token: Option<String> = None;
    let mut restart_from_zero = false;
    // A file the user picked from a listing is already described there: no call.
    let listed = ctx
        .client
        .known_file_info(&url)
        .filter(|_| password.is_none());
    // A first start from a bare link: the token first, so the bytes flow after one API
    // call; file/info, for the checksum, is asked while they do.
    let mut info_later = listed.is_none() && rec.local_path.is_none() && rec.journal_offset == 0;
    let meta = if info_later {
        let (d, url) = open_shared(ctx, &url, password.clone()).await?;
        let mut size = d.total_len;
        let mut checksum = None;
        match &d.filename {
            Some(n) => {
                let n = n.clone();
                ctx.update(|r| r.name = crate::names::display_name(&n));
            }
            // No name from the download host: file/info gives it before the file is
            // named here.
            None => {
                info_later = false;
                match ctx.guard(ctx.client.file_info(&info_req)).await {
                    Ok(info) => {
                        // What 1fichier says is checked against what the host sends.
                        size = Some(info.size);
                        checksum = info.checksum.map(|c| c.to_ascii_lowercase());
                        let name = info.filename.clone();
                        ctx.update(|r| {
                            r.name = crate::names::display_name(&name);
                            r.checksum = checksum.clone();
                            r.folder_id = info.folder_id;
                        });
                    }
                    Err(CoreError::Api(ApiError::NotAllowed { .. })) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        ctx.update(|r| r.bytes_total = size.unwrap_or(0));
        // The one byte asked for is dropped; a whole file (ranges ignored) is read.
        if !d.range_honoured {
            preopened = Some(d);
        }
        token = Some(url);
        Meta { size, checksum }
    } else {
        let known = match listed {
            Some(info) => Ok(info),
            None => ctx.guard(ctx.client.file_info(&info_req)).await,
        };
        match known {
            Ok(info) => {
                let checksum = info.checksum.map(|c| c.to_ascii_lowercase());
                let changed = rec.journal_offset > 0
                    && ((rec.bytes_total != 0 && rec.bytes_total != info.size)
                        || (rec.checksum.is_some()
                            && checksum.is_some()
                            && rec.checksum != checksum));
                if changed {
                    tracing::info!(target: "fichier_core", id = ctx.id, "remote file changed; starting over");
                    restart_from_zero = true;
                }
                let name = info.filename.clone();
                ctx.update(|r| {
                    r.name = crate::names::display_name(&name);
                    r.bytes_total = info.size;
                    r.checksum = checksum.clone();
                    r.folder_id = info.folder_id;
                });
                Meta {
                    size: Some(info.size),
                    checksum,
                }
            }
            // Someone else's file we may still download: take what the download host
            // says. The first time its name and size come from the download itself; a
            // resume keeps them and asks for the rest with a Range.
            Err(CoreError::Api(ApiError::NotAllowed { .. })) => {
                if rec.local_path.is_none() {
                    let d = open(ctx, &url, password.clone(), 0).await?;
                    if let Some(n) = &d.filename {
                        let n = n.clone();
                        ctx.update(|r| r.name = crate::names::display_name(&n));
                    }
                    let size = d.total_len;
                    ctx.update(|r| r.bytes_total = size.unwrap_or(0));
                    preopened = Some(d);
                    Meta {
                        size,
                        checksum: None,
                    }
                } else {
                    Meta {
                        size: (rec.bytes_total > 0).then_some(rec.bytes_total),
                        checksum: None,
                    }
                }
            }
            Err(e) => return Err(e),
        }
    };

    // Where the file goes: chosen once, then kept for every resume.
    let final_path = match ctx.record().local_path {
        Some(p) => PathBuf::from(p),
        None => {
            std::fs::create_dir_all(&dest_dir).map_err(|e| CoreError::from_io(&dest_dir, &e))?;
            let name = safe_local_name(&ctx.record().name);
            ctx.shared.reserve_path(&ctx.id, &dest_dir, &name)
        }
    };
    let part = part_path(&final_path);
    if let Some(dir) = part.parent() {
        std::fs::create_dir_all(dir).map_err(|e| CoreError::from_io(dir, &e))?;
    }
    if adopt_placed(ctx, &part, &final_path, &meta).await? {
        return Ok(());
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&part)
        .map_err(|e| CoreError::from_io(&part, &e))?;
    let part_len = file
        .metadata()
        .map_err(|e| CoreError::from_io(&part, &e))?
        .len();
    let fetch = async {
        let mut preopened = preopened;
        let mut fetched = None;
        if let Some(size) = meta.size
            && preopened.is_none()
            && let Some(segs) = segment_plan(ctx, &file, &part, part_len, size, restart_from_zero)?
        {
            let n = crate::segments::connections_for(size, ctx.shared.lock().connections);
            let hasher = verify.then(HashWorker::spawn);
            ctx.progress(segs.iter().map(|s| s.done).sum(), size);
            let pass = password.clone();
            let fetching = crate::segments::Fetch {
                url: &url,
                password: pass,
                token: token.clone(),
                part: &part,
                size,
                connections: n,
            };
            match crate::segments::fetch_all(ctx, fetching, segs, hasher.as_ref()).await? {
                crate::segments::Outcome::Complete => fetched = Some((size, hasher)),
                crate::segments::Outcome::RangesRefused { prefix } => {
                    // One connection from what is there, like any resume.
                    tracing::info!(target: "fichier_core", id = ctx.id, prefix, "ranges refused: one connection");
                    let _ = ctx.shared.store.clear_segments(&ctx.id);
                }
            }
        }
        match fetched {
            Some(f) => Ok(f),
            None => {
                if preopened.is_none()
                    && let Some(t) = &token
                {
                    // One connection, on the token already got.
                    preopened = Some(ctx.guard(ctx.client.open_token_url(t, None)).await?);
                }
                let pass = password.clone();
                let force_zero = restart_from_zero || preopened.is_some();
                one_connection(ctx, &url, pass, &meta, file, &part, force_zero, preopened).await
            }
        }
    };
    let described = async {
        if info_later {
            Some(ctx.guard(ctx.client.file_info(&info_req)).await)
        } else {
            None
        }
    };
    let (described, fetched) = tokio::join!(described, fetch);
    let (offset, hasher) = fetched?;
    let mut meta = meta;
    match described {
        Some(Ok(info)) => {
            if meta.size.is_some_and(|s| s != info.size) {
                discard(ctx, &part);
                return Err(CoreError::SizeMismatch {
                    expected: info.size,
                    actual: offset,
                });
            }
            let checksum = info.checksum.map(|c| c.to_ascii_lowercase());
            ctx.update(|r| {
                r.bytes_total = info.size;
                r.checksum = checksum.clone();
                r.folder_id = info.folder_id;
            });
            meta.size = Some(info.size);
            meta.checksum = checksum;
        }
        // Someone else's file: no checksum to compare with, as when it is asked first.
        Some(Err(CoreError::Api(ApiError::NotAllowed { .. }))) | None => {}
        // The bytes stay in the .part, journaled: the retry verifies them.
        Some(Err(e)) => return Err(e),
    }

    ctx.set_phase(Some(TransferPhase::Verifying));
    if let Some(size) = meta.size
        && offset != size
    {
        discard(ctx, &part);
        return Err(CoreError::SizeMismatch {
            expected: size,
            actual: offset,
        });
    }
    if let Some(h) = hasher {
        let got = h.finish().await;
        if let Some(expected) = &meta.checksum
            && !expected.eq_ignore_ascii_case(&got)
        {
            discard(ctx, &part);
            return Err(CoreError::ChecksumMismatch {
                expected: expected.chars().take(16).collect(),
                actual: got.chars().take(16).collect(),
            });
        }
    }
    if meta.size.is_none() {
        return Err(CoreError::SizeUnknown);
    }
    let placed = place(ctx, &part, &final_path)?;
    let _ = ctx.shared.store.clear_segments(&ctx.id);
    let s = placed.to_string_lossy().into_owned();
    ctx.update(|r| {
        r.local_path = Some(s);
        r.bytes_done = offset;
        r.bytes_total = offset;
    });
    Ok(())
}

/// The segments to fetch on several connections, or `None` for one connection: a file
/// too small to split, or one connection allowed, and no segments journaled.
fn segment_plan(
    ctx: &JobCtx,
    file: &File,
    part: &Path,
    part_len: u64,
    size: u64,
    restart_from_zero: bool,
) -> Result<Option<Vec<crate::segments::Segment>>, CoreError> {
    use crate::segments::{connections_for, fits, plan};
    let wanted = ctx.shared.lock().connections;
    let n = connections_for(size, wanted);
    let journaled = ctx.shared.store.segments(&ctx.id);
    let truncate = |len: u64| file.set_len(len).map_err(|e| CoreError::from_io(part, &e));
    if !restart_from_zero
        && let Some(segs) = journaled
        && fits(&segs, size)
        // Every journaled byte is still in the file (written, then fsynced, then noted).
        && segs.iter().all(|s| s.done == 0 || s.start + s.done <= part_len)
    {
        if part_len > size {
            truncate(size)?;
        }
        return Ok(Some(segs));
    }
    if n < 2 {
        let _ = ctx.shared.store.clear_segments(&ctx.id);
        return Ok(None);
    }
    // From the journaled prefix (trusted), the rest cut in n parts.
    let prefix = if restart_from_zero {
        0
    } else {
        ctx.record().journal_offset.min(part_len).min(size)
    };
    truncate(prefix)?;
    journal(&ctx.shared, &ctx.id, prefix);
    Ok(Some(plan(size, prefix)))
}

/// The whole file on one connection from the journaled offset; returns how far it got
/// and the hash of those bytes.
#[allow(clippy::too_many_arguments)]
async fn one_connection(
    ctx: &JobCtx,
    url: &str,
    password: Option<Password>,
    meta: &Meta,
    file: File,
    part: &Path,
    from_zero: bool,
    preopened: Option<Download>,
) -> Result<(u64, Option<HashWorker>), CoreError> {
    let part_len = file
        .metadata()
        .map_err(|e| CoreError::from_io(part, &e))?
        .len();
    // Only journaled bytes are trusted: they were fsynced before being recorded.
    let mut offset = if from_zero {
        0
    } else {
        ctx.record().journal_offset.min(part_len)
    };
    if let Some(size) = meta.size
        && offset > size
    {
        offset = 0;
    }
    file.set_len(offset)
        .map_err(|e| CoreError::from_io(part, &e))?;
    journal(&ctx.shared, &ctx.id, offset);

    let mut hasher = ctx.shared.options.verify_checksums.then(HashWorker::spawn);
    if offset > 0
        && let Some(h) = &hasher
    {
        // Resume: the hash must cover the bytes already in the .part.
        ctx.set_phase(Some(TransferPhase::Verifying));
        let tx = h.sender();
        let p = part.to_path_buf();
        tokio::task::spawn_blocking(move || crate::hashing::hash_prefix(&p, offset, &tx))
            .await
            .expect("hash task")
            .map_err(|e| CoreError::from_io(part, &e))?;
    }
    ctx.progress(offset, meta.size.unwrap_or(0));

    let mut writer = PartWriter::start(
        file,
        offset,
        part.to_path_buf(),
        ctx.shared.clone(),
        ctx.id.clone(),
    );
    let result = transfer(
        ctx,
        url,
        password,
        meta,
        &mut offset,
        &mut writer,
        &mut hasher,
        preopened,
    )
    .await;
    // Whatever happened, what was written is fsynced and journaled.
    let closed = writer.finish(offset).await;
    result?;
    closed?;
    Ok((offset, hasher))
}

/// After a crash between placing a file and recording it: the `.part` is gone, the file
/// is at its recorded path with the whole size journaled, and (when 1fichier gave one) its
/// Whirlpool matches. Then the download is done; it is never fetched a second time.
async fn adopt_placed(
    ctx: &JobCtx,
    part: &Path,
    final_path: &Path,
    meta: &Meta,
) -> Result<bool, CoreError> {
    let rec = ctx.record();
    let Some(size) = meta.size else {
        return Ok(false);
    };
    let placed_len = std::fs::metadata(final_path).ok().map(|m| m.len());
    if part.exists() || size == 0 || rec.journal_offset != size || placed_len != Some(size) {
        return Ok(false);
    }
    if let Some(expected) = &meta.checksum {
        ctx.set_phase(Some(TransferPhase::Verifying));
        let worker = HashWorker::spawn();
        let tx = worker.sender();
        let p = final_path.to_path_buf();
        let hashed =
            tokio::task::spawn_blocking(move || crate::hashing::hash_prefix(&p, size, &tx))
                .await
                .expect("hash task");
        let got = worker.finish().await;
        if hashed.is_err() || !expected.eq_ignore_ascii_case(&got) {
            return Ok(false);
        }
    }
    tracing::info!(target: "fichier_core", id = ctx.id, "found the file already in place");
    ctx.update(|r| {
        r.bytes_done = size;
        r.bytes_total = size;
    });
    Ok(true)
}

/// A token several connections may share (not `single`) and what its host says of the
/// file, from a one-byte range; a host that ignores ranges sends the whole file, which is
/// kept to be read from its start.
async fn open_shared(
    ctx: &JobCtx,
    url: &str,
    password: Option<Password>,
) -> Result<(Download, String), CoreError> {
    ctx.set_phase(Some(TransferPhase::Connecting));
    let mut req = GetTokenRequest::new(url);
    req.single = Some(false);
    req.pass = password;
    let token = ctx.guard(ctx.client.get_token(&req)).await?;
    let d = ctx
        .guard(ctx.client.open_token_range(&token.url, 0, Some(0)))
        .await?;
    Ok((d, token.url))
}

/// A fresh token, then the token URL from `offset`.
async fn open(
    ctx: &JobCtx,
    url: &str,
    password: Option<Password>,
    offset: u64,
) -> Result<Download, CoreError> {
    ctx.set_phase(Some(TransferPhase::Connecting));
    let mut req = GetTokenRequest::new(url);
    req.pass = password;
    let token = ctx.guard(ctx.client.get_token(&req)).await?;
    ctx.guard(
        ctx.client
            .open_token_url(&token.url, (offset > 0).then_some(offset)),
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn transfer(
    ctx: &JobCtx,
    url: &str,
    password: Option<Password>,
    meta: &Meta,
    offset: &mut u64,
    writer: &mut PartWriter,
    hasher: &mut Option<HashWorker>,
    mut preopened: Option<Download>,
) -> Result<(), CoreError> {
    let total = meta.size.unwrap_or(0);
    let mut reconnects = 0;
    let restart = |writer_offset: &mut u64| {
        *writer_offset = 0;
        ctx.reset_meter();
    };
    loop {
        if meta.size == Some(*offset) && *offset > 0 {
            return Ok(());
        }
        let dl = match preopened.take() {
            Some(d) => d,
            None => match open(ctx, url, password.clone(), *offset).await {
                Ok(d) => d,
                // 416: the file is shorter than what we have. Start over.
                Err(CoreError::Api(ApiError::InvalidRequest { .. })) if *offset > 0 => {
                    writer.send(WriteMsg::Truncate).await?;
                    *hasher = hasher.take().map(|_| HashWorker::spawn());
                    restart(offset);
                    continue;
                }
                Err(e)
                    if e.retryable() && reconnects < RECONNECTS && e.code() != ErrorCode::Flood =>
                {
                    reconnects += 1;
                    ctx.nap(Duration::from_secs(1 << reconnects)).await?;
                    continue;
                }
                Err(e) => return Err(e),
            },
        };
        if *offset > 0 && !dl.range_honoured {
            // 200 to a Range request: the body is the whole file. Start over cleanly.
            tracing::info!(target: "fichier_core", id = ctx.id, "range ignored; starting over");
            writer.send(WriteMsg::Truncate).await?;
            *hasher = hasher.take().map(|_| HashWorker::spawn());
            restart(offset);
        }
        if let (Some(expected), Some(got)) = (meta.size, dl.total_len)
            && expected != got
        {
            return Err(CoreError::Api(ApiError::Protocol {
                detail: format!("the file is {got} bytes now, {expected} were announced"),
            }));
        }
        ctx.set_phase(None);
        let mut body = dl.body;
        let mut journaled = (*offset, Instant::now());
        let outcome: Result<(), CoreError> = loop {
            let stall = ctx.shared.options.stall_timeout;
            let next = tokio::select! {
                biased;
                _ = ctx.stopped() => break Err(CoreError::Cancelled),
                n = tokio::time::timeout(stall, body.next()) => n,
            };
            let next = match next {
                Ok(n) => n,
                Err(_) => {
                    // Nothing for a while: resume from what we have with a new link.
                    ctx.set_phase(Some(TransferPhase::Stalled));
                    tracing::info!(target: "fichier_core", id = ctx.id, offset = *offset, "stalled");
                    break Err(CoreError::Api(ApiError::Timeout {
                        detail: format!("no data for {} s", stall.as_secs().max(1)),
                    }));
                }
            };
            let chunk = match next {
                None => break Ok(()),
                Some(Err(e)) => break Err(e.into()),
                Some(Ok(c)) => c,
            };
            if meta.size.is_some_and(|s| *offset + chunk.len() as u64 > s) {
                break Err(CoreError::SizeMismatch {
                    expected: total,
                    actual: *offset + chunk.len() as u64,
                });
            }
            ctx.shared.bandwidth.acquire(chunk.len()).await;
            if let Some(h) = hasher.as_ref() {
                h.update(chunk.clone()).await;
            }
            *offset += chunk.len() as u64;
            writer.send(WriteMsg::Data(chunk)).await?;
            if *offset - journaled.0 >= JOURNAL_BYTES || journaled.1.elapsed() >= JOURNAL_EVERY {
                writer.send(WriteMsg::Sync(*offset)).await?;
                journaled = (*offset, Instant::now());
            }
            ctx.progress(*offset, total.max(*offset));
        };
        match outcome {
            Ok(()) if meta.size.is_none_or(|s| s == *offset) => return Ok(()),
            // The body ended early: like a broken connection.
            Ok(()) | Err(CoreError::Api(_)) if reconnects < RECONNECTS => {
                let failed = outcome.err();
                if let Some(e) = &failed
                    && !e.retryable()
                {
                    return Err(failed.unwrap());
                }
                reconnects += 1;
                writer.send(WriteMsg::Sync(*offset)).await?;
                tracing::info!(target: "fichier_core", id = ctx.id, offset = *offset, "connection lost; resuming with a new link");
                ctx.nap(Duration::from_millis(500 << reconnects)).await?;
            }
            Ok(()) => {
                return Err(CoreError::Api(ApiError::Network {
                    detail: "the download ended early".into(),
                }));
            }
            Err(e) => return Err(e),
        }
    }
}

/// Deletes a `.part` whose bytes are wrong, so the next attempt starts from zero.
fn discard(ctx: &JobCtx, part: &Path) {
    let _ = std::fs::remove_file(part);
    let _ = ctx.shared.store.clear_segments(&ctx.id);
    journal(&ctx.shared, &ctx.id, 0);
    ctx.update(|r| r.bytes_done = 0);
}

/// Moves the verified `.part` into place without ever replacing an existing file. The
/// target is recorded before the move, so a crash right after it is recognised at the
/// next start ([`adopt_placed`]); if the name was taken meanwhile, the next free
/// `name (n).ext` is reserved and used.
fn place(ctx: &JobCtx, part: &Path, wanted: &Path) -> Result<PathBuf, CoreError> {
    let dir = wanted.parent().unwrap_or(Path::new("."));
    let name = wanted
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "download".into());
    let mut target = wanted.to_path_buf();
    for _ in 0..1000 {
        match crate::place::rename_no_replace(part, &target) {
            Ok(()) => return Ok(target),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                target = ctx.shared.reserve_path(&ctx.id, dir, &name);
            }
            Err(e) => return Err(CoreError::from_io(&target, &e)),
        }
    }
    Err(CoreError::Io {
        path: wanted.to_path_buf(),
        detail: "no free name".into(),
    })
}
