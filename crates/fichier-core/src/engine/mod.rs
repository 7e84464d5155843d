//! The transfer engine: the persisted queue, the scheduler, and the public API the shell
//! and the CLI call.

mod remote;

use fichier_api::ErrorCode;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use fichier_api::FichierClient;
use tokio::sync::broadcast;
use tokio::time::Instant;

use crate::error::CoreError;
use crate::folders::FolderResolver;
use crate::options::EngineOptions;
use crate::queue::{Control, FinishedSince, Item, Shared, UploadResult, new_record};
use crate::queue_lock::QueueLock;
use crate::settings::MAX_CONCURRENCY;
use crate::sources::{absolute, upload_sources};
use crate::store::Store;
use crate::types::{Transfer, TransferEvent, TransferKind, TransferState};

/// The transfer engine. Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct TransferEngine {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for TransferEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransferEngine")
            .field("db_path", &self.shared.options.db_path)
            .finish_non_exhaustive()
    }
}

impl TransferEngine {
    /// Opens the queue and starts working on it: transfers that were running when the
    /// previous process stopped (even by `kill -9`) are queued again and resume. Must be
    /// called inside a Tokio runtime.
    pub fn open(options: EngineOptions) -> Result<TransferEngine, CoreError> {
        let lock = QueueLock::acquire(&options.db_path)?;
        TransferEngine::open_locked(options, lock)
    }

    /// Like [`open`](TransferEngine::open), with the queue's lock already taken (e.g. by
    /// [`QueueLock::acquire_waiting`]).
    pub fn open_locked(
        options: EngineOptions,
        lock: QueueLock,
    ) -> Result<TransferEngine, CoreError> {
        if lock.path() != crate::queue_lock::lock_path(&options.db_path) {
            return Err(CoreError::InvalidInput {
                reason: "the lock taken is not this queue's".into(),
            });
        }
        let store = Store::open(&options.db_path)?;
        let mut items = HashMap::new();
        for mut rec in store.all()? {
            if rec.state == TransferState::Running {
                rec.state = TransferState::Queued;
                store.put(&rec)?;
            }
            items.insert(rec.id.clone(), Item::new(rec));
        }
        let next_seq = store.next_seq()?;
        let shared = Shared::new(lock, store, items, next_seq, options);
        tokio::spawn(crate::scheduler::run(shared.clone()));
        tokio::spawn(crate::job::forward_pacer_events(shared.clone()));
        tokio::spawn(crate::remote::poller(shared.clone()));
        crate::queue::history::start(&shared);
        Ok(TransferEngine { shared })
    }

    pub(crate) fn client(&self) -> FichierClient {
        self.shared.client()
    }

    pub(crate) fn folders(&self) -> &FolderResolver {
        &self.shared.folders
    }

    pub(crate) fn emit(&self, event: TransferEvent) {
        self.shared.emit(event);
    }

    /// Where an upload stands, with what only the engine keeps (the checksum 1fichier
    /// confirmed).
    pub(crate) fn upload_result(&self, id: &str) -> Option<UploadResult> {
        let st = self.shared.lock();
        let item = st.items.get(id)?;
        Some(UploadResult {
            state: item.rec.state,
            url: item.rec.url.clone(),
            checksum: item.rec.checksum.clone(),
            error: item.rec.error.clone(),
            bytes_done: item.rec.bytes_done,
        })
    }

    /// Progress, state changes, pacer waits and remote-upload results.
    pub fn subscribe(&self) -> broadcast::Receiver<TransferEvent> {
        self.shared.events.subscribe()
    }

    /// Queues uploads of files and folder trees into `folder_id`. A folder is uploaded
    /// with its sub-folders, which are created on 1fichier where missing and reused where
    /// they exist. A file already queued for the same folder is not queued twice.
    pub fn upload_paths(
        &self,
        paths: Vec<PathBuf>,
        folder_id: i64,
        password: Option<String>,
    ) -> Result<Vec<Transfer>, CoreError> {
        let files = upload_sources(&paths)?;
        self.enqueue_uploads(files, folder_id, password, None)
    }

