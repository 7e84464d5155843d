//! The context a running job sees: its own record, its progress and journal, and the
//! engine's settings. It holds the queue, but a job reaches only its own entry through it.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use fichier_api::FichierClient;
use tokio::sync::watch;

use super::{Control, Shared};
use crate::bandwidth::Bandwidth;
use crate::error::CoreError;
use crate::folders::FolderResolver;
use crate::options::EngineOptions;
use crate::store::{Record, Segment};
use crate::types::{TransferEvent, TransferPhase};

/// What a job sees of the engine.
#[derive(Clone)]
pub(crate) struct JobCtx {
    pub id: String,
    shared: Arc<Shared>,
    pub client: FichierClient,
    control: watch::Receiver<Control>,
}

impl JobCtx {
    pub fn new(shared: &Arc<Shared>, id: String, control: watch::Receiver<Control>) -> JobCtx {
        JobCtx {
            id,
            client: shared.client(),
            shared: shared.clone(),
            control,
        }
    }

    /// What the engine asks of this job now.
    pub fn control(&self) -> Control {
        *self.control.borrow()
    }

    pub fn record(&self) -> Record {
        self.shared
            .lock()
            .items
            .get(&self.id)
            .map(|i| i.rec.clone())
            .expect("a running transfer stays in the list")
    }

    /// Changes the record and saves it (no event).
    pub fn update(&self, f: impl FnOnce(&mut Record)) {
        let mut st = self.shared.lock();
        if let Some(item) = st.items.get_mut(&self.id) {
            f(&mut item.rec);
            self.shared.persist(&item.rec);
        }
    }

    /// Changes the phase and announces it.
    pub fn set_phase(&self, phase: Option<TransferPhase>) {
        let mut st = self.shared.lock();
        if let Some(item) = st.items.get_mut(&self.id)
            && item.phase != phase
        {
            item.phase = phase;
            self.shared.emit_item(item);
        }
    }

    /// Records progress; sends at most 10 events per second.
    pub fn progress(&self, done: u64, total: u64) {
        let mut st = self.shared.lock();
        if let Some(item) = st.items.get_mut(&self.id) {
            item.rec.bytes_done = done;
            item.rec.bytes_total = total;
            if let Some((speed, eta)) = item.meter.observe(done, total) {
                item.speed = speed;
                item.eta = eta;
                self.shared.emit(TransferEvent::Progress {
                    id: self.id.clone(),
                    bytes_done: done,
                    bytes_total: total,
                    speed_bps: speed,
                    eta_seconds: eta,
                });
            }
        }
    }

    /// An upload attempt starts from its first byte (1fichier can't resume one).
    pub fn begin_upload(&self, len: u64) {
        self.update(|r| {
            r.bytes_total = len;
            r.bytes_done = 0;
        });
        self.reset_meter();
        self.progress(0, len);
        self.set_phase(Some(TransferPhase::Connecting));
    }

    /// Forgets the speed history (restart from zero).
    pub fn reset_meter(&self) {
        if let Some(item) = self.shared.lock().items.get_mut(&self.id) {
            item.meter.reset();
        }
    }

    /// Resolves when the engine asks this job to stop.
    pub async fn stopped(&self) {
        let mut rx = self.control.clone();
        let _ = rx.wait_for(|c| *c != Control::Run).await;
    }

    /// Runs `fut` unless the job is asked to stop first (then `Cancelled`).
    pub async fn guard<T, E>(&self, fut: impl Future<Output = Result<T, E>>) -> Result<T, CoreError>
    where
        CoreError: From<E>,
    {
        tokio::select! {
            biased;
            _ = self.stopped() => Err(CoreError::Cancelled),
            r = fut => r.map_err(CoreError::from),
        }
    }

    /// Sleeps, unless asked to stop.
    pub async fn nap(&self, d: Duration) -> Result<(), CoreError> {
        tokio::select! {
            biased;
            _ = self.stopped() => Err(CoreError::Cancelled),
            _ = tokio::time::sleep(d) => Ok(()),
        }
    }

    pub fn options(&self) -> &EngineOptions {
        &self.shared.options
    }

    /// The connections a download may open now (a setting the user can change).
    pub fn connections(&self) -> usize {
        self.shared.lock().connections
    }

    pub fn bandwidth(&self) -> &Bandwidth {
        &self.shared.bandwidth
    }

    pub fn folders(&self) -> &FolderResolver {
        &self.shared.folders
    }

    /// Files already uploaded by other transfers of this queue (not this one's).
    pub fn claimed_urls(&self) -> Vec<String> {
        self.shared.claimed_urls(&self.id)
    }

    /// A free name for this download in `dir`, held until the download ends.
    pub fn reserve_path(&self, dir: &Path, name: &str) -> PathBuf {
        self.shared.reserve_path(&self.id, dir, name)
    }

    /// The part file's journal: a verified offset, on disk and in memory (the bytes
    /// were fsynced before).
    pub fn journal(&self, offset: u64) {
        let _ = self.shared.store.set_journal(&self.id, offset);
        if let Some(item) = self.shared.lock().items.get_mut(&self.id) {
            item.rec.journal_offset = offset;
        }
    }

    /// The verified offset last journaled.
    pub fn journal_offset(&self) -> u64 {
        self.shared
            .lock()
            .items
            .get(&self.id)
            .map_or(0, |i| i.rec.journal_offset)
    }

    /// The segments of a download on several connections, as last journaled.
    pub fn segments(&self) -> Option<Vec<Segment>> {
        self.shared.store.segments(&self.id)
    }

    /// Journals the segments and the contiguous prefix they make.
    pub fn set_segments(&self, segs: &[Segment], prefix: u64) {
        let _ = self.shared.store.set_segments(&self.id, segs, prefix);
        if let Some(item) = self.shared.lock().items.get_mut(&self.id) {
            item.rec.journal_offset = prefix;
        }
    }

    pub fn clear_segments(&self) {
        let _ = self.shared.store.clear_segments(&self.id);
    }
}
