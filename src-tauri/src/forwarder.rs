//! One account's engine events, on their way to the window's hub: each transfer's state
//! labelled with its account, and a desktop notification when a transfer ends or a backup
//! run is over (a backup's uploads are told once, in its summary).

use std::collections::HashSet;

use fichier_core::{TransferEvent, TransferKind, TransferState};
use tokio::sync::broadcast;

use crate::notify::{Direction, Ending, Notifier};

/// Forwards `rx` (an engine's events) to `hub` until the engine closes.
pub(crate) fn spawn_engine_forwarder(
    mut rx: broadcast::Receiver<TransferEvent>,
    hub: broadcast::Sender<TransferEvent>,
    notifier: Notifier,
    account: String,
) -> tauri::async_runtime::JoinHandle<()> {
    tauri::async_runtime::spawn(async move {
        let mut notified: HashSet<String> = HashSet::new();
        // Folders of the backups running now: their uploads are told in one summary.
        let mut backing_up: std::collections::HashMap<String, String> = Default::default();
        let mut last_runs: std::collections::HashMap<String, i64> = Default::default();
        loop {
            let mut ev = match rx.recv().await {
                Ok(ev) => ev,
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::debug!("event forwarder skipped {n} events");
                    continue;
                }
                Err(broadcast::error::RecvError::Closed) => break,
            };
            if let TransferEvent::Backup { job } = &ev {
                use fichier_core::backup::BackupStatus;
                if matches!(job.status, BackupStatus::Idle | BackupStatus::Paused) {
                    backing_up.remove(&job.id);
                } else {
                    backing_up.insert(job.id.clone(), job.spec.source.clone());
                }
                if let Some(run) = &job.last_run
                    && let Some(end) = run.finished_at
                {
                    let seen = last_runs.insert(job.id.clone(), end);
                    if seen.is_some_and(|s| s != end) || (seen.is_none() && backing_up_ended(job)) {
                        notifier.note(crate::notify::backup_summary(&job.spec.name, run));
                    }
                }
            }
            let from_backup = |t: &fichier_core::Transfer| {
                t.local_path.as_deref().is_some_and(|p| {
                    backing_up
                        .values()
                        .any(|src| std::path::Path::new(p).starts_with(src))
                })
            };
            if let TransferEvent::State { transfer } = &ev
                && !(transfer.kind == TransferKind::Upload && from_backup(transfer))
            {
                let ended = matches!(transfer.state, TransferState::Done | TransferState::Failed);
                if ended && notified.insert(transfer.id.clone()) {
                    notifier.ended(Ending {
                        direction: match transfer.kind {
                            TransferKind::Upload => Direction::Upload,
                            TransferKind::Download => Direction::Download,
                        },
                        ok: transfer.state == TransferState::Done,
                        name: transfer.name.clone(),
                    });
                } else if !ended {
                    // Retried after failing: a later ending is news again.
                    notified.remove(&transfer.id);
                }
            }
            if let TransferEvent::State { transfer } = &mut ev {
                transfer.account = Some(account.clone());
            }
            let _ = hub.send(ev);
        }
    })
}

/// A run that ended moments ago (the first event of a job seen in this session).
fn backing_up_ended(job: &fichier_core::backup::BackupJob) -> bool {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    job.last_run
        .as_ref()
        .and_then(|r| r.finished_at)
        .is_some_and(|end| now - end < 10_000)
}
