//! Backups that run themselves: a local folder kept on 1fichier, in copy or mirror mode,
//! started by a schedule, a folder watcher, "run now", or at start when a run was missed
//! or interrupted.
//!
//! - `scan`: the folder's files after the exclusions, and which are still being written;
//! - `store`: the jobs and the index (an unchanged file is never read again);
//! - `plan`: what a run does, from the scan and the index, without any API call;
//! - `run`: carrying the plan out, step by step, each step recorded when confirmed;
//! - this module: the jobs, their rules, the scheduler and the watchers.
//!
//! Every call goes through the account's client (its pacer and caches); uploads go
//! through the transfer engine, so they are batched, verified and resumed like any other.

mod plan;
mod rules;
mod run;
mod scan;
mod store;
mod triggers;
/// The backup types the window and the command line see; they live with the other
/// shared types, so those can carry them without depending on the backup machinery.
pub use crate::types::backup as types;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, watch};

pub use rules::check_spec;
pub use scan::{DEFAULT_EXCLUDES, check_excludes};
pub use types::*;

use crate::engine::TransferEngine;
use crate::error::CoreError;
use crate::queue::now_ms;
use crate::queue_lock::QueueLock;
use crate::types::TransferEvent;
use rules::next_run;
use store::{BackupStore, StoredJob};

pub const MAX_VERSIONS: u32 = 100;
pub const MAX_TRASH_DAYS: u32 = 365;
/// Longest interval of an "every N hours" schedule (a week).
pub const MAX_EVERY_HOURS: u32 = 168;
pub const MAX_BACKUP_NAME_CHARS: usize = 100;
/// A file must have been left alone this long to be sent.
pub const DEFAULT_SETTLE: Duration = Duration::from_secs(5);
/// Overrides [`DEFAULT_SETTLE`], in milliseconds (tests and measurements).
pub const SETTLE_ENV: &str = "FICHIER_BACKUP_SETTLE_MS";
/// Under the backup's 1fichier folder: removed files, by day.
pub const TRASH_FOLDER: &str = "Fichier Desk trash";
/// Under the backup's 1fichier folder: earlier copies of changed files.
pub const VERSIONS_FOLDER: &str = "Fichier Desk versions";
/// How often a run checks the index against 1fichier's listings (one listing per folder),
/// so a file removed on 1fichier is sent again.
pub const VERIFY_EVERY: Duration = Duration::from_secs(7 * 24 * 3600);
/// Quiet time after a change in a watched folder before a run starts.
const WATCH_DEBOUNCE: Duration = Duration::from_secs(2);
/// Backup events per second and job, at most (state changes always go out).
const EVENT_INTERVAL: Duration = Duration::from_millis(250);

fn new_id() -> String {
    use rand::Rng;
    let n: u32 = rand::thread_rng().r#gen();
    format!("b{n:08x}")
}

/// What the backup machinery shares with its runs.
pub(crate) struct Inner {
    store: BackupStore,
    pub engine: TransferEngine,
    pub settle: Duration,
    lock_dir: PathBuf,
    status: Mutex<HashMap<String, BackupStatus>>,
    last_emit: Mutex<HashMap<String, Instant>>,
    /// Runs in progress in this process: their stop switch.
    runs: Mutex<HashMap<String, watch::Sender<bool>>>,
    /// Jobs to run at an instant (a watched change, files that must settle first).
    due: Mutex<HashMap<String, Instant>>,
    wake: Arc<Notify>,
    watchers: Mutex<HashMap<String, (String, Watcher)>>,
    /// Interrupted runs already taken up again by this process.
    resumed: Mutex<HashSet<String>>,
}