    /// Whether the largest file of `paths` would finish within 1fichier's 4-hour upload
    /// window at the upload speed measured recently.
    pub fn upload_time_check(
        &self,
        paths: &[PathBuf],
    ) -> Result<crate::upload_time::UploadTimeCheck, CoreError> {
        let files = crate::upload_time::sizes(paths)?;
        let speed = crate::upload_time::recent_upload_speed(&self.history(), &self.list());
        Ok(crate::upload_time::check_sizes(&files, speed))
    }

    /// Queues uploads of single files into `folder_id`, each under its own sub-folder
    /// path (`a/b`, created where missing). A file already queued for the same place is
    /// not queued twice: its transfer is returned. With `finished`, a transfer of the
    /// same file to the same place that finished since then with the expected Whirlpool
    /// is returned too (one resumed at start and done while its owner was busy).
    pub(crate) fn enqueue_uploads(
        &self,
        files: Vec<(PathBuf, Option<String>)>,
        folder_id: i64,
        password: Option<String>,
        finished: Option<FinishedSince<'_>>,
    ) -> Result<Vec<Transfer>, CoreError> {
        let password = password
            .filter(|p| !p.is_empty())
            .map(fichier_api::Password::new);
        let mut out = Vec::new();
        let mut st = self.shared.lock();
        for (n, (path, remote_dir)) in files.into_iter().enumerate() {
            let local = absolute(&path).to_string_lossy().into_owned();
            let expected = finished.as_ref().and_then(|f| f.checksums.get(n));
            let existing = st.items.values().find(|i| {
                let usable = !i.rec.state.is_finished()
                    || finished.as_ref().is_some_and(|f| {
                        i.rec.state == TransferState::Done
                            && !f.taken.contains(&i.rec.id)
                            && i.rec.finished_at.is_some_and(|t| t >= f.since_ms)
                            && i.rec.checksum.as_ref() == expected
                    });
                i.rec.kind == TransferKind::Upload
                    && usable
                    && i.rec.local_path.as_deref() == Some(local.as_str())
                    && i.rec.folder_id == Some(folder_id)
                    && i.rec.remote_dir == remote_dir
            });
            if let Some(i) = existing {
                out.push(i.transfer());
                continue;
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "file".into());
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            let mut rec = new_record(TransferKind::Upload, name, password.clone());
            rec.folder_id = Some(folder_id);
            rec.local_path = Some(local);
            rec.bytes_total = size;
            rec.remote_dir = remote_dir;
            out.push(self.shared.enqueue(&mut st, rec)?);
        }
        drop(st);
        self.shared.wake.notify_one();
        Ok(out)
    }

    /// Queues downloads of 1fichier file URLs into `dest_dir`. A URL already queued for
    /// the same folder is not queued twice (a failed one is retried).
    pub fn download(
        &self,
        urls: Vec<String>,
        dest_dir: PathBuf,
        password: Option<String>,
    ) -> Result<Vec<Transfer>, CoreError> {
        let dest = absolute(&dest_dir).to_string_lossy().into_owned();
        let password = password
            .filter(|p| !p.is_empty())
            .map(fichier_api::Password::new);
        let mut out = Vec::new();
        let mut retry = Vec::new();
        {
            let mut st = self.shared.lock();
            for url in urls {
                let url = url.trim().to_string();
                if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() < 12 {
                    return Err(CoreError::InvalidInput {
                        reason: format!("{url:?} is not a 1fichier file link"),
                    });
                }
                let existing = st.items.values().find(|i| {
                    i.rec.kind == TransferKind::Download
                        && matches!(
                            i.rec.state,
                            TransferState::Queued
                                | TransferState::Running
                                | TransferState::Paused
                                | TransferState::Failed
                        )
                        && i.rec.url.as_deref() == Some(url.as_str())
                        && i.rec.dest_dir.as_deref() == Some(dest.as_str())
                });
                if let Some(id) = existing.map(|i| i.rec.id.clone()) {
                    let item = st.items.get_mut(&id).expect("just found");
                    if password.is_some() && item.rec.password != password {
                        // A password given now (e.g. after "password required").
                        item.rec.password = password.clone();
                        item.rec.password_set = true;
                        self.shared.store.put(&item.rec)?;
                    }
                    if item.rec.state == TransferState::Failed {
                        retry.push(id);
                    }
                    out.push(item.transfer());
                    continue;
                }
                let name = url
                    .rsplit(['?', '/'])
                    .next()
                    .filter(|s| !s.is_empty())
                    .unwrap_or("download")
                    .split('&')
                    .next()
                    .unwrap_or("download")
                    .to_string();
                let mut rec = new_record(TransferKind::Download, name, password.clone());
                rec.url = Some(url);
                rec.dest_dir = Some(dest.clone());
                out.push(self.shared.enqueue(&mut st, rec)?);
            }
        }
        for id in retry {
            self.retry(&id)?;
        }
        self.shared.wake.notify_one();
        Ok(out)
    }

