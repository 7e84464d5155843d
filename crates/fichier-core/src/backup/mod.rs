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
mod run;
mod scan;
mod store;
pub mod types;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use chrono::{Local, TimeZone};
use tokio::sync::{Notify, watch};

pub use scan::{DEFAULT_EXCLUDES, check_excludes};
pub use types::*;

use crate::engine::{TransferEngine, now_ms};
use crate::error::CoreError;
use crate::queue_lock::QueueLock;
use crate::types::TransferEvent;
use store::{BackupStore, StoredJob};

/// Earlier copies of a changed file kept unless the user chooses otherwise.
pub const DEFAULT_VERSIONS: u32 = 5;
pub const MAX_VERSIONS: u32 = 100;
/// Days a removed file stays in the trash unless the user chooses otherwise.
pub const DEFAULT_TRASH_DAYS: u32 = 30;
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

/// Checks what the user set and returns it tidied (name trimmed, blank exclusions
/// dropped); the reason says what is wrong.
pub fn check_spec(spec: &BackupSpec) -> Result<BackupSpec, CoreError> {
    let bad = |reason: String| Err(CoreError::InvalidInput { reason });
    let mut s = spec.clone();
    s.name = s.name.trim().to_string();
    if s.name.is_empty() {
        return bad("Give the backup a name.".into());
    }
    if s.name.chars().count() > MAX_BACKUP_NAME_CHARS {
        return bad(format!(
            "A backup name has at most {MAX_BACKUP_NAME_CHARS} characters."
        ));
    }
    let source = Path::new(s.source.trim());
    if s.source.trim().is_empty() {
        return bad("Choose the folder to back up.".into());
    }
    if !source.is_absolute() {
        return bad(format!(
            "{} is not a full path to a folder.",
            source.display()
        ));
    }
    if !source.is_dir() {
        return bad(format!(
            "{} is not a folder that can be read.",
            source.display()
        ));
    }
    s.source = std::path::absolute(source)
        .unwrap_or_else(|_| source.to_path_buf())
        .to_string_lossy()
        .into_owned();
    if s.folder_id < 0 {
        return bad("Choose the 1fichier folder it goes to.".into());
    }
    if s.versions > MAX_VERSIONS {
        return bad(format!("Keep at most {MAX_VERSIONS} earlier versions."));
    }
    if !(1..=MAX_TRASH_DAYS).contains(&s.trash_days) {
        return bad(format!(
            "Keep removed files between 1 and {MAX_TRASH_DAYS} days."
        ));
    }
    match s.schedule {
        Schedule::Every { hours } if !(1..=MAX_EVERY_HOURS).contains(&hours) => {
            return bad(format!("Run every 1 to {MAX_EVERY_HOURS} hours."));
        }
        Schedule::Daily { hour, minute } if hour > 23 || minute > 59 => {
            return bad("Choose a time of day between 00:00 and 23:59.".into());
        }
        _ => {}
    }
    s.excludes = s
        .excludes
        .iter()
        .map(|l| l.trim_end().to_string())
        .filter(|l| !l.trim().is_empty())
        .collect();
    check_excludes(&s.excludes)?;
    Ok(s)
}

/// When the schedule runs a job next (epoch ms), counted from its last start.
fn next_run(job: &StoredJob) -> Option<i64> {
    if job.paused {
        return None;
    }
    let from = job.last_started_at.unwrap_or(job.created_at);
    match job.spec.schedule {
        Schedule::Manual => None,
        Schedule::Every { hours } => Some(from + i64::from(hours.max(1)) * 3_600_000),
        Schedule::Daily { hour, minute } => {
            let base = Local.timestamp_millis_opt(from).single()?;
            let mut day = base.date_naive();
            for _ in 0..3 {
                let at = day.and_hms_opt(u32::from(hour), u32::from(minute), 0)?;
                if let Some(t) = Local.from_local_datetime(&at).earliest()
                    && t > base
                {
                    return Some(t.timestamp_millis());
                }
                day = day.succ_opt()?;
            }
            None
        }
    }
}

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
        tokio::spawn(scheduler(weak));
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

