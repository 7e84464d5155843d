//! Shared helpers: an emulator, a quick client, an engine on a temporary queue, and waits
//! driven by the engine's events (with generous safety timeouts, never timed assertions).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use bytes::Bytes;
use fichier_api::{ApiKey, ClientConfig, FichierClient, Pacer, PacerConfig, UploadOptions};
use fichier_core::{
    EngineOptions, Settings, Transfer, TransferEngine, TransferEvent, TransferState,
};
use fichier_emulator::{Emulator, EmulatorConfig, Offer};
use sha2::{Digest, Sha256};

pub const PATIENCE: Duration = Duration::from_secs(120);

pub fn no_limits() -> EmulatorConfig {
    EmulatorConfig {
        rate_limits: false,
        remote_delay: Duration::from_millis(50),
        ..EmulatorConfig::default()
    }
}

/// A pacer that keeps tests quick (the emulator's limits are off unless a test says so).
pub fn quick_pacer() -> PacerConfig {
    PacerConfig {
        min_interval: Duration::from_millis(5),
        backoff_initial: Duration::from_millis(50),
        backoff_max: Duration::from_millis(500),
        flood_wait: Duration::from_millis(500),
        flood_wait_max: Duration::from_secs(2),
        ..PacerConfig::default()
    }
}

pub fn client_with(emu: &Emulator, key: &str, pacer: PacerConfig) -> FichierClient {
    let mut config = ClientConfig::with_base(&emu.api_base()).unwrap();
    config.end_pl_delay = Duration::from_millis(20);
    FichierClient::with_pacer(config, Some(ApiKey::parse(key).unwrap()), Pacer::new(pacer)).unwrap()
}

pub struct Env {
    pub emu: Emulator,
    pub key: String,
    pub client: FichierClient,
    pub dir: tempfile::TempDir,
}

impl Env {
    pub async fn new() -> Env {
        Env::with(no_limits(), quick_pacer()).await
    }

    pub async fn with(config: EmulatorConfig, pacer: PacerConfig) -> Env {
        let emu = Emulator::start(config).await.unwrap();
        let key = emu.add_account(Offer::Premium);
        let client = client_with(&emu, &key, pacer);
        Env {
            emu,
            key,
            client,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn options(&self) -> EngineOptions {
        let mut o = EngineOptions::new(
            self.path("queue.db"),
            self.client.clone(),
            Settings {
                download_dir: self.path("downloads").to_string_lossy().into_owned(),
                ..Settings::default()
            },
        );
        o.retry_base = Duration::from_millis(100);
        o.remote_poll_interval = Duration::from_millis(200);
        o
    }

    pub fn engine(&self) -> TransferEngine {
        TransferEngine::open(self.options()).unwrap()
    }

    /// Puts `data` on the emulator as `name` (straight through the API client).
    pub async fn put(&self, name: &str, data: Vec<u8>, folder: Option<i64>) -> String {
        let len = data.len() as u64;
        let body = futures_util::stream::iter(
            data.chunks(1 << 20)
                .map(|c| Ok::<_, std::io::Error>(Bytes::copy_from_slice(c)))
                .collect::<Vec<_>>(),
        );
        let opts = UploadOptions {
            folder_id: folder,
            ..Default::default()
        };
        self.client
            .upload(name, len, body, &opts)
            .await
            .unwrap()
            .download
    }

    /// Requests whose path ends with `suffix`, with their statuses.
    pub fn statuses(&self, suffix: &str) -> Vec<u16> {
        self.emu
            .request_log()
            .iter()
            .filter(|e| e.path.ends_with(suffix))
            .map(|e| e.status)
            .collect()
    }

    /// Token-URL requests (download host), with their statuses.
    pub fn download_statuses(&self) -> Vec<u16> {
        self.emu
            .request_log()
            .iter()
            .filter(|e| e.method == "GET" && is_token_path(&e.path))
            .map(|e| e.status)
            .collect()
    }
}

fn is_token_path(p: &str) -> bool {
    let p = p.trim_start_matches('/');
    let mut chars = p.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && p.len() > 3
        && chars.all(|c| c.is_ascii_digit())
}

pub fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
    // A cheap deterministic generator (xorshift), so tests need no RNG crate.
    let mut x = seed | 1;
    let mut v = Vec::with_capacity(len + 8);
    while v.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.extend_from_slice(&x.to_le_bytes());
    }
    v.truncate(len);
    v
}

pub fn sha256(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

pub fn sha256_file(p: &Path) -> String {
    sha256(&std::fs::read(p).unwrap())
}

/// Waits until `pred` holds for transfer `id`, re-checking on every event.
pub async fn wait_for(
    engine: &TransferEngine,
    id: &str,
    what: &str,
    pred: impl Fn(&Transfer) -> bool,
) -> Transfer {
    let mut rx = engine.subscribe();
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        if let Some(t) = engine.get(id)
            && pred(&t)
        {
            return t;
        }
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        assert!(
            !left.is_zero(),
            "gave up waiting for {what}: {:?}",
            engine.get(id)
        );
        let _ = tokio::time::timeout(left.min(Duration::from_millis(200)), rx.recv()).await;
    }
}

/// Waits until the transfer is done, failed or cancelled.
pub async fn finished(engine: &TransferEngine, id: &str) -> Transfer {
    wait_for(engine, id, "the end of the transfer", |t| {
        t.state.is_finished()
    })
    .await
}

pub async fn done(engine: &TransferEngine, id: &str) -> Transfer {
    let t = finished(engine, id).await;
    assert_eq!(t.state, TransferState::Done, "{t:?}");
    t
}

/// Collects events until `stop` returns true for one.
pub async fn collect_until(
    rx: &mut tokio::sync::broadcast::Receiver<TransferEvent>,
    mut stop: impl FnMut(&TransferEvent) -> bool,
) -> Vec<TransferEvent> {
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match tokio::time::timeout(left, rx.recv()).await {
            Ok(Ok(ev)) => {
                let end = stop(&ev);
                out.push(ev);
                if end {
                    return out;
                }
            }
            Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => {}
            other => panic!(
                "event stream ended or timed out: {other:?}; got {} events",
                out.len()
            ),
        }
    }
}