type Watcher = notify_debouncer_full::Debouncer<
    notify_debouncer_full::notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Inner {
    pub fn set_status(&self, id: &str, status: BackupStatus) {
        let kind_changed = {
            let mut map = locked(&self.status);
            let old = map.insert(id.to_string(), status.clone());
            old.map(|o| std::mem::discriminant(&o)) != Some(std::mem::discriminant(&status))
        };
        let now = Instant::now();
        {
            let mut last = locked(&self.last_emit);
            if !kind_changed
                && last
                    .get(id)
                    .is_some_and(|t| now.duration_since(*t) < EVENT_INTERVAL)
            {
                return;
            }
            last.insert(id.to_string(), now);
        }
        self.announce(id);
    }

    fn announce(&self, id: &str) {
        if let Ok(Some(job)) = self.store.job(id) {
            self.engine.emit(TransferEvent::Backup {
                job: self.view(job),
            });
        }
    }

    fn view(&self, job: StoredJob) -> BackupJob {
        let running = locked(&self.runs).contains_key(&job.id);
        let status = if job.paused && !running {
            BackupStatus::Paused
        } else if running {
            locked(&self.status)
                .get(&job.id)
                .cloned()
                .unwrap_or_default()
        } else {
            BackupStatus::Idle
        };
        BackupJob {
            next_run_at: next_run(&job),
            interrupted: job.running && !running,
            id: job.id,
            spec: job.spec,
            paused: job.paused,
            created_at: job.created_at,
            status,
            last_run: job.last_run,
        }
    }
}

/// The backups of one account: the jobs, their runs, and (in the app) their triggers.
#[derive(Clone)]
pub struct Backups {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Backups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Backups").finish_non_exhaustive()
    }
}

impl Backups {
    /// Opens the backups database `db` (created if missing); runs use `engine`.
    pub fn open(db: &Path, engine: &TransferEngine) -> Result<Backups, CoreError> {
        let settle = std::env::var(SETTLE_ENV)
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .map(Duration::from_millis)
            .unwrap_or(DEFAULT_SETTLE);
        Backups::open_with(db, engine, settle)
    }

    /// Like [`open`](Backups::open), with the settle time given.
    pub fn open_with(
        db: &Path,
        engine: &TransferEngine,
        settle: Duration,
    ) -> Result<Backups, CoreError> {
        let store = BackupStore::open(db)?;
        let lock_dir = db
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
            .join("backup-runs");
        Ok(Backups {
            inner: Arc::new(Inner {
                store,
                engine: engine.clone(),
                settle,
                lock_dir,
                status: Mutex::default(),
                last_emit: Mutex::default(),
                runs: Mutex::default(),
                due: Mutex::default(),
                wake: Arc::new(Notify::new()),
                watchers: Mutex::default(),
                resumed: Mutex::default(),
            }),
        })
    }

    pub fn list(&self) -> Result<Vec<BackupJob>, CoreError> {
        Ok(self
            .inner
            .store
            .jobs()?
            .into_iter()
            .map(|j| self.inner.view(j))
            .collect())
    }

    /// A job by id, or by name (ignoring case).
    pub fn find(&self, id_or_name: &str) -> Result<BackupJob, CoreError> {
        let jobs = self.inner.store.jobs()?;
        let found = jobs
            .iter()
            .find(|j| j.id == id_or_name)
            .or_else(|| {
                jobs.iter()
                    .find(|j| j.spec.name.eq_ignore_ascii_case(id_or_name.trim()))
            })
            .cloned()
            .ok_or_else(|| CoreError::UnknownBackup {
                id: id_or_name.to_string(),
            })?;
        Ok(self.inner.view(found))
    }

    fn stored(&self, id: &str) -> Result<StoredJob, CoreError> {
        self.inner
            .store
            .job(id)?
            .ok_or_else(|| CoreError::UnknownBackup { id: id.to_string() })
    }

    fn check_unique(&self, spec: &BackupSpec, except: Option<&str>) -> Result<(), CoreError> {
        for j in self.inner.store.jobs()? {
            if Some(j.id.as_str()) == except {
                continue;
            }
            if j.spec.name.eq_ignore_ascii_case(&spec.name) {
                return Err(CoreError::InvalidInput {
                    reason: format!("A backup is already named {:?}.", spec.name),
                });
            }
            if j.spec.source == spec.source && j.spec.folder_id == spec.folder_id {
                return Err(CoreError::InvalidInput {
                    reason: format!(
                        "The backup {:?} already sends this folder to the same 1fichier folder.",
                        j.spec.name
                    ),
                });
            }
        }
        Ok(())
    }

