//! One download: fresh token for every start and resume, bytes to `<name>.part` with a
//! journal of the fsynced offset, `Range` resume, size and Whirlpool checked before the
//! file is renamed into place (never over an existing file). A large file comes on
//! several connections (see `segments`).
//!
//! `run` goes through the phases in order; `fetch.rs` brings the bytes, `finish.rs`
//! checks them and puts the file in place.

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
use crate::part_writer::{PartWriter, WriteMsg};
use crate::queue::JobCtx;
use crate::types::TransferPhase;

mod fetch;
mod finish;

use fetch::fetch;
use finish::{adopt_placed, place, take_description, verify};

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

/// What is known before the first byte, and what finding it out already opened.
struct Start {
    meta: Meta,
    /// An answer already carrying the file's bytes (someone else's file, or a host that
    /// ignores ranges).
    preopened: Option<Download>,
    /// A token already got without `single`, which the segments may share.
    token: Option<String>,
    /// The remote file changed since the part was written: its bytes are not reused.
    restart_from_zero: bool,
    /// file/info is still to be asked, while the bytes flow.
    info_later: bool,
}

/// The part file a download writes, and the name it takes once verified.
struct Target {
    final_path: PathBuf,
    part: PathBuf,
    file: File,
    len: u64,
}

/// A download, phase by phase: what the file is, the part file, the bytes (with file/info
/// alongside when it was left for later), what 1fichier said checked against what came,
/// size and Whirlpool, and placing under its name.
pub(crate) async fn run(ctx: &JobCtx) -> Result<(), CoreError> {
    let rec = ctx.record();
    let url = rec.url.clone().ok_or_else(|| CoreError::InvalidInput {
        reason: "a download needs a file link".into(),
    })?;
    let dest_dir = PathBuf::from(rec.dest_dir.clone().unwrap_or_else(|| ".".into()));
    let password = rec.password.clone();
    ctx.set_phase(Some(TransferPhase::Connecting));
    let mut info_req = FileInfoRequest::new(url.clone());
    info_req.pass = password.clone();

    let start = describe(ctx, &url, &info_req).await?;
    let Some(target) = open_target(ctx, &dest_dir, &start.meta).await? else {
        return Ok(());
    };
    let info_later = start.info_later;
    let described = async {
        if info_later {
            Some(ctx.guard(ctx.client.file_info(&info_req)).await)
        } else {
            None
        }
    };
    let Start {
        mut meta,
        preopened,
        token,
        restart_from_zero,
        ..
    } = start;
    let part = target.part.clone();
    let final_path = target.final_path.clone();
    let fetching = fetch(
        ctx,
        &url,
        &meta,
        preopened,
        token,
        restart_from_zero,
        target,
    );
    let (described, fetched) = tokio::join!(described, fetching);
    let (offset, hasher) = fetched?;
    if let Some(info) = described {
        take_description(ctx, info, &mut meta, offset, &part)?;
    }
    verify(ctx, &meta, offset, hasher, &part).await?;
    let placed = place(ctx, &part, &final_path)?;
    ctx.clear_segments();
    let s = placed.to_string_lossy().into_owned();
    ctx.update(|r| {
        r.local_path = Some(s);
        r.bytes_done = offset;
        r.bytes_total = offset;
    });
    Ok(())
}

/// The file's size, checksum and name: from the listing it was picked in, from file/info,
/// or, for a first start from a bare link, from the download host's first answer (the
/// token first, so the bytes flow after one API call; file/info comes while they do).
async fn describe(ctx: &JobCtx, url: &str, info_req: &FileInfoRequest) -> Result<Start, CoreError> {
    let rec = ctx.record();
    let password = rec.password.clone();
    let mut preopened: Option<Download> = None;
    let mut token: Option<String> = None;
    let mut restart_from_zero = false;
    // A file the user picked from a listing is already described there: no call.
    let listed = ctx
        .client
        .known_file_info(url)
        .filter(|_| password.is_none());
    let mut info_later = listed.is_none() && rec.local_path.is_none() && rec.journal_offset == 0;
    let meta = if info_later {
        let (d, url) = open_shared(ctx, url, password.clone()).await?;
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
                match ctx.guard(ctx.client.file_info(info_req)).await {
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
            None => ctx.guard(ctx.client.file_info(info_req)).await,
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
                    let d = open(ctx, url, password.clone(), 0).await?;
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
    Ok(Start {
        meta,
        preopened,
        token,
        restart_from_zero,
        info_later,
    })
}

/// The part file, under the path chosen once for this download and kept for every
/// resume; `None` when an earlier attempt already placed the file.
async fn open_target(
    ctx: &JobCtx,
    dest_dir: &Path,
    meta: &Meta,
) -> Result<Option<Target>, CoreError> {
    let final_path = match ctx.record().local_path {
        Some(p) => PathBuf::from(p),
        None => {
            std::fs::create_dir_all(dest_dir).map_err(|e| CoreError::from_io(dest_dir, &e))?;
            let name = safe_local_name(&ctx.record().name);
            ctx.reserve_path(dest_dir, &name)
        }
    };
    let part = part_path(&final_path);
    if let Some(dir) = part.parent() {
        std::fs::create_dir_all(dir).map_err(|e| CoreError::from_io(dir, &e))?;
    }
    if adopt_placed(ctx, &part, &final_path, meta).await? {
        return Ok(None);
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&part)
        .map_err(|e| CoreError::from_io(&part, &e))?;
    let len = file
        .metadata()
        .map_err(|e| CoreError::from_io(&part, &e))?
        .len();
    Ok(Some(Target {
        final_path,
        part,
        file,
        len,
    }))
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
