//! The bytes of a download: on several connections, or on one from what the part holds.

use super::*;

/// The bytes: on several connections when the file is large enough and the host honours
/// ranges, else on one, from what the part already holds. Returns the length written and
/// the Whirlpool fed in order behind it.
pub(super) async fn fetch(
    ctx: &JobCtx,
    url: &str,
    meta: &Meta,
    mut preopened: Option<Download>,
    token: Option<String>,
    restart_from_zero: bool,
    target: Target,
) -> Result<(u64, Option<HashWorker>), CoreError> {
    let verify = ctx.options().verify_checksums;
    let password = ctx.record().password;
    let Target {
        part,
        file,
        len: part_len,
        ..
    } = target;
    let mut fetched = None;
    if let Some(size) = meta.size
        && preopened.is_none()
        && let Some(segs) = segment_plan(ctx, &file, &part, part_len, size, restart_from_zero)?
    {
        let n = crate::segments::connections_for(size, ctx.connections());
        let hasher = verify.then(HashWorker::spawn);
        ctx.progress(segs.iter().map(|s| s.done).sum(), size);
        let pass = password.clone();
        let fetching = crate::segments::Fetch {
            url,
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
                ctx.clear_segments();
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
            one_connection(ctx, url, pass, meta, file, &part, force_zero, preopened).await
        }
    }
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
    let wanted = ctx.connections();
    let n = connections_for(size, wanted);
    let journaled = ctx.segments();
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
        ctx.clear_segments();
        return Ok(None);
    }
    // From the journaled prefix (trusted), the rest cut in n parts.
    let prefix = if restart_from_zero {
        0
    } else {
        ctx.record().journal_offset.min(part_len).min(size)
    };
    truncate(prefix)?;
    ctx.journal(prefix);
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
    ctx.journal(offset);

    let mut hasher = ctx.options().verify_checksums.then(HashWorker::spawn);
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

    let mut writer = PartWriter::start(file, offset, part.to_path_buf(), ctx.clone());
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
            let stall = ctx.options().stall_timeout;
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
            ctx.bandwidth().acquire(chunk.len()).await;
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