    pub fn add(&self, spec: &BackupSpec) -> Result<BackupJob, CoreError> {
        let spec = check_spec(spec)?;
        self.check_unique(&spec, None)?;
        let job = StoredJob {
            id: new_id(),
            spec,
            paused: false,
            created_at: now_ms() as i64,
            last_run: None,
            last_started_at: None,
            running: false,
            // A new job starts from an empty index: nothing to check yet.
            last_verified_at: Some(now_ms() as i64),
        };
        self.inner.store.put_job(&job)?;
        self.inner.announce(&job.id);
        self.inner.wake.notify_one();
        Ok(self.inner.view(job))
    }

    /// Changes what the user set. A new local or 1fichier folder starts a new index.
    pub fn update(&self, id: &str, spec: &BackupSpec) -> Result<BackupJob, CoreError> {
        let spec = check_spec(spec)?;
        self.check_unique(&spec, Some(id))?;
        let mut job = self.stored(id)?;
        if job.spec.source != spec.source || job.spec.folder_id != spec.folder_id {
            if locked(&self.inner.runs).contains_key(id) {
                return Err(CoreError::InvalidInput {
                    reason: "The folders of a running backup can't change; pause it first.".into(),
                });
            }
            let id = job.id.clone();
            self.inner.store.remove_job(&id)?;
        }
        job.spec = spec;
        self.inner.store.put_job(&job)?;
        self.inner.announce(id);
        self.inner.wake.notify_one();
        Ok(self.inner.view(job))
    }

    /// Forgets a job and its index; nothing on 1fichier or on the disk is touched.
    pub fn remove(&self, id: &str) -> Result<(), CoreError> {
        let job = self.stored(id)?;
        if let Some(stop) = locked(&self.inner.runs).get(&job.id) {
            let _ = stop.send(true);
        }
        locked(&self.inner.watchers).remove(&job.id);
        self.inner.store.remove_job(&job.id)
    }

    /// Pausing stops a run in progress (its transfers pause in the queue) and every
    /// trigger; resuming lets them run again.
    pub fn set_paused(&self, id: &str, paused: bool) -> Result<BackupJob, CoreError> {
        let mut job = self.stored(id)?;
        job.paused = paused;
        self.inner.store.put_job(&job)?;
        if paused && let Some(stop) = locked(&self.inner.runs).get(id) {
            let _ = stop.send(true);
        }
        self.inner.announce(id);
        self.inner.wake.notify_one();
        Ok(self.inner.view(job))
    }

    /// Runs a job now and waits for the end. A preview (`dry_run`) changes nothing, on
    /// 1fichier or in the index, and says what a run would do.
    pub async fn run(&self, id: &str, dry_run: bool) -> Result<RunReport, CoreError> {
        run_job(&self.inner, id, dry_run, false).await
    }

    /// A run that first checks every backed-up file against 1fichier's listings (as runs
    /// do by themselves every [`VERIFY_EVERY`]); files removed there are sent again.
    pub async fn run_verified(&self, id: &str) -> Result<RunReport, CoreError> {
        run_job(&self.inner, id, false, true).await
    }

    /// The id of a 1fichier folder given as an id ("1234") or a path from the root
    /// ("/Backups/Photos"), created when missing if `create`.
    pub async fn resolve_folder(&self, given: &str, create: bool) -> Result<i64, CoreError> {
        let given = given.trim();
        if let Ok(id) = given.parse::<i64>() {
            if id < 0 {
                return Err(CoreError::InvalidInput {
                    reason: format!("{id} is not a folder id"),
                });
            }
            return Ok(id);
        }
        let rel = given.trim_matches('/');
        // A folder a backup already goes to is known without asking 1fichier.
        let label = format!("/{rel}");
        if let Some(job) = self
            .inner
            .store
            .jobs()?
            .into_iter()
            .find(|j| j.spec.folder_label.trim_end_matches('/') == label.trim_end_matches('/'))
        {
            return Ok(job.spec.folder_id);
        }
        if !rel.is_empty() {
            for part in rel.split('/') {
                crate::names::check_name(part)?;
            }
        }
        let client = self.inner.engine.client();
        let folders = self.inner.engine.folders();
        let found = if create {
            Some(folders.resolve(&client, 0, Some(rel)).await?)
        } else {
            folders.find(&client, 0, Some(rel)).await?
        };
        found.ok_or_else(|| CoreError::UnknownFolder {
            path: format!("/{rel}"),
        })
    }

