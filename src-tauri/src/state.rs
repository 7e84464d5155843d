//! The app's managed state: the open account (real or demo), the event hub the window
//! subscribes to, settings, the paths the user granted and notifications.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use fichier_api::{ApiKey, ClientConfig, FichierClient, PacerEvent};
use fichier_core::library::Library;
use fichier_core::{
    AppError, EngineOptions, Settings, TransferEngine, TransferEvent, TransferKind, TransferState,
};
use fichier_emulator::{Emulator, EmulatorConfig};
use serde::Serialize;
use tokio::sync::{RwLock, broadcast, watch};
use ts_rs::TS;

use crate::error::{api, local};
use crate::grants::Grants;
use crate::notify::{Direction, Ending, Notifier};

/// What the window needs to know to choose between onboarding and the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionState {
    pub has_key: bool,
    pub demo: bool,
    pub keychain_available: bool,
}

/// One open account: its browsing service, its transfer engine and, in demo mode, the
/// emulator that plays 1fichier.
pub struct Session {
    pub library: Library,
    pub engine: TransferEngine,
    pub backups: fichier_core::Backups,
    /// When the account's remote uploads were last read from 1fichier.
    pub remote_listed: std::sync::Mutex<Option<std::time::Instant>>,
    pub demo: Option<Emulator>,
    forwarders: Vec<tauri::async_runtime::JoinHandle<()>>,
}

impl Drop for Session {
    fn drop(&mut self) {
        for f in &self.forwarders {
            f.abort();
        }
    }
}

pub struct AppState {
    session: RwLock<Option<Arc<Session>>>,
    /// Every engine and pacer event of the open session, for the window and the tray.
    pub events: broadcast::Sender<TransferEvent>,
    pub settings: Mutex<Settings>,
    /// The local paths the user gave in this run (dialogs, drops).
    pub grants: Grants,
    pub notifier: Notifier,
    pub data_dir: PathBuf,
    /// The local server (stream links, WebDAV drive) of the open account.
    pub serving: crate::serve::Serving,
    /// Set once start-up has opened (or not) a session, so the window never sees a
    /// half-started app.
    ready: watch::Sender<bool>,
}

impl AppState {
    pub fn new(settings: Settings, data_dir: PathBuf) -> AppState {
        let (events, _) = broadcast::channel(1024);
        let notifier = Notifier::start(settings.notifications);
        let grants = Grants::default();
        grants.allow_from_environment();
        AppState {
            session: RwLock::new(None),
            events,
            settings: Mutex::new(settings),
            grants,
            notifier,
            serving: crate::serve::Serving::new(&data_dir),
            data_dir,
            ready: watch::channel(false).0,
        }
    }

    pub fn settings(&self) -> Settings {
        self.settings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn mark_ready(&self) {
        self.ready.send_replace(true);
    }

    pub async fn wait_ready(&self) {
        let mut rx = self.ready.subscribe();
        let _ = tokio::time::timeout(std::time::Duration::from_secs(20), rx.wait_for(|r| *r)).await;
    }

    /// The open session, or the error the window shows when there is none.
    pub async fn session(&self) -> Result<Arc<Session>, AppError> {
        self.session
            .read()
            .await
            .clone()
            .ok_or_else(crate::error::no_session)
    }

    pub async fn current(&self) -> Option<Arc<Session>> {
        self.session.read().await.clone()
    }

    /// Opens the account `client` speaks for, replacing any open one.
    pub async fn open(
        &self,
        client: FichierClient,
        demo: Option<Emulator>,
    ) -> Result<Arc<Session>, AppError> {
        let (db_name, backups_name) = if demo.is_some() {
            ("queue-demo.sqlite", "backups-demo.sqlite")
        } else {
            ("queue.sqlite", "backups.sqlite")
        };
        let db_path = self.data_dir.join(db_name);
        if demo.is_some() {
            // The demo's files live as long as its emulator: a queue (or a backup index)
            // from an earlier demo would point at files that no longer exist.
            for name in [db_name, backups_name] {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(self.data_dir.join(format!("{name}{suffix}")));
                }
            }
        }
        if demo.is_none()
            && let Some(dir) = fichier_core::pacing_dir()
        {
            // What the previous run (or a `fichier` command) did within 1fichier's
            // per-endpoint intervals still counts.
            client.remember_pacing_in(&dir);
        }
        self.close().await;
        // A previous instance that is still exiting holds the queue for a moment: wait for
        // it (up to 15 s) rather than open no account.
        let lock = tokio::time::timeout(
            std::time::Duration::from_secs(15),
            fichier_core::QueueLock::acquire_waiting(&db_path, |owner| {
                tracing::info!("waiting for the queue, held by {owner}");
            }),
        )
        .await
        .unwrap_or_else(|_| fichier_core::QueueLock::acquire(&db_path))
        .map_err(|e| e.summary())?;
        let engine = TransferEngine::open_locked(
            EngineOptions::new(db_path, client.clone(), self.settings()),
            lock,
        )
        .map_err(|e| e.summary())?;
        // The same backups as the `fichier backup` command, for a real account.
        let backups_db = match (demo.is_some(), fichier_core::settings::data_dir()) {
            (false, Some(dir)) => dir.join(backups_name),
            _ => self.data_dir.join(backups_name),
        };
        let backups = fichier_core::Backups::open(&backups_db, &engine).map_err(|e| e.summary())?;
        backups.start();
        let forwarders = vec![
            spawn_engine_forwarder(
                engine.subscribe(),
                self.events.clone(),
                self.notifier.clone(),
            ),
            spawn_pacer_forwarder(client.pacer().subscribe(), self.events.clone()),
        ];
        let session = Arc::new(Session {
            library: Library::new(client),
            engine,
            backups,
            remote_listed: Default::default(),
            demo,
            forwarders,
        });
        *self.session.write().await = Some(session.clone());
        // The server follows the account (it starts only when the user turned it on).
        self.serving.sync(Some(session.clone())).await;
        Ok(session)
    }

