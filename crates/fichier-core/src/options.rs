//! How a transfer engine is opened: its queue file, its client and the knobs tests and
//! measurements turn.

use std::path::PathBuf;
use std::time::Duration;

use fichier_api::FichierClient;

use crate::types::Settings;

/// No byte for this long and a transfer is called stalled.
pub const DEFAULT_STALL_TIMEOUT: Duration = Duration::from_secs(30);

/// How to open a [`TransferEngine`].
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// The queue database (created if missing).
    pub db_path: PathBuf,
    /// The account's client; replace it later with [`TransferEngine::set_client`].
    pub client: FichierClient,
    /// Concurrency and bandwidth limit are taken from here.
    pub settings: Settings,
    /// Verify Whirlpool checksums (on by default; off only for measurements).
    pub verify_checksums: bool,
    /// Small uploads to one folder go up together, in one request (see [`crate::batch`]).
    pub batch_uploads: bool,
    /// Attempts for errors that may go away (network, 5xx…) before a transfer fails.
    /// Flood waits don't count.
    pub max_attempts: u32,
    /// First pause before an automatic retry; doubled each time, at most a minute.
    pub retry_base: Duration,
    /// How often unfinished remote-upload jobs are checked.
    pub remote_poll_interval: Duration,
    /// A transfer that receives or sends nothing for this long is stalled: it resumes
    /// through the normal retry path.
    pub stall_timeout: Duration,
}

impl EngineOptions {
    pub fn new(db_path: impl Into<PathBuf>, client: FichierClient, settings: Settings) -> Self {
        EngineOptions {
            db_path: db_path.into(),
            client,
            settings,
            verify_checksums: true,
            batch_uploads: true,
            max_attempts: 5,
            retry_base: Duration::from_secs(2),
            remote_poll_interval: Duration::from_secs(15),
            stall_timeout: DEFAULT_STALL_TIMEOUT,
        }
    }
}
