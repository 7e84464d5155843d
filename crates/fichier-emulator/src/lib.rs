//! `fichier-emulator`: a faithful local 1fichier.com for tests, benchmarks and demo mode.
//!
//! One process, one loopback port, serving what 1fichier spreads over several hosts:
//! the API (`/v1/*.cgi`), the upload node (`/upload.cgi`, `/end.pl`), the download host
//! (one-time token URLs), and the few website pages clients use (`/dir/<code>`,
//! `/check_links.pl`). See the crate README for every choice made where the reference is
//! uncertain.

mod api;
mod demo;
mod faults;
mod follow_hash;
pub mod hostile;
mod limits;
mod params;
mod remote;
mod report;
mod request_log;
mod state;
mod transfer;
mod upload_form;
mod web;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{any, get, post};

pub use faults::{FaultPlan, Faults, LogEntry, fingerprint};
pub use limits::Limits;
pub use request_log::{DEFAULT_LOG_CAPACITY, RequestCounts};
pub use state::Offer;

/// The default cap on one remote-upload fetch: 4 GiB.
pub const DEFAULT_REMOTE_MAX_BYTES: u64 = 4 << 30;

/// How to run an emulator.
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    /// Where to listen; port 0 picks a free port.
    pub listen: SocketAddr,
    /// Where stored files live; a temporary folder (removed on drop) when `None`.
    pub data_dir: Option<PathBuf>,
    /// Enforce 1fichier's rate limits (off for benchmarks).
    pub rate_limits: bool,
    pub limits: Limits,
    /// How long a download token URL stays valid.
    pub token_ttl: Duration,
    /// How long an upload report (`end.pl`) is kept.
    pub report_ttl: Duration,
    /// Delay before a remote-upload job runs.
    pub remote_delay: Duration,
    /// Largest file a remote upload fetches; a longer body fails the URL once this many
    /// bytes have arrived (nothing is kept).
    pub remote_max_bytes: u64,
    /// Window in which a second IP using the same account is refused (`Only 1 location`).
    pub location_window: Duration,
    /// Load the demo account and its files.
    pub demo: bool,
    /// How many recent requests the request log keeps (older ones are dropped; the
    /// counters of [`Emulator::request_counts`] keep counting them).
    pub request_log_capacity: usize,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: None,
            rate_limits: true,
            limits: Limits::default(),
            token_ttl: Duration::from_secs(300),
            report_ttl: Duration::from_secs(7200),
            remote_delay: Duration::from_millis(500),
            remote_max_bytes: DEFAULT_REMOTE_MAX_BYTES,
            location_window: Duration::from_secs(300),
            demo: false,
            request_log_capacity: DEFAULT_LOG_CAPACITY,
        }
    }
}

pub(crate) struct Inner {
    pub shared: state::Shared,
    pub limiter: limits::RateLimiter,
    pub faults: Faults,
    pub log: request_log::RequestLog,
    /// Body bytes sent by the download host so far.
    pub served: Arc<std::sync::atomic::AtomicU64>,
    pub started: Instant,
    /// `http://ADDR`, how the emulator names itself in URLs.
    pub base_url: String,
    /// `ADDR`, the bare host name an upload node is given as.
    pub host: String,
    pub config: EmulatorConfig,
    pub http: reqwest::Client,
    /// Last `get_token` per account: from which IP, when.
    pub last_location: Mutex<std::collections::HashMap<state::AccountId, (IpAddr, Instant)>>,
}

pub(crate) type AppState = Arc<Inner>;

/// A running emulator. Dropping it stops the server.
pub struct Emulator {
    inner: AppState,
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    _tmp: Option<tempfile::TempDir>,
    demo_key: Option<String>,
}