    /// Starts the built-in emulator with its demo account and opens it.
    pub async fn open_demo(&self) -> Result<Arc<Session>, AppError> {
        let emu = Emulator::start(EmulatorConfig {
            demo: true,
            ..EmulatorConfig::default()
        })
        .await
        .map_err(|e| local("io", format!("The demo could not start: {e}")))?;
        let key = ApiKey::parse(emu.demo_key().unwrap_or_default()).map_err(api)?;
        let config = ClientConfig::with_base(&emu.api_base()).map_err(api)?;
        let client = FichierClient::new(config, key).map_err(api)?;
        tracing::info!("demo account opened on {}", emu.base_url());
        self.open(client, Some(emu)).await
    }

    /// Closes the open account, letting running transfers stop cleanly (they resume
    /// when the account is opened again).
    pub async fn close(&self) {
        self.serving.sync(None).await;
        let old = self.session.write().await.take();
        if let Some(s) = old {
            s.backups.stop_all();
            s.engine.shutdown().await;
        }
    }

    pub async fn state(&self, keychain_available: bool) -> SessionState {
        let s = self.current().await;
        SessionState {
            has_key: s.is_some(),
            demo: s.as_ref().is_some_and(|s| s.demo.is_some()),
            keychain_available,
        }
    }
}

fn spawn_engine_forwarder(
    mut rx: broadcast::Receiver<TransferEvent>,
    hub: broadcast::Sender<TransferEvent>,
    notifier: Notifier,
) -> tauri::async_runtime::JoinHandle<()> {
    tauri::async_runtime::spawn(async move {
        let mut notified: HashSet<String> = HashSet::new();
        // Folders of the backups running now: their uploads are told in one summary.
        let mut backing_up: std::collections::HashMap<String, String> = Default::default();
        let mut last_runs: std::collections::HashMap<String, i64> = Default::default();
        loop {
            let ev = match rx.recv().await {
                Ok(ev) => ev,
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::debug!("event forwarder skipped {n} events");
                    continue;
                }
                Err(broadcast::error::RecvError::Closed) => break,
            };
            if let TransferEvent::Backup { job } = &ev {
                use fichier_core::backup::BackupStatus;
                if matches!(job.status, BackupStatus::Idle | BackupStatus::Paused) {
                    backing_up.remove(&job.id);
                } else {
                    backing_up.insert(job.id.clone(), job.spec.source.clone());
                }
                if let Some(run) = &job.last_run
                    && let Some(end) = run.finished_at
                {
                    let seen = last_runs.insert(job.id.clone(), end);
                    if seen.is_some_and(|s| s != end) || (seen.is_none() && backing_up_ended(job)) {
                        notifier.note(crate::notify::backup_summary(&job.spec.name, run));
                    }
                }
            }
            let from_backup = |t: &fichier_core::Transfer| {
                t.local_path.as_deref().is_some_and(|p| {
                    backing_up
                        .values()
                        .any(|src| std::path::Path::new(p).starts_with(src))
                })
            };
            if let TransferEvent::State { transfer } = &ev
                && !(transfer.kind == TransferKind::Upload && from_backup(transfer))
            {
                let ended = matches!(transfer.state, TransferState::Done | TransferState::Failed);
                if ended && notified.insert(transfer.id.clone()) {
                    notifier.ended(Ending {
                        direction: match transfer.kind {
                            TransferKind::Upload => Direction::Upload,
                            TransferKind::Download => Direction::Download,
                        },
                        ok: transfer.state == TransferState::Done,
                        name: transfer.name.clone(),
                    });
                } else if !ended {
                    // Retried after failing: a later ending is news again.
                    notified.remove(&transfer.id);
                }
            }
            let _ = hub.send(ev);
        }
    })
}

/// A run that ended moments ago (the first event of a job seen in this session).
fn backing_up_ended(job: &fichier_core::backup::BackupJob) -> bool {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    job.last_run
        .as_ref()
        .and_then(|r| r.finished_at)
        .is_some_and(|end| now - end < 10_000)
}

fn spawn_pacer_forwarder(
    mut rx: broadcast::Receiver<PacerEvent>,
    hub: broadcast::Sender<TransferEvent>,
) -> tauri::async_runtime::JoinHandle<()> {
    tauri::async_runtime::spawn(async move {
        loop {
            match rx.recv().await {
                Ok(PacerEvent::Waiting { seconds, reason }) => {
                    let _ = hub.send(TransferEvent::PacerWait {
                        reason: reason.into(),
                        wait_seconds: seconds,
                    });
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => break,
            }
        }
    })
}
