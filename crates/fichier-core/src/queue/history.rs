//! The history of finished transfers (done, failed, cancelled): kept within a number of
//! transfers and a number of days, and read one page at a time.
//!
//! The bounds are applied when the queue is opened, whenever a transfer finishes, and when
//! they are changed. What falls outside them is forgotten for good: taken off the list (a
//! `removed` event) and deleted from the queue database.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Weak};

use serde::Serialize;
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use ts_rs::TS;

use super::{EngineState, Item, Shared, now_ms};
use crate::settings::{HISTORY_DAYS_RANGE, HISTORY_ITEMS_RANGE};
use crate::types::{Settings, Transfer, TransferEvent};

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// One page of the history, most recent first, with the size of the whole history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HistoryPage {
    pub items: Vec<Transfer>,
    /// Finished transfers in the history, on every page.
    #[ts(type = "number")]
    pub total: u64,
}

/// How much history an engine keeps; changed live from the settings.
#[derive(Debug)]
pub(crate) struct HistoryLimits {
    max_items: AtomicU32,
    max_days: AtomicU32,
}

impl HistoryLimits {
    /// The bounds of (already normalised) settings.
    pub fn new(settings: &Settings) -> HistoryLimits {
        HistoryLimits {
            max_items: AtomicU32::new(settings.history_max_items),
            max_days: AtomicU32::new(settings.history_max_days),
        }
    }

    fn set(&self, max_items: u32, max_days: u32) {
        let (items, days) = (HISTORY_ITEMS_RANGE, HISTORY_DAYS_RANGE);
        let max_items = max_items.clamp(*items.start(), *items.end());
        let max_days = max_days.clamp(*days.start(), *days.end());
        self.max_items.store(max_items, Ordering::Relaxed);
        self.max_days.store(max_days, Ordering::Relaxed);
    }
}

/// When a finished transfer entered the history (older records may lack the end time).
fn ended_at(item: &Item) -> u64 {
    item.rec.finished_at.unwrap_or(item.rec.created_at)
}

/// Finished transfers, most recent first.
fn newest_first(st: &EngineState) -> Vec<&Item> {
    let mut v: Vec<&Item> = st
        .items
        .values()
        .filter(|i| i.rec.state.is_finished())
        .collect();
    v.sort_by_key(|i| std::cmp::Reverse((ended_at(i), i.rec.seq)));
    v
}

/// The whole history, most recent first, including transfers cleared from the list.
pub(crate) fn all(shared: &Shared) -> Vec<Transfer> {
    let st = shared.lock();
    newest_first(&st).into_iter().map(Item::transfer).collect()
}

/// `limit` finished transfers from the `offset`-th most recent one.
pub(crate) fn page(shared: &Shared, offset: usize, limit: usize) -> HistoryPage {
    let st = shared.lock();
    let finished = newest_first(&st);
    HistoryPage {
        total: finished.len() as u64,
        items: finished
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(Item::transfer)
            .collect(),
    }
}

/// Changes the bounds and applies them at once.
pub(crate) fn set_limits(shared: &Shared, max_items: u32, max_days: u32) {
    shared.history.set(max_items, max_days);
    prune(shared);
}

/// Forgets the finished transfers beyond either bound; returns their ids.
pub(crate) fn prune(shared: &Shared) -> Vec<String> {
    let max_items = shared.history.max_items.load(Ordering::Relaxed) as usize;
    let max_age = u64::from(shared.history.max_days.load(Ordering::Relaxed)) * DAY_MS;
    let oldest_kept = now_ms().saturating_sub(max_age);
    let mut gone = Vec::new();
    let mut listed = Vec::new();
    {
        let mut st = shared.lock();
        let expired: Vec<(String, bool)> = newest_first(&st)
            .into_iter()
            .enumerate()
            .filter(|(n, i)| *n >= max_items || ended_at(i) < oldest_kept)
            .map(|(_, i)| (i.rec.id.clone(), i.rec.hidden))
            .collect();
        for (id, hidden) in expired {
            st.items.remove(&id);
            if !hidden {
                listed.push(id.clone());
            }
            gone.push(id);
        }
    }
    if gone.is_empty() {
        return gone;
    }
    if let Err(e) = shared.store.delete(&gone) {
        // They are gone from memory; the next opening prunes the rows again.
        tracing::warn!(target: "fichier_core", error = %e, "could not trim the history on disk");
    }
    tracing::debug!(target: "fichier_core", count = gone.len(), "history trimmed");
    if !listed.is_empty() {
        shared.emit(TransferEvent::Removed { ids: listed });
    }
    gone
}

