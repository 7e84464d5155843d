//! The local server of the open account (stream links and the WebDAV drive): started
//! when the user turned it on, restarted with the account when it changes, its options
//! kept across runs.

use fichier_core::ErrorCode;
use std::path::PathBuf;

use fichier_core::AppError;
use fichier_serve::{ServeConfig, ServeOptions, Server};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;
use ts_rs::TS;

use crate::error::local;

/// What the Stream & mount view shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ServeStatus {
    pub enabled: bool,
    pub running: bool,
    pub address: Option<String>,
    pub dav_url: Option<String>,
    pub user: String,
    pub secret: Option<String>,
    pub port: u16,
    pub lan: bool,
    pub lan_address: Option<String>,
    pub read_only: bool,
    pub error: Option<String>,
    pub streams: Vec<StreamInfo>,
    #[ts(type = "number")]
    pub token_calls: u64,
    #[ts(type = "number")]
    pub api_calls: u64,
    #[ts(type = "number | null")]
    pub pacer_wait_seconds: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StreamInfo {
    pub id: String,
    pub name: String,
    pub client: String,
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number")]
    pub bytes_per_second: u64,
    #[ts(type = "number")]
    pub started_at: u64,
}

/// The options the view sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "ServeOptions")]
pub struct ServeOptionsIpc {
    pub enabled: bool,
    pub lan: bool,
    pub read_only: bool,
    pub port: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportReport {
    pub dir: String,
    #[ts(type = "number")]
    pub written: u64,
    #[ts(type = "number")]
    pub unchanged: u64,
    #[ts(type = "number")]
    pub removed: u64,
    #[ts(type = "number")]
    pub folders: u64,
    #[ts(type = "number")]
    pub playlists: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MountResult {
    pub mounted: bool,
    pub message: String,
    pub location: Option<String>,
}

/// What the server serves: an open account's library, and which opening of the account
/// it is (another one, even of the same account, means a restart).
pub struct Served {
    pub opening: usize,
    pub library: fichier_core::library::Library,
}

struct Running {
    server: Server,
    /// The opening it serves.
    opening: usize,
}

#[derive(Default)]
struct Inner {
    running: Option<Running>,
    error: Option<String>,
    /// The secret of this run when the keychain could not keep one.
    fallback_secret: Option<String>,
}

/// The server slot of the app.
pub struct Serving {
    path: PathBuf,
    inner: Mutex<Inner>,
}

impl Serving {
    pub fn new(data_dir: &std::path::Path) -> Serving {
        Serving {
            path: data_dir.join("serve.json"),
            inner: Mutex::default(),
        }
    }

    pub fn options(&self) -> ServeOptions {
        ServeOptions::load(&self.path)
    }

    fn secret(inner: &mut Inner) -> String {
        match fichier_core::serve_secret(fichier_serve::random_secret) {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!("the server's password can't be kept in the keychain: {e}");
                inner
                    .fallback_secret
                    .get_or_insert_with(fichier_serve::random_secret)
                    .clone()
            }
        }
    }

    /// Starts, stops or restarts the server to match the options and the open session.
    pub async fn sync(&self, served: Option<Served>) {
        let opts = self.options();
        let mut inner = self.inner.lock().await;
        let want = served.filter(|_| opts.enabled);
        let same = match (&inner.running, &want) {
            (Some(r), Some(s)) => {
                r.opening == s.opening
                    && r.server.config().listen == opts.listen()
                    && r.server.config().read_only == opts.read_only
            }
            (None, None) => true,
            _ => false,
        };
        if same && inner.error.is_none() {
            return;
        }
        if let Some(r) = inner.running.take() {
            r.server.stop().await;
        }
        inner.error = None;
        let Some(served) = want else {
            return;
        };
        let mut config = ServeConfig::new(Self::secret(&mut inner));
        config.listen = opts.listen();
        config.lan = opts.lan;
        config.read_only = opts.read_only;
        match Server::start(config, served.library).await {
            Ok(server) => {
                inner.running = Some(Running {
                    server,
                    opening: served.opening,
                })
            }
            Err(e) => {
                inner.error = Some(format!(
                    "Port {} can't be used ({e}). Another program may be using it: choose another port.",
                    opts.port
                ))
            }
        }
    }

    pub async fn set(&self, o: ServeOptionsIpc, served: Option<Served>) -> Result<(), AppError> {
        fichier_core::serving::check_serve_port(o.port)?;
        let opts = ServeOptions {
            enabled: o.enabled,
            lan: o.lan,
            read_only: o.read_only,
            port: o.port,
        };
        opts.save(&self.path).map_err(|e| {
            local(
                ErrorCode::Io,
                format!("The server's options could not be saved: {e}"),
            )
        })?;
        self.sync(served).await;
        Ok(())
    }

    pub async fn status(&self) -> ServeStatus {
        let opts = self.options();
        let inner = self.inner.lock().await;
        let r = inner.running.as_ref().map(|r| &r.server);
        let stats = r.map(|s| s.stats().clone());
        let counters = stats.as_ref().map(|s| s.counters()).unwrap_or_default();
        ServeStatus {
            enabled: opts.enabled,
            running: r.is_some(),
            address: r.map(|s| s.base_url()),
            dav_url: r.map(|s| s.dav_url()),
            user: fichier_serve::DEFAULT_USER.to_string(),
            secret: r.map(|s| s.secret().to_string()),
            port: r.map_or(opts.port, |s| s.addr().port()),
            lan: opts.lan,
            lan_address: r
                .filter(|_| opts.lan)
                .and_then(|s| lan_ip().map(|ip| format!("http://{ip}:{}", s.addr().port()))),
            read_only: opts.read_only,
            error: inner.error.clone(),
            streams: stats
                .as_ref()
                .map(|s| {
                    s.streams()
                        .into_iter()
                        .map(|i| StreamInfo {
                            id: i.id,
                            name: i.name,
                            client: i.client,
                            bytes: i.bytes,
                            bytes_per_second: i.bytes_per_second,
                            started_at: i.started_at,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            token_calls: counters.token_calls,
            api_calls: counters.api_calls,
            pacer_wait_seconds: stats.and_then(|s| s.pacer_wait()),
        }
    }

    /// (base URL, secret) of the running server.
    pub async fn running(&self) -> Result<(String, String), AppError> {
        let inner = self.inner.lock().await;
        inner
            .running
            .as_ref()
            .map(|r| (r.server.base_url(), r.server.secret().to_string()))
            .ok_or_else(|| {
                local(
                    ErrorCode::InvalidRequest,
                    "Stream links need the local server: turn it on in Stream & mount.",
                )
            })
    }
}

/// This computer's address on the local network, as a TV would reach it (no packet is
/// sent: connecting a UDP socket only picks the route).
fn lan_ip() -> Option<std::net::IpAddr> {
    let s = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    s.connect("192.168.0.1:9").ok()?;
    let ip = s.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}