impl Emulator {
    /// Binds, loads the demo data if asked, and starts serving in the background.
    pub async fn start(config: EmulatorConfig) -> std::io::Result<Emulator> {
        let (tmp, data_dir) = match &config.data_dir {
            Some(d) => {
                std::fs::create_dir_all(d)?;
                (None, d.clone())
            }
            None => {
                let t = tempfile::Builder::new()
                    .prefix("fichier-emulator-")
                    .tempdir()?;
                let p = t.path().to_path_buf();
                (Some(t), p)
            }
        };
        let listener = tokio::net::TcpListener::bind(config.listen).await?;
        let addr = listener.local_addr()?;
        let http = remote::fetch_client().map_err(std::io::Error::other)?;
        let inner = Arc::new(Inner {
            shared: state::Shared::new(data_dir),
            limiter: limits::RateLimiter::new(config.rate_limits, config.limits.clone()),
            faults: Faults::default(),
            log: request_log::RequestLog::new(config.request_log_capacity),
            served: Default::default(),
            started: Instant::now(),
            base_url: format!("http://{addr}"),
            host: addr.to_string(),
            config: config.clone(),
            http,
            last_location: Mutex::default(),
        });
        let demo_key = if config.demo {
            Some(demo::load(&inner).await?)
        } else {
            None
        };
        let app = router(inner.clone());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
        });
        Ok(Emulator {
            inner,
            addr,
            shutdown: Some(tx),
            task: Some(task),
            _tmp: tmp,
            demo_key,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        self.inner.base_url.clone()
    }

    /// `http://127.0.0.1:PORT/v1`, what a client uses as its API base.
    pub fn api_base(&self) -> String {
        format!("{}/v1", self.inner.base_url)
    }

    /// The demo account's key, when started with `demo: true`.
    pub fn demo_key(&self) -> Option<&str> {
        self.demo_key.as_deref()
    }

    /// Adds an account with a fresh random key and returns the key.
    pub fn add_account(&self, offer: Offer) -> String {
        let key = state::random_key();
        self.inner.shared.add_account(key.clone(), offer);
        key
    }

    /// Adds (or updates) an account with the given key.
    pub fn add_account_with_key(&self, key: &str, offer: Offer) {
        self.inner.shared.add_account(key.to_string(), offer);
    }

    /// Changes what `user/info` says of an account (the fields given).
    pub fn set_account_state(&self, key: &str, change: AccountState) {
        let mut w = self.inner.shared.world();
        if let Some(a) = w.accounts.iter_mut().find(|a| a.key == key) {
            change.apply(a);
        }
    }

    /// Marks an account as banned: the API refuses its files with `Owner locked`.
    pub fn set_owner_locked(&self, key: &str, locked: bool) {
        let mut w = self.inner.shared.world();
        if let Some(a) = w.accounts.iter_mut().find(|a| a.key == key) {
            a.owner_locked = locked;
        }
    }

    pub fn faults(&self) -> EmulatorFaults<'_> {
        EmulatorFaults { inner: &self.inner }
    }

    /// Body bytes the download host has sent so far, over every connection.
    pub fn bytes_served(&self) -> u64 {
        self.inner.served.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The most recent requests, oldest first (at most `request_log_capacity` of them).
    pub fn request_log(&self) -> Vec<LogEntry> {
        self.inner.log.entries()
    }

    /// Exact request totals, per endpoint, including requests no longer in the log.
    pub fn request_counts(&self) -> RequestCounts {
        self.inner.log.counts()
    }

    /// Empties the log and resets its counters.
    pub fn clear_log(&self) {
        self.inner.log.clear();
    }

    /// The number of files stored (all accounts), for tests that count duplicates.
    pub fn file_count(&self) -> usize {
        self.inner.shared.world().files.len()
    }

    /// Every stored file as `(folder path, name, size, Whirlpool)`, the path from the
    /// owner's root with '/' ("" at the root). Read from the state, not through the API,
    /// so a test can look without spending its rate limits.
    pub fn stored_files(&self) -> Vec<(String, String, u64, String)> {
        let world = self.inner.shared.world();
        let mut out: Vec<_> = world
            .files
            .values()
            .map(|f| {
                (
                    world.folder_path(f.folder_id),
                    f.filename.clone(),
                    f.blob.size,
                    crate::state::whirlpool_file(&f.blob.path),
                )
            })
            .collect();
        out.sort();
        out
    }

    /// Removes stored files by name, as the website would (no API call, no rate limit);
    /// returns how many went.
    pub fn remove_stored_named(&self, name: &str) -> usize {
        let mut world = self.inner.shared.world();
        let before = world.files.len();
        world.files.retain(|_, f| f.filename != name);
        before - world.files.len()
    }

    /// The data folder holding stored files.
    pub fn data_dir(&self) -> PathBuf {
        self.inner.shared.data_dir.clone()
    }

    /// Stops serving and waits for the server task to end.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), t).await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(t) = self.task.take() {
            t.abort();
        }
    }
}

/// Test control over faults, tokens and locks.
pub struct EmulatorFaults<'a> {
    inner: &'a Inner,
}