/// Applies the bounds now, then each time transfers finish. Call once, at opening.
pub(crate) fn start(shared: &Arc<Shared>) {
    prune(shared);
    tokio::spawn(trim_on_finish(
        Arc::downgrade(shared),
        shared.events.subscribe(),
    ));
}

/// Prunes after each burst of finished transfers, for as long as the engine lives.
async fn trim_on_finish(shared: Weak<Shared>, mut rx: broadcast::Receiver<TransferEvent>) {
    loop {
        let finished = match rx.recv().await {
            Ok(TransferEvent::State { transfer }) => transfer.state.is_finished(),
            Ok(_) => false,
            Err(RecvError::Lagged(_)) => true,
            Err(RecvError::Closed) => return,
        };
        if !finished {
            continue;
        }
        // Many transfers often end together (a cancelled folder): one pass for all.
        loop {
            match rx.try_recv() {
                Ok(_) | Err(TryRecvError::Lagged(_)) => continue,
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Closed) => return,
            }
        }
        let Some(shared) = shared.upgrade() else {
            return;
        };
        prune(&shared);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::time::Duration;

    use fichier_api::{ApiKey, ClientConfig, FichierClient};

    use super::*;
    use crate::store::{Record, Store};
    use crate::types::{TransferKind, TransferState};
    use crate::{EngineOptions, TransferEngine};

    fn record(n: i64, state: TransferState, finished_at: Option<u64>) -> Record {
        Record {
            id: format!("h{n:05}"),
            seq: n,
            kind: TransferKind::Download,
            name: format!("file-{n}.bin"),
            folder_id: None,
            local_path: None,
            url: Some(format!("https://1fichier.com/?h{n:05}")),
            state,
            bytes_done: 10,
            bytes_total: 10,
            error: None,
            started_at: finished_at,
            finished_at,
            created_at: finished_at.unwrap_or_else(now_ms),
            password: None,
            password_set: false,
            dest_dir: Some("/tmp".into()),
            remote_dir: None,
            checksum: None,
            journal_offset: 0,
            upload_started: false,
            attempts: 0,
            // Every other one was cleared from the list: the history still counts it.
            hidden: n % 2 == 0,
        }
    }

    /// `count` transfers that finished one second apart, the last one just now.
    fn finished(count: i64) -> Vec<Record> {
        let now = now_ms();
        (1..=count)
            .map(|n| {
                let at = now - (count - n) as u64 * 1000;
                record(n, TransferState::Done, Some(at))
            })
            .collect()
    }

    fn seed(db: &Path, records: &[Record]) {
        let store = Store::open(db).unwrap();
        for r in records {
            store.put(r).unwrap();
        }
    }

    fn open(db: &Path, max_items: u32, max_days: u32) -> TransferEngine {
        // Nothing here reaches the network: every seeded transfer is finished or paused.
        let client = FichierClient::new(
            ClientConfig::with_base("http://127.0.0.1:9/").unwrap(),
            ApiKey::parse(&"k".repeat(32)).unwrap(),
        )
        .unwrap();
        let settings = Settings {
            history_max_items: max_items,
            history_max_days: max_days,
            ..Settings::default()
        };
        TransferEngine::open(EngineOptions::new(db, client, settings)).unwrap()
    }

    fn ids(list: &[Transfer]) -> Vec<String> {
        list.iter().map(|t| t.id.clone()).collect()
    }

    /// Rows in the queue database, read around the engine.
    fn rows(db: &Path) -> usize {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.query_row("SELECT COUNT(*) FROM transfers", [], |r| r.get::<_, i64>(0))
            .unwrap() as usize
    }

    #[tokio::test]
    async fn over_the_count_the_newest_are_kept_in_memory_and_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("queue.db");
        seed(&db, &finished(1_200));
        let engine = open(&db, 1_000, 90);
        let history = engine.history();
        assert_eq!(history.len(), 1_000);
        assert_eq!(history[0].id, "h01200", "the most recent comes first");
        assert_eq!(history[999].id, "h00201", "the 200 oldest are forgotten");
        assert!(engine.get("h00200").is_none());
        assert!(engine.list().iter().all(|t| t.id.as_str() > "h00200"));
        assert_eq!(rows(&db), 1_000, "the forgotten rows are deleted too");
    }

    #[tokio::test]
    async fn transfers_older_than_the_age_bound_are_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("queue.db");
        let now = now_ms();
        let days_ago = |d: u64| Some(now - d * DAY_MS);
        seed(
            &db,
            &[
                record(1, TransferState::Done, days_ago(100)),
                record(2, TransferState::Failed, days_ago(45)),
                record(3, TransferState::Cancelled, days_ago(29)),
                record(4, TransferState::Done, days_ago(0)),
                // Not finished: never part of the history, however old.
                Record {
                    created_at: now - 400 * DAY_MS,
                    ..record(5, TransferState::Paused, None)
                },
            ],
        );
        let engine = open(&db, 1_000, 90);
        assert_eq!(ids(&engine.history()), ["h00004", "h00003", "h00002"]);
        engine.set_history_limits(1_000, 30);
        assert_eq!(ids(&engine.history()), ["h00004", "h00003"]);
        assert!(engine.get("h00005").is_some(), "a paused transfer stays");
        assert_eq!(rows(&db), 3);
    }

    #[tokio::test]
    async fn the_history_is_read_one_page_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("queue.db");
        seed(&db, &finished(25));
        let engine = open(&db, 1_000, 90);
        let first = engine.history_page(0, 10);
        assert_eq!(first.total, 25);
        assert_eq!(first.items.len(), 10);
        assert_eq!(first.items[0].id, "h00025");
        let mut paged = first.items;
        for offset in [10, 20] {
            let p = engine.history_page(offset, 10);
            assert_eq!(p.total, 25);
            paged.extend(p.items);
        }
        assert_eq!(paged.len(), 25);
        assert_eq!(ids(&paged), ids(&engine.history()));
        let past_the_end = engine.history_page(30, 10);
        assert!(past_the_end.items.is_empty());
        assert_eq!(past_the_end.total, 25);
    }

    #[tokio::test]
    async fn a_transfer_that_finishes_pushes_the_oldest_out() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("queue.db");
        let mut records = finished(1_000);
        records.push(record(1_001, TransferState::Paused, None));
        seed(&db, &records);
        let engine = open(&db, 1_000, 90);
        let mut events = engine.subscribe();
        assert_eq!(engine.history_page(0, 1).total, 1_000);
        engine.cancel("h01001").unwrap();
        let removed = tokio::time::timeout(Duration::from_secs(30), async {
            loop {
                if let Ok(TransferEvent::Removed { ids }) = events.recv().await {
                    return ids;
                }
            }
        })
        .await
        .expect("the oldest transfer is taken off the list");
        assert_eq!(removed, ["h00001"]);
        let page = engine.history_page(0, 1);
        assert_eq!(page.total, 1_000);
        assert_eq!(page.items[0].id, "h01001");
        assert!(engine.get("h00001").is_none());
        assert_eq!(rows(&db), 1_000);
    }
}
