//! `fichier-core`: what Fichier Desk does, without a UI.
//!
//! - [`TransferEngine`]: the persisted transfer queue (SQLite), resumable downloads with a
//!   journal, uploads verified by Whirlpool, retries, bandwidth limit, remote upload, and
//!   one event stream ([`TransferEvent`]) for everything.
//! - [`Credentials`]: the API key in the OS keychain.
//! - [`SettingsStore`]: the user's preferences in a small JSON file.
//! - [`encode_name`] / [`decode_name`]: the reversible encoding of the characters
//!   1fichier refuses in names.
//!
//! No Tauri here: the desktop shell and the `fichier` command both sit on top.

pub mod account;
pub mod accounts;
pub mod backup;
mod bandwidth;
pub mod batch;
pub mod credentials;
mod download;
mod engine;
pub mod error;
mod folders;
pub mod hashing;
mod job;
pub mod library;
pub mod link_text;
pub mod links;
pub mod names;
mod options;
mod part_writer;
mod place;
mod private;
mod progress;
mod queue;
pub mod queue_lock;
mod remote;
mod scheduler;
mod segments;
pub mod serving;
pub mod settings;
mod sources;
mod store;
pub mod types;
pub mod units;
mod upload;
pub mod upload_time;

pub use backup::Backups;
pub use bandwidth::Bandwidth;
pub use credentials::{
    API_KEY_ENV, Credentials, KeySource, SEND_STORED_KEY_ENV, SERVE_SECRET_ENV,
    check_key_destination, serve_secret,
};
pub use engine::TransferEngine;
pub use error::CoreError;
pub use names::{decode_name, display_name, encode_name, safe_local_name};
pub use options::EngineOptions;
pub use queue::history::HistoryPage;
pub use queue_lock::QueueLock;
pub use settings::{SettingsStore, pacing_dir};
pub use types::*;

/// Transfers running at once unless the user chooses otherwise.
pub const DEFAULT_CONCURRENCY: u32 = 2;
/// Connections per download unless the user chooses otherwise (as JDownloader's
/// default for 1fichier premium).
pub const DEFAULT_CONNECTIONS: u32 = 3;
