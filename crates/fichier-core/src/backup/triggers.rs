//! What starts runs by themselves: schedules (with a catch-up run for a missed or
//! interrupted one) and folder watchers.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use super::rules::next_run;
use super::store::StoredJob;
use super::{Inner, WATCH_DEBOUNCE, locked, run_job};
use crate::queue::now_ms;

/// Starts what is due, keeps the watchers in line with the jobs, sleeps until the next
/// thing to do.
pub(super) async fn scheduler(weak: Weak<Inner>) {
    loop {
        let Some(inner) = weak.upgrade() else { return };
        let jobs = inner.store.jobs().unwrap_or_default();
        sync_watchers(&inner, &jobs);
        let now = now_ms() as i64;
        let mut sleep = Duration::from_secs(30);
        for job in &jobs {
            if job.paused || locked(&inner.runs).contains_key(&job.id) {
                continue;
            }
            let interrupted = job.running && locked(&inner.resumed).insert(job.id.clone());
            let scheduled = next_run(job);
            let watched = locked(&inner.due).get(&job.id).copied();
            let due = interrupted
                || scheduled.is_some_and(|t| t <= now)
                || watched.is_some_and(|t| t <= Instant::now());
            if due {
                locked(&inner.due).remove(&job.id);
                let inner = inner.clone();
                let id = job.id.clone();
                tokio::spawn(async move {
                    if let Err(e) = run_job(&inner, &id, false, false).await {
                        tracing::warn!(error = %e, backup = %id, "scheduled backup not run");
                    }
                });
                continue;
            }
            if let Some(t) = scheduled {
                sleep = sleep.min(Duration::from_millis((t - now).max(0) as u64));
            }
            if let Some(t) = watched {
                sleep = sleep.min(t.saturating_duration_since(Instant::now()));
            }
        }
        let wake = inner.wake.clone();
        drop(inner);
        tokio::select! {
            _ = tokio::time::sleep(sleep.max(Duration::from_millis(100))) => {}
            _ = wake.notified() => {}
        }
    }
}

/// One watcher per job that asks for it (and is not paused).
fn sync_watchers(inner: &Arc<Inner>, jobs: &[StoredJob]) {
    use notify_debouncer_full::notify::{EventKind, RecursiveMode};
    let mut watchers = locked(&inner.watchers);
    let wanted: HashMap<&str, &StoredJob> = jobs
        .iter()
        .filter(|j| j.spec.watch && !j.paused)
        .map(|j| (j.id.as_str(), j))
        .collect();
    watchers.retain(|id, (source, _)| {
        wanted
            .get(id.as_str())
            .is_some_and(|j| j.spec.source == *source)
    });
    for (id, job) in wanted {
        if watchers.contains_key(id) {
            continue;
        }
        let weak = Arc::downgrade(inner);
        let job_id = id.to_string();
        let handler = move |result: notify_debouncer_full::DebounceEventResult| {
            let Ok(events) = result else { return };
            let changed = events.iter().any(|e| {
                matches!(
                    e.event.kind,
                    EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                )
            });
            if changed && let Some(inner) = weak.upgrade() {
                locked(&inner.due).insert(job_id.clone(), Instant::now());
                inner.wake.notify_one();
            }
        };
        match notify_debouncer_full::new_debouncer(WATCH_DEBOUNCE, None, handler) {
            Ok(mut w) => match w.watch(Path::new(&job.spec.source), RecursiveMode::Recursive) {
                Ok(()) => {
                    watchers.insert(id.to_string(), (job.spec.source.clone(), w));
                }
                Err(e) => tracing::warn!(error = %e, backup = %job.spec.name, "folder not watched"),
            },
            Err(e) => tracing::warn!(error = %e, "no folder watcher"),
        }
    }
}