    /// Starts a run in the background (the app's "Run now").
    pub fn start_run(&self, id: &str) -> Result<(), CoreError> {
        let job = self.stored(id)?;
        if locked(&self.inner.runs).contains_key(&job.id) {
            return Ok(());
        }
        let inner = self.inner.clone();
        tokio::spawn(async move {
            if let Err(e) = run_job(&inner, &job.id, false, false).await {
                tracing::warn!(error = %e, backup = %job.spec.name, "backup not run");
            }
        });
        Ok(())
    }

    /// Starts the triggers: schedules (with a catch-up run for a missed or interrupted
    /// one) and the folder watchers. For a process that stays up (the app).
    pub fn start(&self) {
        let weak = Arc::downgrade(&self.inner);
        tokio::spawn(triggers::scheduler(weak));
    }

    /// Stops the runs in progress (their transfers stay queued) and the watchers.
    pub fn stop_all(&self) {
        for stop in locked(&self.inner.runs).values() {
            let _ = stop.send(true);
        }
        locked(&self.inner.watchers).clear();
    }
}

async fn run_job(
    inner: &Arc<Inner>,
    id: &str,
    dry_run: bool,
    verify: bool,
) -> Result<RunReport, CoreError> {
    let mut job = inner
        .store
        .job(id)?
        .ok_or_else(|| CoreError::UnknownBackup { id: id.to_string() })?;
    let (stop, stop_rx) = watch::channel(false);
    // One run of a job at a time, in this process and across processes.
    let mut _lock = None;
    if !dry_run {
        {
            let mut runs = locked(&inner.runs);
            if runs.contains_key(&job.id) {
                return Err(CoreError::BackupBusy {
                    name: job.spec.name.clone(),
                    owner: "this program".into(),
                });
            }
            runs.insert(job.id.clone(), stop);
        }
        match QueueLock::acquire(&inner.lock_dir.join(&job.id)) {
            Ok(l) => _lock = Some(l),
            Err(e) => {
                locked(&inner.runs).remove(&job.id);
                return Err(match e {
                    CoreError::QueueBusy { owner, .. } => CoreError::BackupBusy {
                        name: job.spec.name.clone(),
                        owner,
                    },
                    other => other,
                });
            }
        }
        job.running = true;
        job.last_started_at = Some(now_ms() as i64);
        inner.store.put_job(&job)?;
        inner.set_status(&job.id, BackupStatus::Scanning { files: 0 });
    }
    let verify = !dry_run
        && (verify
            || job
                .last_verified_at
                .is_none_or(|t| now_ms() as i64 - t > VERIFY_EVERY.as_millis() as i64));
    let mut run = run::Run::new(inner, job.clone(), dry_run, stop_rx);
    run.verify = verify;
    let report = run.execute().await;
    if dry_run {
        return Ok(report);
    }
    // The spec may have been edited meanwhile: keep the stored one.
    let mut stored = inner.store.job(&job.id)?.unwrap_or(job);
    stored.running = false;
    if verify && report.outcome != Some(RunOutcome::Failed) {
        stored.last_verified_at = Some(report.started_at);
    }
    stored.last_run = Some(report.clone());
    inner.store.put_job(&stored)?;
    locked(&inner.runs).remove(&stored.id);
    locked(&inner.status).remove(&stored.id);
    if report.waiting > 0 && report.outcome != Some(RunOutcome::Interrupted) {
        locked(&inner.due).insert(stored.id.clone(), Instant::now() + inner.settle);
        inner.wake.notify_one();
    }
    tracing::info!(
        backup = %stored.spec.name,
        uploaded = report.uploaded,
        moved = report.moved,
        copied = report.copied,
        trashed = report.trashed,
        unchanged = report.unchanged,
        errors = report.errors.len(),
        "backup run finished"
    );
    inner.announce(&stored.id);
    Ok(report)
}
