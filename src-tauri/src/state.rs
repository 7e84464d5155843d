//! The app's managed state: the open accounts (real ones and the demo, each with its own
//! queue, pacer and caches) and the one the window shows, the event hub the window
//! subscribes to, settings, the paths the user granted and notifications.

use fichier_core::ErrorCode;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use fichier_api::{ApiKey, ClientConfig, FichierClient};
use fichier_core::accounts::{AccountEntry, Accounts, DEMO_ID};
use fichier_core::library::Library;
use fichier_core::{AppError, EngineOptions, Settings, Transfer, TransferEngine, TransferEvent};
use fichier_emulator::{Emulator, EmulatorConfig};
use serde::Serialize;
use tokio::sync::{RwLock, broadcast, watch};
use ts_rs::TS;

use crate::error::local;
use crate::forwarder::spawn_engine_forwarder;
use crate::grants::Grants;
use crate::notify::Notifier;

/// What the window needs to know to choose between onboarding and the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionState {
    pub has_key: bool,
    pub demo: bool,
    pub keychain_available: bool,
    /// The id of the account the window shows (see `list_accounts`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub account: Option<String>,
}

/// Which account a session speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRef {
    pub id: String,
    pub name: String,
}

impl AccountRef {
    pub fn demo() -> AccountRef {
        AccountRef {
            id: DEMO_ID.into(),
            name: "Demo".into(),
        }
    }

    pub fn of(entry: &AccountEntry) -> AccountRef {
        AccountRef {
            id: entry.id.clone(),
            name: entry.name.clone(),
        }
    }
}

/// One open account: its browsing service, its transfer engine and, in demo mode, the
/// emulator that plays 1fichier. Several can be open at once; the window shows one.
pub struct Session {
    pub account: AccountRef,
    pub library: Library,
    pub engine: TransferEngine,
    pub backups: fichier_core::Backups,
    /// When the account's remote uploads were last read from 1fichier.
    pub remote_listed: std::sync::Mutex<Option<std::time::Instant>>,
    pub demo: Option<Emulator>,
    forwarders: Vec<tauri::async_runtime::JoinHandle<()>>,
}

impl Session {
    /// `t` marked as this account's, for a window that shows every account's transfers.
    pub fn label(&self, mut t: Transfer) -> Transfer {
        t.account = Some(self.account.id.clone());
        t
    }

    pub fn label_all(&self, list: Vec<Transfer>) -> Vec<Transfer> {
        list.into_iter().map(|t| self.label(t)).collect()
    }
}

impl Session {
    /// What the local server serves of this opening of the account.
    pub fn served(self: &Arc<Self>) -> crate::serve::Served {
        crate::serve::Served {
            opening: Arc::as_ptr(self) as usize,
            library: self.library.clone(),
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        for f in &self.forwarders {
            f.abort();
        }
    }
}

/// The open accounts, in the order they were opened, and the one the window shows.
#[derive(Default)]
struct Open {
    sessions: Vec<Arc<Session>>,
    active: Option<String>,
}

impl Open {
    fn active(&self) -> Option<Arc<Session>> {
        let id = self.active.as_deref()?;
        self.sessions.iter().find(|s| s.account.id == id).cloned()
    }
}

pub struct AppState {
    open: RwLock<Open>,
    /// Every engine and pacer event of the open sessions, for the window and the tray.
    pub events: broadcast::Sender<TransferEvent>,
    pub settings: Mutex<Settings>,
    /// The local paths the user gave in this run (dialogs, drops).
    pub grants: Grants,
    pub notifier: Notifier,
    pub data_dir: PathBuf,
    /// The local server (stream links, WebDAV drive) of the account the window shows.
    pub serving: crate::serve::Serving,
    /// Set once start-up has opened (or not) a session, so the window never sees a
    /// half-started app.
    ready: watch::Sender<bool>,
    /// The accounts of this computer (`accounts.json` in the settings folder).
    accounts_file: Option<PathBuf>,
    /// The server keys are checked with and accounts opened on, when not the
    /// environment's (`FICHIER_API_BASE`, or 1fichier).
    api_base: Option<String>,
    /// Accounts whose key was kept for this run only, never stored in the keychain.
    pub session_only: Mutex<HashSet<String>>,
}

impl AppState {
    pub fn new(settings: Settings, data_dir: PathBuf) -> AppState {
        let (events, _) = broadcast::channel(1024);
        let notifier = Notifier::start(settings.notifications);
        let grants = Grants::default();
        grants.allow_from_environment();
        AppState {
            open: RwLock::new(Open::default()),
            events,
            settings: Mutex::new(settings),
            grants,
            notifier,
            serving: crate::serve::Serving::new(&data_dir),
            data_dir,
            ready: watch::channel(false).0,
            accounts_file: fichier_core::settings::config_dir().map(|d| d.join("accounts.json")),
            api_base: None,
            session_only: Mutex::default(),
        }
    }

