//! The queue in memory: every transfer's record and live state, the one lock over them,
//! the transitions a running job makes, and the context a job sees. The engine schedules
//! on top of it; jobs, history and remote uploads reach the queue only through here.

mod ctx;
pub(crate) mod history;

pub(crate) use ctx::JobCtx;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use fichier_api::FichierClient;
use tokio::sync::{Notify, broadcast, watch};
use tokio::time::Instant;

use crate::bandwidth::Bandwidth;
use crate::error::CoreError;
use crate::folders::FolderResolver;
use crate::options::EngineOptions;
use crate::progress::Meter;
use crate::queue_lock::QueueLock;
use crate::store::Record;
use crate::store::Store;
use crate::types::{Transfer, TransferEvent, TransferKind, TransferPhase, TransferState};

/// What the engine asks of a running job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Control {
    Run,
    Pause,
    Cancel,
    Shutdown,
}

/// A transfer in memory: its record plus what only a running engine knows.
pub(crate) struct Item {
    pub rec: Record,
    pub phase: Option<TransferPhase>,
    pub speed: u64,
    pub eta: Option<u64>,
    pub meter: Meter,
    pub control: Option<watch::Sender<Control>>,
    pub not_before: Option<Instant>,
}

impl Item {
    pub(crate) fn new(rec: Record) -> Item {
        Item {
            rec,
            phase: None,
            speed: 0,
            eta: None,
            meter: Meter::default(),
            control: None,
            not_before: None,
        }
    }

    /// Asks the running job to stop, for `c`'s reason.
    fn signal(&self, c: Control) {
        if let Some(tx) = &self.control {
            let _ = tx.send(c);
        }
    }

    /// The user's pause: a queued transfer waits, a running one is asked to stop where
    /// it is (its job records the pause). True when the record changed here.
    pub fn pause(&mut self) -> bool {
        match self.rec.state {
            TransferState::Queued => {
                self.rec.state = TransferState::Paused;
                self.phase = None;
                true
            }
            TransferState::Running => {
                self.signal(Control::Pause);
                false
            }
            _ => false,
        }
    }

    /// Back in the queue from paused or failed, with its attempts counted afresh.
    pub fn resume(&mut self) -> bool {
        match self.rec.state {
            TransferState::Paused | TransferState::Failed => {
                self.rec.state = TransferState::Queued;
                self.rec.error = None;
                self.rec.attempts = 0;
                self.phase = None;
                self.not_before = None;
                true
            }
            _ => false,
        }
    }

    /// Again from failed, cancelled or paused: back on the list, from its journal when it
    /// has one.
    pub fn retry(&mut self) -> bool {
        match self.rec.state {
            TransferState::Failed | TransferState::Cancelled | TransferState::Paused => {
                self.rec.state = TransferState::Queued;
                self.rec.error = None;
                self.rec.attempts = 0;
                self.rec.finished_at = None;
                self.rec.hidden = false;
                self.phase = None;
                self.not_before = None;
                true
            }
            _ => false,
        }
    }

    /// The user's cancel: a waiting transfer is cancelled at once (with the part file it
    /// leaves), a running one is asked to stop (its job records the cancel).
    pub fn request_cancel(&mut self) -> (bool, Option<String>) {
        match self.rec.state {
            TransferState::Queued | TransferState::Paused | TransferState::Failed => {
                (true, self.cancel())
            }
            TransferState::Running => {
                self.signal(Control::Cancel);
                (false, None)
            }
            _ => (false, None),
        }
    }

    /// Marks the transfer cancelled. A download starts from nothing if it is retried;
    /// the part file it leaves is returned, for [`remove_part_file`] once the lock is
    /// released.
    pub fn cancel(&mut self) -> Option<String> {
        self.rec.state = TransferState::Cancelled;
        self.rec.finished_at = Some(now_ms());
        self.phase = None;
        if self.rec.kind != TransferKind::Download {
            return None;
        }
        self.rec.journal_offset = 0;
        self.rec.bytes_done = 0;
        self.rec.local_path.clone()
    }

