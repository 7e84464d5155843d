//! The end of a download: what 1fichier said held against what came, size and
//! Whirlpool, and the file placed under its name without replacing any other.

use super::*;

/// What file/info said once the bytes were in, held against them: a size that differs
/// loses the part; otherwise its checksum is the one to verify.
pub(super) fn take_description(
    ctx: &JobCtx,
    described: Result<fichier_api::FileInfo, CoreError>,
    meta: &mut Meta,
    offset: u64,
    part: &Path,
) -> Result<(), CoreError> {
    match described {
        Ok(info) => {
            if meta.size.is_some_and(|s| s != info.size) {
                discard(ctx, part);
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
        Err(CoreError::Api(ApiError::NotAllowed { .. })) => {}
        // The bytes stay in the .part, journaled: the retry verifies them.
        Err(e) => return Err(e),
    }
    Ok(())
}

/// Size and Whirlpool against what 1fichier said: a mismatch loses the part.
pub(super) async fn verify(
    ctx: &JobCtx,
    meta: &Meta,
    offset: u64,
    hasher: Option<HashWorker>,
    part: &Path,
) -> Result<(), CoreError> {
    ctx.set_phase(Some(TransferPhase::Verifying));
    if let Some(size) = meta.size
        && offset != size
    {
        discard(ctx, part);
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
            discard(ctx, part);
            return Err(CoreError::ChecksumMismatch {
                expected: expected.chars().take(16).collect(),
                actual: got.chars().take(16).collect(),
            });
        }
    }
    if meta.size.is_none() {
        return Err(CoreError::SizeUnknown);
    }
    Ok(())
}

/// After a crash between placing a file and recording it: the `.part` is gone, the file
/// is at its recorded path with the whole size journaled, and (when 1fichier gave one) its
/// Whirlpool matches. Then the download is done; it is never fetched a second time.
pub(super) async fn adopt_placed(
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

/// Deletes a `.part` whose bytes are wrong, so the next attempt starts from zero.
pub(super) fn discard(ctx: &JobCtx, part: &Path) {
    let _ = std::fs::remove_file(part);
    ctx.clear_segments();
    ctx.journal(0);
    ctx.update(|r| r.bytes_done = 0);
}

/// Moves the verified `.part` into place without ever replacing an existing file. The
/// target is recorded before the move, so a crash right after it is recognised at the
/// next start ([`adopt_placed`]); if the name was taken meanwhile, the next free
/// `name (n).ext` is reserved and used.
pub(super) fn place(ctx: &JobCtx, part: &Path, wanted: &Path) -> Result<PathBuf, CoreError> {
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
                target = ctx.reserve_path(dir, &name);
            }
            Err(e) => return Err(CoreError::from_io(&target, &e)),
        }
    }
    Err(CoreError::Io {
        path: wanted.to_path_buf(),
        detail: "no free name".into(),
    })
}
