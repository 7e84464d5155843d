//! Uploads, downloads and remote uploads, through the same engine and queue as the app.
//! The queue is a database: a run that was killed is resumed by the next one.

use fichier_api::ErrorCode;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use fichier_core::{
    EngineOptions, QueueLock, Settings, Transfer, TransferEngine, TransferEvent, TransferKind,
    TransferState,
};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::output::{Out, size};
use crate::{Cli, CliResult, Failure, client};

pub(crate) async fn open_engine(cli: &Cli, out: &Out) -> Result<TransferEngine, Failure> {
    let db = match &cli.queue {
        Some(p) => p.clone(),
        None => fichier_core::settings::data_dir()
            .ok_or_else(|| Failure::usage("no data folder on this system: pass --queue PATH"))?
            .join(
                fichier_core::accounts::Accounts::load()?
                    .pick(crate::account_flag().as_deref())?
                    .file_name("cli-queue.db"),
            ),
    };
    let settings = Settings {
        concurrency: cli.concurrency,
        connections: cli.connections,
        bandwidth_limit_bps: cli.limit,
        ..Settings::default()
    };
    fichier_core::settings::check(&settings).map_err(|e| Failure::usage(e.to_string()))?;
    // The lock first: a second process learns at once that the queue is taken.
    let lock = if cli.wait {
        QueueLock::acquire_waiting(&db, |owner| {
            out.note(&format!("Waiting: the queue is in use by {owner}."));
        })
        .await?
    } else {
        QueueLock::acquire(&db)?
    };
    let mut options = EngineOptions::new(db, client()?, settings);
    options.verify_checksums = !cli.no_verify;
    options.batch_uploads = !cli.no_batch;
    Ok(TransferEngine::open_locked(options, lock)?)
}

