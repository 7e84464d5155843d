//! `fichier backup …` and `fichier sync`: the app's backups, from a terminal, cron or a
//! systemd timer. Jobs live in the same database as the app's, so either can run them.

use fichier_api::ErrorCode;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fichier_core::backup::{
    BackupJob, BackupMode, BackupSpec, BackupStatus, Backups, RunOutcome, RunReport, Schedule,
};
use fichier_core::{TransferEngine, TransferEvent};

use crate::output::{Out, size};
use crate::transfers::open_engine;
use crate::{Cli, CliResult, Failure};

/// What `backup add` and `sync` are told.
pub struct NewJob {
    pub local: PathBuf,
    pub folder: String,
    pub name: Option<String>,
    pub mirror: bool,
    pub excludes: Vec<String>,
    pub every: Option<u32>,
    pub daily: Option<String>,
    pub watch: bool,
    pub versions: u32,
    pub trash_days: u32,
}

/// The account's backups, the same file the app uses for it.
fn database() -> Result<PathBuf, Failure> {
    let name = fichier_core::accounts::Accounts::load()?
        .pick(crate::account_flag().as_deref())?
        .file_name("backups.sqlite");
    Ok(fichier_core::settings::data_dir()
        .ok_or_else(|| Failure::usage("no data folder on this system"))?
        .join(name))
}

async fn open(cli: &Cli, out: &Out) -> Result<(TransferEngine, Backups), Failure> {
    let engine = open_engine(cli, out).await?;
    let backups = Backups::open(&database()?, &engine)?;
    Ok((engine, backups))
}

fn schedule(every: Option<u32>, daily: Option<&str>) -> Result<Schedule, Failure> {
    match (every, daily) {
        (Some(hours), None) => Ok(Schedule::Every { hours }),
        (None, Some(at)) => {
            let parsed = at
                .split_once(':')
                .and_then(|(h, m)| Some((h.trim().parse().ok()?, m.trim().parse().ok()?)));
            let Some((hour, minute)) = parsed else {
                return Err(Failure::usage(format!(
                    "--daily takes a time as HH:MM, not {at:?}"
                )));
            };
            Ok(Schedule::Daily { hour, minute })
        }
        (None, None) => Ok(Schedule::Manual),
        (Some(_), Some(_)) => Err(Failure::usage("choose --every or --daily, not both")),
    }
}

fn absolute(p: &Path) -> Result<String, Failure> {
    let real = std::fs::canonicalize(p)
        .map_err(|e| Failure::usage(format!("{} can't be backed up: {e}", p.display())))?;
    Ok(real.to_string_lossy().into_owned())
}

fn describe(s: &Schedule) -> String {
    match s {
        Schedule::Manual => "manual".into(),
        Schedule::Every { hours } => format!("every {hours} h"),
        Schedule::Daily { hour, minute } => format!("daily at {hour:02}:{minute:02}"),
    }
}

fn mode_word(m: BackupMode) -> &'static str {
    match m {
        BackupMode::Copy => "copy",
        BackupMode::Mirror => "mirror",
    }
}