    /// Every transfer on the list, oldest first.
    pub fn list(&self) -> Vec<Transfer> {
        let st = self.shared.lock();
        let mut v: Vec<&Item> = st.items.values().filter(|i| !i.rec.hidden).collect();
        v.sort_by_key(|i| i.rec.seq);
        v.into_iter().map(Item::transfer).collect()
    }

    /// One transfer.
    pub fn get(&self, id: &str) -> Option<Transfer> {
        self.shared.lock().items.get(id).map(Item::transfer)
    }

    /// Finished transfers (done, failed, cancelled), most recent first, including those
    /// cleared from the list. Bounded by the settings' history size and age.
    pub fn history(&self) -> Vec<Transfer> {
        crate::queue::history::all(&self.shared)
    }

    /// `limit` finished transfers from the `offset`-th most recent, and the history's size.
    pub fn history_page(&self, offset: usize, limit: usize) -> crate::queue::history::HistoryPage {
        crate::queue::history::page(&self.shared, offset, limit)
    }

    /// How many finished transfers, and for how many days, the history keeps; what lies
    /// beyond is forgotten at once.
    pub fn set_history_limits(&self, max_items: u32, max_days: u32) {
        crate::queue::history::set_limits(&self.shared, max_items, max_days);
    }

    /// Pauses a queued or running transfer. A running download keeps what it has.
    pub fn pause(&self, id: &str) -> Result<(), CoreError> {
        self.change(id, Item::pause)
    }

    /// Puts a paused (or failed) transfer back in the queue.
    pub fn resume(&self, id: &str) -> Result<(), CoreError> {
        self.change(id, Item::resume)?;
        self.shared.wake.notify_one();
        Ok(())
    }

    /// Cancels a transfer; a download's `.part` is deleted.
    pub fn cancel(&self, id: &str) -> Result<(), CoreError> {
        let mut part = None;
        self.change(id, |item| {
            let (changed, left) = item.request_cancel();
            part = left;
            changed
        })?;
        crate::queue::remove_part_file(part);
        Ok(())
    }

    /// Starts a failed or cancelled transfer again, from its journal when it has one.
    pub fn retry(&self, id: &str) -> Result<(), CoreError> {
        self.change(id, Item::retry)?;
        self.shared.wake.notify_one();
        Ok(())
    }

    pub fn pause_all(&self) {
        for t in self.list() {
            if matches!(t.state, TransferState::Queued | TransferState::Running) {
                let _ = self.pause(&t.id);
            }
        }
    }

    /// Puts back in the queue every paused transfer and every failed one whose failure
    /// the user can fix (a full disk, a permission, the network): a download resumes from
    /// its part. Failures that would only repeat (a deleted file, a wrong password) stay.
    pub fn resume_all(&self) {
        for t in self.list() {
            let fixable = t.state == TransferState::Failed
                && t.error.as_ref().is_none_or(|e| resumable_failure(e.code));
            if t.state == TransferState::Paused || fixable {
                let _ = self.resume(&t.id);
            }
        }
    }

