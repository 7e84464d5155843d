//! `fichier-api`: a typed, polite client for the 1fichier.com API v1.
//!
//! - Every endpoint of the API (protocol §2, rows 1–25), plus the upload node
//!   (`upload.cgi`, `end.pl`), download tokens, public folders and the link check.
//! - One [`ApiError`] with a stable [`code`](ApiError::code), a plain-language message,
//!   [`retryable`](ApiError::retryable) and [`retry_after`](ApiError::retry_after).
//! - An [`ApiKey`] that never prints and only goes to validated hosts.
//! - A [`Pacer`] per account: spacing, backoff, flood waits, per-endpoint rules and
//!   caches, on an injectable [`Clock`].
//!
//! No file I/O happens here (uploads take a byte stream, downloads return one), except the
//! pacer's small memory file when one is given ([`Pacer::remember_in`]).

mod body;
mod cache;
mod client;
mod clock;
mod code;
mod config;
mod de;
mod download;
mod endpoints;
mod error;
mod failure;
mod handle;
mod hosts;
mod key;
mod memory;
mod pacer;
pub mod types;
mod upload;
mod wait;
mod website;

pub use body::{ERROR_PAGE_CAP, JSON_CAP};
pub use cache::Cached;
pub use client::FichierClient;
pub use clock::{Clock, FakeClock, Sleep, TokioClock};
pub use config::is_loopback_host;
pub use config::{
    API_BASE_ENV, API_TIMEOUT_ENV, ClientConfig, DEFAULT_API_BASE, DEFAULT_API_DEADLINE,
    DEFAULT_API_TIMEOUT,
};
pub use download::{ByteStream, Download, filename_from_disposition};
pub use error::{ApiError, AppError, ErrorCode, Ko, LOCATION_LOCK_WAIT};
pub use handle::AccountHandle;
pub use hosts::is_allowed as is_allowed_host;
pub use key::{ApiKey, KEY_LEN, Password};
pub use pacer::{Pacer, PacerConfig, PacerEvent, WaitReason};
pub use types::*;
pub use upload::{BatchFile, FileBody, MAX_FILE_SIZE, MAX_FILES_PER_REQUEST, MultipartFrame};
pub use website::CHECK_LINKS_BATCH;