    /// Opens accounts on the server at `api_base` instead of the environment's.
    pub fn with_api_base(mut self, api_base: &str) -> AppState {
        self.api_base = Some(api_base.to_string());
        self
    }

    /// Remembers whether the key of `account` is in the keychain or only in this run.
    pub fn set_session_only(&self, account: &str, only: bool) {
        let mut set = self.session_only.lock().unwrap_or_else(|e| e.into_inner());
        if only {
            set.insert(account.to_string());
        } else {
            set.remove(account);
        }
    }

    pub fn is_session_only(&self, account: &str) -> bool {
        self.session_only
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(account)
    }

    /// How to reach the server accounts are opened on.
    pub fn client_config(&self) -> Result<ClientConfig, AppError> {
        match &self.api_base {
            Some(base) => ClientConfig::with_base(base),
            None => ClientConfig::from_env(),
        }
        .map_err(AppError::from)
    }

    /// Keeps the list of accounts in `path` instead of the settings folder.
    pub fn with_accounts_file(mut self, path: PathBuf) -> AppState {
        self.accounts_file = Some(path);
        self
    }

    /// The accounts of this computer, as stored now.
    pub fn accounts(&self) -> Result<Accounts, AppError> {
        let path = self.accounts_file.as_deref().ok_or_else(|| {
            local(
                ErrorCode::Io,
                "This system has no settings folder for the accounts.",
            )
        })?;
        Accounts::load_from(path).map_err(AppError::from)
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

    /// The session the window shows, or the error it shows when there is none.
    pub async fn session(&self) -> Result<Arc<Session>, AppError> {
        self.current().await.ok_or_else(crate::error::no_session)
    }

    /// What the local server should serve: the account shown.
    pub async fn served(&self) -> Option<crate::serve::Served> {
        self.current().await.map(|s| s.served())
    }

    pub async fn current(&self) -> Option<Arc<Session>> {
        self.open.read().await.active()
    }

    /// Every open session: their transfers all go on, whichever the window shows.
    pub async fn sessions(&self) -> Vec<Arc<Session>> {
        self.open.read().await.sessions.clone()
    }

    pub async fn session_of(&self, account: &str) -> Option<Arc<Session>> {
        self.open
            .read()
            .await
            .sessions
            .iter()
            .find(|s| s.account.id == account)
            .cloned()
    }

    /// The session whose queue holds the transfer `id`.
    pub async fn owner_of(&self, id: &str) -> Result<Arc<Session>, AppError> {
        self.sessions()
            .await
            .into_iter()
            .find(|s| s.engine.get(id).is_some())
            .ok_or_else(|| {
                local(
                    ErrorCode::NotFound,
                    "That transfer is no longer in the list.",
                )
            })
    }

    /// Shows the open account `id` in the window; false when it is not open.
    pub async fn activate(&self, id: &str) -> bool {
        let session = {
            let mut open = self.open.write().await;
            if !open.sessions.iter().any(|s| s.account.id == id) {
                return false;
            }
            open.active = Some(id.to_string());
            open.active()
        };
        // The server follows the account shown (it starts only when the user turned it on).
        self.serving.sync(session.map(|s| s.served())).await;
        true
    }

    /// Opens the account `client` speaks for and shows it; an open session of the same
    /// account (an older key) is closed first. Other accounts stay open.
    pub async fn open(
        &self,
        client: FichierClient,
        account: AccountRef,
        demo: Option<Emulator>,
    ) -> Result<Arc<Session>, AppError> {
        let entry = AccountEntry {
            id: account.id.clone(),
            name: account.name.clone(),
            email: None,
        };
        let (db_name, backups_name) = if demo.is_some() {
            (
                "queue-demo.sqlite".to_string(),
                "backups-demo.sqlite".to_string(),
            )
        } else {
            (
                entry.file_name("queue.sqlite"),
                entry.file_name("backups.sqlite"),
            )
        };
        let db_path = self.data_dir.join(&db_name);
        if demo.is_some() {
            // The demo's files live as long as its emulator: a queue (or a backup index)
            // from an earlier demo would point at files that no longer exist.
            for name in [&db_name, &backups_name] {
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
        self.close(&account.id).await;
        // A previous instance that is still exiting holds the queue for a moment: wait for
        // it (up to 15 s) rather than open no account.
        let lock = tokio::time::timeout(
            std::time::Duration::from_secs(15),
            fichier_core::QueueLock::acquire_waiting(&db_path, |owner| {
                tracing::info!("waiting for the queue, held by {owner}");
            }),
        )
        .await
        .unwrap_or_else(|_| fichier_core::QueueLock::acquire(&db_path))?;
        let engine = TransferEngine::open_locked(
            EngineOptions::new(db_path, client.clone(), self.settings()),
            lock,
        )?;
        // The same backups as the `fichier backup` command, for a real account.
        let backups_db = match (demo.is_some(), fichier_core::settings::data_dir()) {
            (false, Some(dir)) => dir.join(&backups_name),
            _ => self.data_dir.join(&backups_name),
        };
        let backups = fichier_core::Backups::open(&backups_db, &engine)?;
        backups.start();
        let forwarders = vec![spawn_engine_forwarder(
            engine.subscribe(),
            self.events.clone(),
            self.notifier.clone(),
            account.id.clone(),
        )];
        let session = Arc::new(Session {
            account,
            library: Library::new(client),
            engine,
            backups,
            remote_listed: Default::default(),
            demo,
            forwarders,
        });
        {
            let mut open = self.open.write().await;
            open.sessions.push(session.clone());
            open.active = Some(session.account.id.clone());
        }
        self.serving.sync(Some(session.served())).await;
        tracing::info!(account = %session.account.id, "account opened");
        Ok(session)
    }

    /// Shows the demo account, starting the built-in emulator that plays 1fichier unless
    /// it already runs.
    pub async fn open_demo(&self) -> Result<Arc<Session>, AppError> {
        if self.activate(DEMO_ID).await {
            return self.session().await;
        }
        let emu = Emulator::start(EmulatorConfig {
            demo: true,
            ..EmulatorConfig::default()
        })
        .await
        .map_err(|e| local(ErrorCode::Io, format!("The demo could not start: {e}")))?;
        let key = ApiKey::parse(emu.demo_key().unwrap_or_default())?;
        let config = ClientConfig::with_base(&emu.api_base())?;
        let client = FichierClient::new(config, key)?;
        tracing::info!("demo account opened on {}", emu.base_url());
        self.open(client, AccountRef::demo(), Some(emu)).await
    }

    /// Closes the account `id`, letting its running transfers stop cleanly (they resume
    /// when it is opened again). When the window showed it, it shows another open
    /// account, real ones first, or none.
    pub async fn close(&self, id: &str) {
        let (old, shown, was_shown) = {
            let mut open = self.open.write().await;
            let Some(at) = open.sessions.iter().position(|s| s.account.id == id) else {
                return;
            };
            let old = open.sessions.remove(at);
            let was_shown = open.active.as_deref() == Some(id);
            if was_shown {
                open.active = open
                    .sessions
                    .iter()
                    .find(|s| s.demo.is_none())
                    .or(open.sessions.first())
                    .map(|s| s.account.id.clone());
            }
            (old, open.active(), was_shown)
        };
        if was_shown {
            self.serving.sync(shown.map(|s| s.served())).await;
        }
        old.backups.stop_all();
        old.engine.shutdown().await;
        tracing::info!(account = %id, "account closed");
    }

    /// Closes the account the window shows.
    pub async fn close_shown(&self) {
        if let Some(s) = self.current().await {
            self.close(&s.account.id).await;
        }
    }

    pub async fn state(&self, keychain_available: bool) -> SessionState {
        let s = self.current().await;
        SessionState {
            has_key: s.is_some(),
            demo: s.as_ref().is_some_and(|s| s.demo.is_some()),
            keychain_available,
            account: s.map(|s| s.account.id.clone()),
        }
    }
}