fn confirm(question: &str) -> bool {
    use std::io::Write;
    eprint!("{question}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).is_ok()
        && matches!(line.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

pub async fn upload(
    cli: &Cli,
    out: &Out,
    paths: Vec<PathBuf>,
    folder: i64,
    password: Option<String>,
) -> CliResult {
    let engine = open_engine(cli, out).await?;
    let check = engine.upload_time_check(&paths)?;
    if let Some(warning) = check.warning() {
        // Said on standard error even with --json; a script goes on, a person chooses.
        eprintln!("Warning: {warning}");
        if std::io::stdin().is_terminal() && !cli.json && !confirm("Upload anyway? [y/N] ") {
            return Err(Failure {
                code: 1,
                error_code: ErrorCode::Cancelled,
                message: "nothing was uploaded".into(),
                shown: false,
            });
        }
    }
    let resumed = unfinished(&engine);
    let added = engine.upload_paths(paths, folder, password)?;
    watch(&engine, out, resumed, added).await
}

pub async fn download(
    cli: &Cli,
    out: &Out,
    urls: Vec<String>,
    dir: PathBuf,
    password: Option<String>,
) -> CliResult {
    let engine = open_engine(cli, out).await?;
    let resumed = unfinished(&engine);
    let added = engine.download(urls, dir, password)?;
    watch(&engine, out, resumed, added).await
}

pub async fn resume(cli: &Cli, out: &Out) -> CliResult {
    let engine = open_engine(cli, out).await?;
    engine.resume_all();
    let resumed = unfinished(&engine);
    if resumed.is_empty() {
        out.note("Nothing to resume.");
    }
    watch(&engine, out, resumed, Vec::new()).await
}

pub async fn remote_add(
    cli: &Cli,
    out: &Out,
    urls: Vec<String>,
    folder: i64,
    headers: &[String],
    wait: bool,
) -> CliResult {
    let mut map = BTreeMap::new();
    for h in headers {
        let (k, v) = h.split_once(':').ok_or_else(|| {
            Failure::usage(format!("header {h:?} must look like \"Name: value\""))
        })?;
        map.insert(k.trim().to_string(), v.trim().to_string());
    }
    let engine = open_engine(cli, out).await?;
    let mut rx = engine.subscribe();
    let job = engine
        .remote_upload(urls, folder, Some(map).filter(|m| !m.is_empty()))
        .await?;
    let job = if wait {
        out.note(&format!(
            "job {} submitted; waiting for 1fichier to run it…",
            job.id
        ));
        loop {
            match rx.recv().await {
                Ok(TransferEvent::RemoteResult { job: done }) if done.id == job.id => break done,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break job,
                _ => {}
            }
        }
    } else {
        job
    };
    out.show(&job, || {
        println!("{}", job.id);
        for r in &job.results {
            println!(
                "  {:?}  {}  {}",
                r.status,
                r.url,
                r.download_link
                    .clone()
                    .or(r.message.clone())
                    .unwrap_or_default()
            );
        }
    });
    engine.shutdown().await;
    Ok(())
}

/// Transfers an earlier run left queued or running.
fn unfinished(engine: &TransferEngine) -> Vec<Transfer> {
    engine
        .list()
        .into_iter()
        .filter(|t| matches!(t.state, TransferState::Queued | TransferState::Running))
        .collect()
}

/// Shows progress until every transfer of this run has ended; Ctrl+C stops cleanly (the
/// next run resumes).
async fn watch(
    engine: &TransferEngine,
    out: &Out,
    resumed: Vec<Transfer>,
    added: Vec<Transfer>,
) -> CliResult {
    let mut ids: Vec<String> = Vec::new();
    for t in resumed.iter().chain(added.iter()) {
        if !ids.contains(&t.id) {
            ids.push(t.id.clone());
        }
    }
    if !resumed.is_empty() {
        out.note(&format!(
            "Resuming {} transfer(s) from an earlier run.",
            resumed.len()
        ));
    }
    let mut rx = engine.subscribe();
    let bars = (out.tty && !out.json).then(MultiProgress::new);
    let style = ProgressStyle::with_template(
        "{prefix:>8} {wide_msg} {bytes:>10}/{total_bytes:<10} {bytes_per_sec:>12} {eta:>4}",
    )
    .expect("valid template");
    let mut bar_of: HashMap<String, ProgressBar> = HashMap::new();
    let mut reported: HashSet<String> = HashSet::new();
    let wanted: HashSet<String> = ids.iter().cloned().collect();
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    loop {
        // Sync the display with the engine's view.
        let mut all_over = true;
        for id in &ids {
            let Some(t) = engine.get(id) else { continue };
            let over = t.state.is_finished() || t.state == TransferState::Paused;
            if !over {
                all_over = false;
            }
            if let Some(mp) = &bars {
                let bar = bar_of.entry(id.clone()).or_insert_with(|| {
                    let b = mp.add(ProgressBar::new(t.bytes_total));
                    b.set_style(style.clone());
                    b
                });
                bar.set_length(t.bytes_total.max(t.bytes_done));
                bar.set_position(t.bytes_done);
                bar.set_prefix(label(&t));
                bar.set_message(t.name.clone());
                if over && !bar.is_finished() {
                    bar.finish();
                }
            } else if over && reported.insert(id.clone()) && !out.json {
                println!("{}", line(&t));
            }
        }
        if all_over {
            break;
        }
        tokio::select! {
            _ = &mut ctrl_c => {
                out.note("Stopping; the next run resumes where this one stopped.");
                engine.shutdown().await;
                return Err(Failure { code: 130, error_code: ErrorCode::Interrupted, message: "interrupted".into(), shown: false });
            }
            ev = rx.recv() => {
                if let Ok(TransferEvent::State { transfer }) = &ev
                    && wanted.contains(&transfer.id)
                    && bars.is_none()
                    && !out.json
                    && transfer.state == TransferState::Queued
                    && let Some(e) = &transfer.error
                {
                    eprintln!("{}: {} (will retry)", transfer.name, e.message);
                }
            }
            _ = tokio::time::sleep(Duration::from_millis(250)) => {}
        }
    }
    let finals: Vec<Transfer> = ids.iter().filter_map(|id| engine.get(id)).collect();
    engine.shutdown().await;
    if let Some(mp) = &bars {
        let _ = mp.clear();
        for t in &finals {
            eprintln!("{}", line(t));
        }
    }
    if out.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&finals).expect("transfers serialise")
        );
    }
    let failed: Vec<&Transfer> = finals
        .iter()
        .filter(|t| t.state != TransferState::Done)
        .collect();
    if let Some(first) = failed.first() {
        let e = first.error.clone();
        return Err(Failure {
            code: if e.as_ref().is_some_and(|e| e.code == ErrorCode::DiskFull) {
                8
            } else {
                5
            },
            error_code: e.as_ref().map_or(ErrorCode::TransferFailed, |e| e.code),
            message: format!(
                "{} of {} transfer(s) did not complete; first: {}: {}",
                failed.len(),
                finals.len(),
                first.name,
                e.map_or_else(|| format!("{:?}", first.state), |e| e.message)
            ),
            shown: false,
        });
    }
    Ok(())
}

fn label(t: &Transfer) -> String {
    let dir = match t.kind {
        TransferKind::Upload => "up",
        TransferKind::Download => "down",
    };
    let what = match (t.state, t.phase) {
        (TransferState::Running | TransferState::Queued, Some(p)) => format!("{p:?}"),
        (s, _) => format!("{s:?}"),
    };
    format!("{dir} {}", what.to_lowercase())
}

fn line(t: &Transfer) -> String {
    let dir = match t.kind {
        TransferKind::Upload => "upload",
        TransferKind::Download => "download",
    };
    let state = format!("{:?}", t.state).to_lowercase();
    let place = match t.kind {
        TransferKind::Upload => t.url.clone().unwrap_or_default(),
        TransferKind::Download => t.local_path.clone().unwrap_or_default(),
    };
    let err = t
        .error
        .as_ref()
        .filter(|_| t.state != TransferState::Done)
        .map(|e| format!(" — {}", e.message))
        .unwrap_or_default();
    format!(
        "{dir} {state}: {} ({}) {place}{err}",
        t.name,
        size(t.bytes_total)
    )
}