    pub fn transfer(&self) -> Transfer {
        let r = &self.rec;
        let live = r.state == TransferState::Running;
        Transfer {
            id: r.id.clone(),
            kind: r.kind,
            name: r.name.clone(),
            folder_id: r.folder_id,
            local_path: r.local_path.clone(),
            url: r.url.clone(),
            state: r.state,
            phase: self.phase,
            bytes_done: r.bytes_done,
            bytes_total: r.bytes_total,
            speed_bps: if live { self.speed } else { 0 },
            eta_seconds: if live { self.eta } else { None },
            error: r.error.clone(),
            started_at: r.started_at,
            finished_at: r.finished_at,
            account: None,
        }
    }
}

/// See [`TransferEngine::upload_result`].
pub(crate) struct UploadResult {
    pub state: TransferState,
    pub url: Option<String>,
    pub checksum: Option<String>,
    pub error: Option<crate::types::AppError>,
    pub bytes_done: u64,
}

pub(crate) struct EngineState {
    pub items: HashMap<String, Item>,
    pub running: usize,
    pub concurrency: usize,
    /// Connections per download.
    pub connections: usize,
    pub next_seq: i64,
    pub shut_down: bool,
}

/// What the engine's tasks share.
pub(crate) struct Shared {
    /// Held until the engine shuts down: one engine per queue.
    lock: Mutex<Option<QueueLock>>,
    pub store: Store,
    pub state: Mutex<EngineState>,
    pub events: broadcast::Sender<TransferEvent>,
    pub wake: Notify,
    client: RwLock<FichierClient>,
    pub client_changed: watch::Sender<u64>,
    pub bandwidth: Bandwidth,
    pub history: crate::queue::history::HistoryLimits,
    pub folders: FolderResolver,
    pub options: EngineOptions,
    pub remote_wake: Notify,
    pub jobs_done: Notify,
}

impl Shared {
    /// The queue of an engine opening: `items` read from `store`, which `lock` holds.
    pub fn new(
        lock: QueueLock,
        store: Store,
        items: HashMap<String, Item>,
        next_seq: i64,
        options: EngineOptions,
    ) -> Arc<Shared> {
        let settings = crate::settings::normalize(options.settings.clone());
        let (events, _) = broadcast::channel(1024);
        let (client_changed, _) = watch::channel(0);
        Arc::new(Shared {
            lock: Mutex::new(Some(lock)),
            store,
            state: Mutex::new(EngineState {
                items,
                running: 0,
                concurrency: settings.concurrency as usize,
                connections: settings.connections as usize,
                next_seq,
                shut_down: false,
            }),
            events,
            wake: Notify::new(),
            client: RwLock::new(options.client.clone()),
            client_changed,
            bandwidth: Bandwidth::new(settings.bandwidth_limit_bps),
            history: history::HistoryLimits::new(&settings),
            folders: FolderResolver::default(),
            options,
            remote_wake: Notify::new(),
            jobs_done: Notify::new(),
        })
    }

    /// Puts a new record at the end of the queue: saved, announced, and in memory.
    pub fn enqueue(&self, st: &mut EngineState, mut rec: Record) -> Result<Transfer, CoreError> {
        rec.seq = st.next_seq;
        st.next_seq += 1;
        self.store.put(&rec)?;
        let item = Item::new(rec);
        self.emit_item(&item);
        let t = item.transfer();
        st.items.insert(item.rec.id.clone(), item);
        Ok(t)
    }

    /// The client transfers started from now on use.
    pub fn set_client(&self, client: FichierClient) {
        *self.client.write().unwrap_or_else(|e| e.into_inner()) = client;
    }

    /// Lets another process take the queue.
    pub fn release_queue(&self) {
        self.lock.lock().unwrap_or_else(|e| e.into_inner()).take();
    }

    pub fn lock(&self) -> MutexGuard<'_, EngineState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn client(&self) -> FichierClient {
        self.client
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn emit(&self, event: TransferEvent) {
        let _ = self.events.send(event);
    }

