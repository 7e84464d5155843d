//! Running one transfer: its context (progress, phase, stop signal), and what happens to it
//! when it ends (done, retried later, paused, cancelled or failed).

use fichier_api::ErrorCode;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use crate::error::CoreError;
use crate::queue::{Control, JobCtx, Shared, now_ms, remove_part_file};
use crate::types::{PacerReason, TransferEvent, TransferKind, TransferPhase, TransferState};

pub(crate) async fn run_job(shared: Arc<Shared>, id: String, control: watch::Receiver<Control>) {
    let ctx = JobCtx::new(&shared, id.clone(), control);
    let kind = ctx.record().kind;
    let result = match kind {
        TransferKind::Download => crate::download::run(&ctx).await,
        TransferKind::Upload => crate::upload::run(&ctx).await,
    };
    finish(&shared, &id, result, ctx.control(), true);
}

/// Runs small uploads as one batch (see [`crate::batch`]). The batch holds one of the
/// engine's concurrent slots, released with its first file.
pub(crate) async fn run_batch(
    shared: Arc<Shared>,
    members: Vec<(String, watch::Receiver<Control>)>,
) {
    let ctxs: Vec<JobCtx> = members
        .into_iter()
        .map(|(id, control)| JobCtx::new(&shared, id, control))
        .collect();
    let results = crate::batch::run(&ctxs).await;
    for (n, (ctx, result)) in ctxs.iter().zip(results).enumerate() {
        finish(&shared, &ctx.id, result, ctx.control(), n == 0);
    }
}

fn retry_delay(shared: &Shared, attempts: u32, err: &CoreError) -> Duration {
    if let Some(s) = err.retry_after().map(|d| d.as_secs().max(1)) {
        return Duration::from_secs(s);
    }
    let base = shared.options.retry_base;
    base.saturating_mul(1 << attempts.saturating_sub(1).min(6))
        .min(Duration::from_secs(60))
}

fn finish(
    shared: &Arc<Shared>,
    id: &str,
    result: Result<(), CoreError>,
    stop: Control,
    release_slot: bool,
) {
    let mut remove_part = None;
    {
        let mut st = shared.lock();
        if release_slot {
            st.running = st.running.saturating_sub(1);
        }
        let max_attempts = shared.options.max_attempts.max(1);
        let Some(item) = st.items.get_mut(id) else {
            return;
        };
        item.control = None;
        item.speed = 0;
        item.eta = None;
        let rec = &mut item.rec;
        match (result, stop) {
            (Ok(()), _) => {
                rec.state = TransferState::Done;
                rec.bytes_done = rec.bytes_total;
                rec.error = None;
                rec.finished_at = Some(now_ms());
                item.phase = None;
            }
            (Err(_), Control::Pause) => {
                rec.state = TransferState::Paused;
                item.phase = None;
            }
            (Err(_), Control::Cancel) => remove_part = item.cancel(),
            (Err(_), Control::Shutdown) => {
                // Picked up again when the queue is next opened.
                rec.state = TransferState::Queued;
                shared.persist(rec);
                drop(st);
                shared.jobs_done.notify_waiters();
                return;
            }
            (Err(e), Control::Run) => {
                let summary = e.summary();
                let flood = matches!(e.code(), ErrorCode::Flood | ErrorCode::LocationLock);
                if !flood {
                    rec.attempts += 1;
                }
                if e.retryable() && (flood || rec.attempts < max_attempts) {
                    let delay = retry_delay(shared, rec.attempts, &e);
                    tracing::info!(target: "fichier_core", id, error = e.code().as_str(), delay_s = delay.as_secs(), "transfer will be retried");
                    rec.state = TransferState::Queued;
                    item.phase = Some(if flood {
                        TransferPhase::WaitingFlood
                    } else {
                        TransferPhase::Retrying
                    });
                    item.not_before = Some(Instant::now() + delay);
                    if rec.kind == TransferKind::Upload {
                        // 1fichier keeps nothing of a broken upload: it starts over.
                        rec.bytes_done = 0;
                    }
                } else {
                    tracing::warn!(target: "fichier_core", id, error = e.code().as_str(), "transfer failed");
                    rec.state = TransferState::Failed;
                    rec.finished_at = Some(now_ms());
                    item.phase = None;
                }
                rec.error = Some(summary);
            }
        }
        shared.persist(&item.rec);
        shared.emit_item(item);
    }
    remove_part_file(remove_part);
    shared.wake.notify_one();
    shared.jobs_done.notify_waiters();
}

/// Forwards the pacer's waits as `pacerWait` events (and a `0` when a wait is over), and
/// shows flood waits on the transfers that are waiting for an API call.
pub(crate) async fn forward_pacer_events(shared: Arc<Shared>) {
    let mut changed = shared.client_changed.subscribe();
    loop {
        if shared.lock().shut_down {
            return;
        }
        let mut rx = shared.client().pacer().subscribe();
        loop {
            tokio::select! {
                ev = rx.recv() => match ev {
                    Ok(fichier_api::PacerEvent::Waiting { seconds, reason }) => {
                        let reason = PacerReason::from(reason);
                        shared.emit(TransferEvent::PacerWait { reason, wait_seconds: seconds });
                        if reason == PacerReason::Flood {
                            mark_flood_waits(&shared);
                        }
                        let s = shared.clone();
                        tokio::spawn(async move {
                            tokio::time::sleep(Duration::from_secs(seconds)).await;
                            s.emit(TransferEvent::PacerWait { reason, wait_seconds: 0 });
                            if reason == PacerReason::Flood {
                                unmark_flood_waits(&s);
                            }
                        });
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                    Err(_) => break,
                },
                r = changed.changed() => {
                    if r.is_err() {
                        return;
                    }
                    break;
                }
            }
        }
    }
}

fn mark_flood_waits(shared: &Shared) {
    let mut st = shared.lock();
    for item in st.items.values_mut() {
        if item.rec.state == TransferState::Running && item.phase == Some(TransferPhase::Connecting)
        {
            item.phase = Some(TransferPhase::WaitingFlood);
            shared.emit_item(item);
        }
    }
}

fn unmark_flood_waits(shared: &Shared) {
    let mut st = shared.lock();
    for item in st.items.values_mut() {
        if item.rec.state == TransferState::Running
            && item.phase == Some(TransferPhase::WaitingFlood)
        {
            item.phase = Some(TransferPhase::Connecting);
            shared.emit_item(item);
        }
    }
}