    /// Takes done, failed and cancelled transfers off the list (they stay in the history).
    pub fn clear_finished(&self) -> Vec<String> {
        let mut ids = Vec::new();
        {
            let mut st = self.shared.lock();
            for item in st.items.values_mut() {
                if item.rec.state.is_finished() && !item.rec.hidden {
                    item.rec.hidden = true;
                    self.shared.persist(&item.rec);
                    ids.push(item.rec.id.clone());
                }
            }
        }
        if !ids.is_empty() {
            self.shared
                .emit(TransferEvent::Removed { ids: ids.clone() });
        }
        ids
    }

    /// Transfers running at once, from now on (running ones are not interrupted).
    pub fn set_concurrency(&self, n: u32) {
        self.shared.lock().concurrency = n.clamp(1, MAX_CONCURRENCY) as usize;
        self.shared.wake.notify_one();
    }

    pub fn concurrency(&self) -> u32 {
        self.shared.lock().concurrency as u32
    }

    /// Connections each download may use, for downloads that start from now on.
    pub fn set_connections(&self, n: u32) {
        self.shared.lock().connections = n.clamp(1, crate::settings::MAX_CONNECTIONS) as usize;
    }

    /// The global limit in bytes per second (`None` = unlimited), applied at once to
    /// every running transfer.
    pub fn set_bandwidth_limit(&self, bps: Option<u64>) {
        self.shared.bandwidth.set_limit(bps);
    }

    pub fn bandwidth_limit(&self) -> Option<u64> {
        self.shared.bandwidth.limit()
    }

    /// Switches account (e.g. demo → real). Transfers started from now on use it.
    pub fn set_client(&self, client: FichierClient) {
        self.shared.set_client(client);
        self.shared.folders.clear();
        self.shared.client_changed.send_modify(|g| *g += 1);
    }

    /// Stops every running transfer cleanly (downloads journal what they have) and stops
    /// the engine. What was running is queued again the next time the queue is opened.
    pub async fn shutdown(&self) {
        {
            let mut st = self.shared.lock();
            st.shut_down = true;
            for item in st.items.values() {
                if let Some(c) = &item.control {
                    let _ = c.send(Control::Shutdown);
                }
            }
        }
        self.shared.wake.notify_one();
        self.shared.remote_wake.notify_one();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let notified = self.shared.jobs_done.notified();
            if self.shared.lock().running == 0 || Instant::now() >= deadline {
                break;
            }
            let _ = tokio::time::timeout(Duration::from_millis(200), notified).await;
        }
        self.shared.client_changed.send_modify(|g| *g += 1);
        // Another process may take the queue from here on.
        self.shared.release_queue();
    }

    /// Applies `f` to one item; when it returns `true` the item is saved and announced.
    fn change(&self, id: &str, f: impl FnOnce(&mut Item) -> bool) -> Result<(), CoreError> {
        let mut st = self.shared.lock();
        let item = st
            .items
            .get_mut(id)
            .ok_or_else(|| CoreError::UnknownTransfer { id: id.into() })?;
        if f(item) {
            self.shared.store.put(&item.rec)?;
            self.shared.emit_item(item);
        }
        Ok(())
    }
}

/// Failures that a resume may get past once the user has fixed their cause, or by
/// themselves; the others need something new from the user (a password, another link).
pub fn resumable_failure(code: ErrorCode) -> bool {
    !matches!(
        code,
        ErrorCode::NotFound
            | ErrorCode::NotAllowed
            | ErrorCode::PasswordRequired
            | ErrorCode::PasswordWrong
            | ErrorCode::OwnerLocked
            | ErrorCode::FileEmpty
            | ErrorCode::FileTooLarge
            | ErrorCode::InvalidName
            | ErrorCode::InvalidKey
            | ErrorCode::BadKeyFormat
            | ErrorCode::NotCustomer
            | ErrorCode::KeyMissing
            | ErrorCode::HostNotAllowed
            | ErrorCode::KeyWithheld
            | ErrorCode::Cancelled
    )
}

#[cfg(test)]
mod reuse_tests;