    /// Emits the state of `id` (call with the lock released or pass the item).
    pub fn emit_item(&self, item: &Item) {
        self.emit(TransferEvent::State {
            transfer: item.transfer(),
        });
    }

    pub fn persist(&self, rec: &Record) {
        if let Err(e) = self.store.put(rec) {
            tracing::error!(target: "fichier_core", error = %e, "could not save the queue");
        }
    }

    /// URLs already produced by finished uploads (so a crash check never adopts them).
    pub fn claimed_urls(&self, except: &str) -> Vec<String> {
        self.lock()
            .items
            .values()
            .filter(|i| i.rec.kind == TransferKind::Upload && i.rec.id != except)
            .filter_map(|i| i.rec.url.clone())
            .collect()
    }

    /// Chooses and records the local path of download `id`: `name` in `dir`, or the first
    /// free `name (n).ext`. A path stays reserved for as long as its record exists
    /// (failed and cancelled ones included, so their retry finds it untouched); only a
    /// finished download gives its name back to the folder, where its file now is.
    /// Chosen under the engine's lock, so two downloads can never pick the same path.
    pub fn reserve_path(&self, id: &str, dir: &Path, name: &str) -> PathBuf {
        let mut st = self.lock();
        let taken: Vec<PathBuf> = st
            .items
            .values()
            .filter(|i| {
                i.rec.kind == TransferKind::Download
                    && i.rec.id != id
                    && i.rec.state != TransferState::Done
            })
            .filter_map(|i| i.rec.local_path.as_ref().map(PathBuf::from))
            .collect();
        let path = crate::names::unique_path(dir, name, |q| taken.iter().any(|t| t == q));
        if let Some(item) = st.items.get_mut(id) {
            item.rec.local_path = Some(path.to_string_lossy().into_owned());
            self.persist(&item.rec);
        }
        path
    }
}

/// What [`TransferEngine::enqueue_uploads`] may take as already done: uploads finished
/// at or after `since_ms` whose Whirlpool is `checksums[n]` for the n-th file, but none
/// of `taken` (transfers whose result was already used, or whose copy was removed).
pub(crate) struct FinishedSince<'a> {
    pub since_ms: u64,
    pub checksums: &'a [String],
    pub taken: &'a std::collections::HashSet<String>,
}

pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Moves a queued transfer to running; returns the receiver of its stop signal.
pub(crate) fn mark_running(
    shared: &Shared,
    st: &mut EngineState,
    id: &str,
) -> watch::Receiver<Control> {
    let (tx, rx) = watch::channel(Control::Run);
    let item = st.items.get_mut(id).expect("a queued transfer");
    item.rec.state = TransferState::Running;
    item.rec.started_at.get_or_insert_with(now_ms);
    item.phase = Some(item.phase.unwrap_or(TransferPhase::Connecting));
    item.control = Some(tx);
    item.not_before = None;
    item.meter.reset();
    shared.persist(&item.rec);
    shared.emit_item(item);
    rx
}

/// The record of a new transfer, queued: what every kind starts from. The caller sets
/// what its kind needs; [`Shared::enqueue`] gives it its place in the queue.
pub(crate) fn new_record(
    kind: TransferKind,
    name: String,
    password: Option<fichier_api::Password>,
) -> Record {
    use rand::Rng;
    let n: u64 = rand::thread_rng().r#gen();
    Record {
        id: format!("t{n:016x}"),
        seq: 0,
        kind,
        name,
        folder_id: None,
        local_path: None,
        url: None,
        state: TransferState::Queued,
        bytes_done: 0,
        bytes_total: 0,
        error: None,
        started_at: None,
        finished_at: None,
        created_at: now_ms(),
        password_set: password.is_some(),
        password,
        dest_dir: None,
        remote_dir: None,
        checksum: None,
        journal_offset: 0,
        upload_started: false,
        attempts: 0,
        hidden: false,
    }
}

/// Deletes the part file of a cancelled download (`path` is its final name).
pub(crate) fn remove_part_file(path: Option<String>) {
    if let Some(p) = path {
        let _ = std::fs::remove_file(crate::names::part_path(Path::new(&p)));
    }
}