impl EmulatorFaults<'_> {
    /// Answer the next `n` API calls with `status` (500, 502, 503 or 429).
    pub fn fail_next(&self, n: u32, status: u16) {
        self.inner.faults.fail_next(n, status);
    }
    /// Start a flood lock for every caller now, for the configured lock length.
    pub fn flood_lock_now(&self) {
        self.inner
            .limiter
            .lock_everyone(self.inner.config.limits.flood_lock);
    }
    /// Start a flood lock for every caller now, for `duration`.
    pub fn flood_lock_for(&self, duration: Duration) {
        self.inner.limiter.lock_everyone(duration);
    }
    /// Every download token issued so far stops working.
    pub fn expire_tokens_now(&self) {
        self.inner.shared.world().tokens.clear();
    }
    pub fn drop_upload_after(&self, bytes: u64) {
        self.inner.faults.drop_upload_after(bytes);
    }
    pub fn drop_download_after(&self, bytes: u64) {
        self.inner.faults.drop_download_after(bytes);
    }
    pub fn end_pl_html_next(&self, n: u32) {
        self.inner.faults.end_pl_html_next(n);
    }
    pub fn end_pl_empty_links_next(&self, n: u32) {
        self.inner.faults.end_pl_empty_links_next(n);
    }
    /// Cap each connection (upload or download) at `bytes_per_sec`.
    pub fn throttle(&self, bytes_per_sec: Option<u64>) {
        self.inner.faults.throttle(bytes_per_sec);
    }
    /// Answer each download request `ms` milliseconds late.
    pub fn download_latency(&self, ms: Option<u64>) {
        self.inner.faults.download_latency(ms);
    }
    /// The next `n` download answers longer than one byte get `bytes_per_sec` each, the
    /// others the general throttle: one slow route among fast ones.
    pub fn slow_next_downloads(&self, n: u32, bytes_per_sec: u64) {
        self.inner.faults.slow_next_downloads(n, bytes_per_sec);
    }
    /// What is still planned to go wrong.
    pub fn snapshot(&self) -> FaultPlan {
        self.inner.faults.snapshot()
    }
    /// Forget every fault, lock and rate-limit record.
    pub fn clear(&self) {
        self.inner.faults.clear();
        self.inner.limiter.clear();
    }
}

fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/{*endpoint}", any(api::handle))
        .route("/upload.cgi", post(transfer::upload))
        .route("/end.pl", get(report::end_pl).post(report::end_pl))
        .route(
            "/dir/{code}",
            get(web::shared_folder).post(web::shared_folder),
        )
        .route("/check_links.pl", post(web::check_links))
        .route("/remove/{id}/{code}", get(web::remove_page))
        .route("/", get(web::file_page))
        .route("/{token}", get(transfer::download).head(transfer::download))
        .route(
            "/_emulator/faults",
            get(web::get_faults).post(web::set_faults),
        )
        .route("/_emulator/flood", post(web::flood_now))
        .route("/_emulator/expire-tokens", post(web::expire_tokens))
        .route("/_emulator/log", get(web::get_log).delete(web::clear_log))
        .route("/_emulator/log/counts", get(web::get_log_counts))
        .route("/_emulator/accounts", post(web::add_account))
        .layer(axum::middleware::from_fn_with_state(state.clone(), record))
        .with_state(state)
}

/// Writes one request-log line per request (method, path, status, key fingerprint) and
/// counts it under its endpoint.
async fn record(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let fp = bearer(req.headers()).map(|k| fingerprint(&k));
    let endpoint = request_log::endpoint_of(&req);
    let resp = next.run(req).await;
    if !path.starts_with("/_emulator/") {
        let entry = LogEntry {
            method,
            path,
            status: resp.status().as_u16(),
            key_fingerprint: fp,
            at_ms: st.started.elapsed().as_millis() as u64,
        };
        st.log.push(endpoint, entry);
    }
    resp
}

/// The key in `Authorization: Bearer <key>`, if any.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, key) = v.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| key.trim().to_string())
        .filter(|k| !k.is_empty())
}

pub(crate) fn client_ip(ci: &ConnectInfo<SocketAddr>) -> IpAddr {
    ci.0.ip()
}

/// What a test or a script may change of an account's `user/info` (unset fields are kept).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AccountState {
    pub quota_bytes: Option<u64>,
    pub hot_storage: Option<u64>,
    pub upload_forbidden: Option<bool>,
    pub subscription_end: Option<String>,
    pub cdn_credit_gb: Option<i64>,
}

impl AccountState {
    pub(crate) fn apply(&self, a: &mut state::Account) {
        if let Some(q) = self.quota_bytes {
            a.quota_bytes = q;
        }
        if let Some(h) = self.hot_storage {
            a.hot_storage = h;
        }
        if let Some(f) = self.upload_forbidden {
            a.upload_forbidden = f;
        }
        if let Some(end) = &self.subscription_end {
            a.subscription_end = end.clone();
        }
        if let Some(c) = self.cdn_credit_gb {
            a.cdn_credit_gb = c;
        }
    }
}
