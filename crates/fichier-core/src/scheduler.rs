//! What starts when: queued transfers in their order while the concurrency allows, small
//! uploads to one folder gathered into a batch, delayed retries once they are due.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::job::run_job;
use crate::queue::{Shared, mark_running};
use crate::types::TransferState;

/// Starts queued transfers while there is room, oldest first.
pub(crate) async fn run(shared: Arc<Shared>) {
    loop {
        let next = start_ready(&shared);
        if shared.lock().shut_down {
            return;
        }
        let nap = next
            .map(|t| t.saturating_duration_since(Instant::now()))
            .unwrap_or(Duration::from_secs(60))
            .max(Duration::from_millis(10));
        let _ = tokio::time::timeout(nap, shared.wake.notified()).await;
    }
}

/// Starts what may start; returns when the next delayed retry is due.
fn start_ready(shared: &Arc<Shared>) -> Option<Instant> {
    let now = Instant::now();
    let mut st = shared.lock();
    if st.shut_down {
        return None;
    }
    let mut queued: Vec<(i64, String, Option<Instant>)> = st
        .items
        .values()
        .filter(|i| i.rec.state == TransferState::Queued && !i.rec.hidden)
        .map(|i| (i.rec.seq, i.rec.id.clone(), i.not_before))
        .collect();
    queued.sort();
    // Retries of one batch fall due microseconds apart: a little slack keeps them together.
    let soon = now + Duration::from_millis(50);
    let due: Vec<String> = queued
        .iter()
        .filter(|(_, _, not_before)| not_before.is_none_or(|t| t <= soon))
        .map(|(_, id, _)| id.clone())
        .collect();
    let next_due = queued
        .iter()
        .filter_map(|(_, _, not_before)| *not_before)
        .filter(|t| *t > soon)
        .min();
    for (n, id) in due.iter().enumerate() {
        if st.running >= st.concurrency {
            break;
        }
        let leader = match st.items.get(id) {
            Some(i) if i.rec.state == TransferState::Queued => i.rec.clone(),
            _ => continue, // already taken into a batch
        };
        st.running += 1;
        let mut members = vec![id.clone()];
        if shared.options.batch_uploads && crate::batch::batchable(&leader) {
            let mut names = std::collections::HashSet::from([leader.name.clone()]);
            let mut bytes = leader.bytes_total;
            for other in &due[n + 1..] {
                if members.len() >= crate::batch::BATCH_MAX_FILES {
                    break;
                }
                let Some(o) = st.items.get(other) else {
                    continue;
                };
                if o.rec.state == TransferState::Queued
                    && crate::batch::same_batch(&leader, &o.rec)
                    && bytes + o.rec.bytes_total <= crate::batch::BATCH_MAX_BYTES
                    && names.insert(o.rec.name.clone())
                {
                    bytes += o.rec.bytes_total;
                    members.push(other.clone());
                }
            }
        }
        let mut controls = Vec::with_capacity(members.len());
        for m in members {
            let rx = mark_running(shared, &mut st, &m);
            controls.push((m, rx));
        }
        if controls.len() == 1 {
            let (id, rx) = controls.pop().expect("one member");
            tokio::spawn(run_job(shared.clone(), id, rx));
        } else {
            tokio::spawn(crate::job::run_batch(shared.clone(), controls));
        }
    }
    next_due
}