/// Starts what is due, keeps the watchers in line with the jobs, sleeps until the next
/// thing to do.
async fn scheduler(weak: Weak<Inner>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(dir: &Path) -> BackupSpec {
        BackupSpec {
            name: " Photos ".into(),
            source: dir.to_string_lossy().into_owned(),
            folder_id: 0,
            folder_label: "/".into(),
            mode: BackupMode::Copy,
            excludes: vec!["".into(), "*.raw".into()],
            schedule: Schedule::Daily { hour: 3, minute: 0 },
            watch: false,
            versions: DEFAULT_VERSIONS,
            trash_days: DEFAULT_TRASH_DAYS,
        }
    }

    #[test]
    fn the_rules_of_a_backup_say_what_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let ok = check_spec(&spec(dir.path())).unwrap();
        assert_eq!(ok.name, "Photos");
        assert_eq!(ok.excludes, vec!["*.raw"]);
        type Change = Box<dyn Fn(&mut BackupSpec)>;
        let cases: Vec<(Change, &str)> = vec![
            (Box::new(|s| s.name = "  ".into()), "name"),
            (Box::new(|s| s.name = "x".repeat(101)), "100"),
            (Box::new(|s| s.source = "".into()), "folder to back up"),
            (Box::new(|s| s.source = "relative/dir".into()), "full path"),
            (
                Box::new(|s| s.source = "/no/such/dir/here".into()),
                "not a folder",
            ),
            (Box::new(|s| s.folder_id = -1), "1fichier folder"),
            (Box::new(|s| s.versions = 101), "100"),
            (Box::new(|s| s.trash_days = 0), "days"),
            (
                Box::new(|s| s.schedule = Schedule::Every { hours: 0 }),
                "hours",
            ),
            (
                Box::new(|s| {
                    s.schedule = Schedule::Daily {
                        hour: 24,
                        minute: 0,
                    }
                }),
                "time",
            ),
            (Box::new(|s| s.excludes = vec!["[z-a]".into()]), "exclusion"),
        ];
        for (change, words) in cases {
            let mut s = spec(dir.path());
            change(&mut s);
            let err = check_spec(&s).unwrap_err();
            assert_eq!(err.code(), "invalid_request");
            assert!(err.to_string().contains(words), "{err} lacks {words:?}");
        }
    }

    #[test]
    fn schedules_count_from_the_last_start() {
        let dir = tempfile::tempdir().unwrap();
        let base = Local
            .with_ymd_and_hms(2026, 12, 1, 10, 30, 0)
            .single()
            .unwrap()
            .timestamp_millis();
        let mut job = StoredJob {
            id: "b1".into(),
            spec: spec(dir.path()),
            paused: false,
            created_at: base,
            last_run: None,
            last_started_at: None,
            running: false,
            last_verified_at: None,
        };
        let daily = next_run(&job).unwrap();
        let at = Local.timestamp_millis_opt(daily).single().unwrap();
        assert_eq!(at.format("%Y-%m-%d %H:%M").to_string(), "2026-12-02 03:00");
        job.spec.schedule = Schedule::Daily {
            hour: 23,
            minute: 15,
        };
        let at = Local
            .timestamp_millis_opt(next_run(&job).unwrap())
            .single()
            .unwrap();
        assert_eq!(at.format("%Y-%m-%d %H:%M").to_string(), "2026-12-01 23:15");
        job.spec.schedule = Schedule::Every { hours: 6 };
        job.last_started_at = Some(base + 1000);
        assert_eq!(next_run(&job), Some(base + 1000 + 6 * 3_600_000));
        job.paused = true;
        assert_eq!(next_run(&job), None);
        job.paused = false;
        job.spec.schedule = Schedule::Manual;
        assert_eq!(next_run(&job), None);
    }
}