fn when(ms: i64) -> String {
    use chrono::TimeZone;
    chrono::Local
        .timestamp_millis_opt(ms)
        .single()
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

fn print_job(j: &BackupJob) {
    println!(
        "{}  {}  {} → {}  ({}, {}{}{})",
        j.id,
        j.spec.name,
        j.spec.source,
        if j.spec.folder_label.is_empty() {
            j.spec.folder_id.to_string()
        } else {
            j.spec.folder_label.clone()
        },
        mode_word(j.spec.mode),
        describe(&j.spec.schedule),
        if j.spec.watch { ", watched" } else { "" },
        if j.paused { ", paused" } else { "" },
    );
    if let Some(r) = &j.last_run
        && let Some(end) = r.finished_at
    {
        println!("    last run {}: {}", when(end), summary(r));
    }
    if let Some(next) = j.next_run_at {
        println!("    next run {}", when(next));
    }
    if j.interrupted {
        println!("    interrupted: the next run goes on where it stopped");
    }
}

pub fn summary(r: &RunReport) -> String {
    let mut parts = vec![format!(
        "{} uploaded ({})",
        r.uploaded,
        size(r.uploaded_bytes)
    )];
    for (n, what) in [
        (r.missing, "gone from 1fichier, sent again"),
        (r.adopted, "already there"),
        (r.moved, "moved"),
        (r.copied, "copied"),
        (r.versioned, "versions kept"),
        (r.trashed, "to the trash"),
        (r.unchanged, "unchanged"),
        (r.waiting, "still being written"),
        (r.errors.len() as u64, "not backed up"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    parts.join(", ")
}

pub async fn add(cli: &Cli, out: &Out, job: NewJob) -> CliResult {
    let (engine, backups) = open(cli, out).await?;
    let result = add_job(&backups, job).await;
    engine.shutdown().await;
    let job = result?;
    out.show(&job, || print_job(&job));
    Ok(())
}

async fn add_job(backups: &Backups, job: NewJob) -> Result<BackupJob, Failure> {
    let source = absolute(&job.local)?;
    let name = match job.name {
        Some(n) => n,
        None => Path::new(&source)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Backup".into()),
    };
    let mut spec = BackupSpec {
        name,
        source,
        folder_id: 0,
        folder_label: label(&job.folder),
        mode: if job.mirror {
            BackupMode::Mirror
        } else {
            BackupMode::Copy
        },
        excludes: job.excludes,
        schedule: schedule(job.every, job.daily.as_deref())?,
        watch: job.watch,
        versions: job.versions,
        trash_days: job.trash_days,
    };
    // Everything checked before a folder is made on 1fichier for it.
    fichier_core::backup::check_spec(&spec).map_err(usage)?;
    spec.folder_id = backups.resolve_folder(&job.folder, true).await?;
    Ok(backups.add(&spec)?)
}

/// A refused setting is bad usage (exit code 2).
fn usage(e: fichier_core::CoreError) -> Failure {
    if e.code() == ErrorCode::InvalidRequest {
        Failure::usage(e.to_string())
    } else {
        e.into()
    }
}

fn label(folder: &str) -> String {
    let f = folder.trim();
    if f.parse::<i64>().is_ok() {
        String::new()
    } else {
        format!("/{}", f.trim_matches('/'))
    }
}

pub async fn list(cli: &Cli, out: &Out) -> CliResult {
    let backups = Backups::open(&database()?, &open_engine(cli, out).await?)?;
    let jobs = backups.list()?;
    out.show(&jobs, || {
        if jobs.is_empty() {
            println!("No backup yet: add one with `fichier backup add LOCAL FOLDER`.");
        }
        for j in &jobs {
            print_job(j);
        }
    });
    Ok(())
}

pub async fn status(cli: &Cli, out: &Out, which: Option<&str>) -> CliResult {
    let Some(which) = which else {
        return list(cli, out).await;
    };
    let (engine, backups) = open(cli, out).await?;
    let job = backups.find(which);
    engine.shutdown().await;
    let job = job?;
    out.show(&job, || {
        print_job(&job);
        if let Some(r) = &job.last_run {
            for p in &r.errors {
                println!("    {}: {}", p.path, p.message);
            }
        }
    });
    Ok(())
}

pub async fn remove(cli: &Cli, out: &Out, which: &str) -> CliResult {
    let (engine, backups) = open(cli, out).await?;
    let result = backups
        .find(which)
        .and_then(|j| backups.remove(&j.id).map(|_| j));
    engine.shutdown().await;
    let job = result?;
    out.show(&serde_json::json!({"removed": job.id}), || {
        println!(
            "Removed the backup {:?}; the files on 1fichier are kept.",
            job.spec.name
        )
    });
    Ok(())
}

pub async fn run(cli: &Cli, out: &Out, which: &str, dry_run: bool, verify: bool) -> CliResult {
    let (engine, backups) = open(cli, out).await?;
    let result = match backups.find(which) {
        Ok(job) => run_job(&engine, &backups, out, &job, dry_run, verify).await,
        Err(e) => Err(e.into()),
    };
    engine.shutdown().await;
    result
}

/// `fichier sync LOCAL FOLDER`: the backup of that pair (made on first use, so later runs
/// keep its index), run now.
pub async fn sync(cli: &Cli, out: &Out, job: NewJob, dry_run: bool) -> CliResult {
    let (engine, backups) = open(cli, out).await?;
    let result = async {
        let source = absolute(&job.local)?;
        let folder_id = backups.resolve_folder(&job.folder, !dry_run).await?;
        let existing = backups
            .list()?
            .into_iter()
            .find(|j| j.spec.source == source && j.spec.folder_id == folder_id);
        let mode = if job.mirror {
            BackupMode::Mirror
        } else {
            BackupMode::Copy
        };
        let found = match existing {
            Some(j) if j.spec.mode == mode && j.spec.excludes == job.excludes => j,
            Some(j) => {
                let spec = BackupSpec {
                    mode,
                    excludes: job.excludes.clone(),
                    ..j.spec.clone()
                };
                backups.update(&j.id, &spec)?
            }
            None => {
                let base = Path::new(&source)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "folder".into());
                let taken: Vec<String> = backups.list()?.into_iter().map(|j| j.spec.name).collect();
                let mut name = format!("sync {base}");
                let mut n = 2;
                while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
                    name = format!("sync {base} ({n})");
                    n += 1;
                }
                add_job(
                    &backups,
                    NewJob {
                        name: Some(name),
                        ..job
                    },
                )
                .await?
            }
        };
        run_job(&engine, &backups, out, &found, dry_run, false).await
    }
    .await;
    engine.shutdown().await;
    result
}

async fn run_job(
    engine: &TransferEngine,
    backups: &Backups,
    out: &Out,
    job: &BackupJob,
    dry_run: bool,
    verify: bool,
) -> CliResult {
    let mut rx = engine.subscribe();
    let id = job.id.clone();
    let quiet = out.json;
    // What the run is doing, at most once a second.
    let progress = tokio::spawn(async move {
        let mut last = Instant::now() - Duration::from_secs(2);
        while let Ok(ev) = rx.recv().await {
            let TransferEvent::Backup { job } = ev else {
                continue;
            };
            if job.id != id || quiet || last.elapsed() < Duration::from_secs(1) {
                continue;
            }
            let line = match job.status {
                BackupStatus::Scanning { files } => format!("scanning: {files} files"),
                BackupStatus::Hashing { done, total } => format!("reading: {done} of {total}"),
                BackupStatus::Uploading {
                    done,
                    total,
                    bytes_done,
                    bytes_total,
                } => format!(
                    "uploading: {done} of {total} ({} of {})",
                    size(bytes_done),
                    size(bytes_total)
                ),
                BackupStatus::Organizing { done, total } => {
                    format!("moving on 1fichier: {done} of {total}")
                }
                _ => continue,
            };
            eprintln!("{line}");
            last = Instant::now();
        }
    });
    let result = if verify {
        backups.run_verified(&job.id).await
    } else {
        backups.run(&job.id, dry_run).await
    };
    progress.abort();
    let report = result?;
    out.show(&report, || {
        let head = if dry_run { "would do" } else { "done" };
        println!("{}: {head}: {}", job.spec.name, summary(&report));
        for p in &report.errors {
            println!("  {}: {}", p.path, p.message);
        }
    });
    match report.outcome {
        Some(RunOutcome::Done) | None => Ok(()),
        Some(RunOutcome::Partial) => Err(Failure {
            code: 5,
            error_code: ErrorCode::Partial,
            message: format!(
                "{} file(s) could not be backed up; they are retried at the next run",
                report.errors.len()
            ),
            shown: false,
        }),
        Some(RunOutcome::Interrupted) => Err(Failure {
            code: 1,
            error_code: ErrorCode::Cancelled,
            message: "the run stopped before the end; the next one goes on".into(),
            shown: false,
        }),
        Some(RunOutcome::Failed) => Err(Failure {
            code: 1,
            error_code: ErrorCode::Failed,
            message: report.message.unwrap_or_else(|| "the backup failed".into()),
            shown: false,
        }),
    }
}
