//! What the file system works with: what one WebDAV request carries through it (who
//! asked, its deadline, the status its failure should get) and what every request
//! shares (the tree, the tokens, the local files, the counters).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dav_server::fs::{FsError, FsResult};
use fichier_api::ApiError;
use fichier_core::ErrorCode;

use crate::local::Local;
use crate::stats::Stats;
use crate::tokens::Tokens;
use crate::tree::{Node, Tree};

/// The status a failed request should really get, decided by the file system and applied
/// to the answer by the server (dav-server's errors carry no status of their own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub status: u16,
    pub retry_after: Option<u64>,
    pub code: ErrorCode,
}

/// What one request carries into the file system.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub method: http::Method,
    /// `Depth: 0`.
    pub depth0: bool,
    /// "Finder", "Windows", "VLC"…, for the list of streams.
    pub client: &'static str,
    /// The request's path ("/a/b", no trailing slash; "/" for the root).
    pub path: String,
    hint: Arc<Mutex<Option<Hint>>>,
    /// Files of a folder being deleted, removed in one call with the folder.
    pub(crate) deferred: Arc<Mutex<HashMap<i64, Vec<String>>>>,
    stats: Arc<Stats>,
}

impl Ctx {
    pub fn new(
        method: http::Method,
        depth0: bool,
        client: &'static str,
        path: String,
        stats: Arc<Stats>,
    ) -> Ctx {
        Ctx {
            method,
            depth0,
            client,
            path,
            hint: Arc::default(),
            deferred: Arc::default(),
            stats,
        }
    }

    pub fn hint(&self, status: u16, retry_after: Option<u64>, code: ErrorCode) {
        *self.hint.lock().unwrap() = Some(Hint {
            status,
            retry_after,
            code,
        });
    }

    pub fn take_hint(&self) -> Option<Hint> {
        self.hint.lock().unwrap().take()
    }

    /// Maps an API error to dav-server's error, noting the status it should become.
    pub fn fail(&self, e: ApiError) -> FsError {
        let (fs, status, retry) = classify(&e);
        if let Some(status) = status {
            self.hint(status, retry, e.code());
        }
        fs
    }

    /// The API took longer than a request may wait (the pacer holds calls during a flood
    /// lock): 503 and when to come back.
    pub(crate) fn too_slow(&self) -> FsError {
        let wait = self.stats.pacer_wait().unwrap_or(30).max(1);
        self.hint(503, Some(wait), ErrorCode::Flood);
        FsError::GeneralFailure
    }
}

/// What an API error becomes: dav-server's error, and the HTTP status (with a
/// `Retry-After` in seconds) the answer should carry when dav-server's own would be wrong.
pub fn classify(e: &ApiError) -> (FsError, Option<u16>, Option<u64>) {
    match e {
        ApiError::NotFound { .. } => (FsError::NotFound, Some(404), None),
        ApiError::PasswordRequired { .. }
        | ApiError::PasswordWrong { .. }
        | ApiError::NotAllowed { .. }
        | ApiError::OwnerLocked { .. }
        | ApiError::NotCustomer { .. }
        | ApiError::InvalidName { .. }
        | ApiError::Refused { .. }
        | ApiError::HostNotAllowed { .. } => (FsError::Forbidden, Some(403), None),
        ApiError::Flood { .. } | ApiError::RateLimited { .. } | ApiError::LocationLock { .. } => {
            let wait = e.retry_after().map(|d| d.as_secs().max(1)).unwrap_or(60);
            (FsError::GeneralFailure, Some(503), Some(wait))
        }
        ApiError::InvalidKey { .. } | ApiError::KeyMissing | ApiError::KeyWithheld { .. } => {
            (FsError::GeneralFailure, Some(503), None)
        }
        ApiError::FileTooLarge => (FsError::TooLarge, Some(413), None),
        ApiError::NameConflict { .. } | ApiError::FolderNotEmpty { .. } => {
            (FsError::Exists, None, None)
        }
        ApiError::Timeout { .. } => (FsError::GeneralFailure, Some(504), None),
        _ => (FsError::IsRemote, Some(502), None),
    }
}

/// Everything the file system works with, shared by every request.
pub struct Shared {
    pub tree: Arc<Tree>,
    pub tokens: Arc<Tokens>,
    pub local: Local,
    pub stats: Arc<Stats>,
    pub read_only: bool,
    /// Longest an API call may hold a request.
    pub budget: Duration,
    pub spool_dir: PathBuf,
}

impl Shared {
    pub(crate) async fn api<T>(
        &self,
        ctx: &Ctx,
        f: impl std::future::Future<Output = Result<T, ApiError>>,
    ) -> FsResult<T> {
        match tokio::time::timeout(self.budget, f).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(ctx.fail(e)),
            Err(_) => Err(ctx.too_slow()),
        }
    }

    pub(crate) async fn resolve(&self, ctx: &Ctx, segs: &[String]) -> FsResult<Option<Node>> {
        self.api(ctx, self.tree.resolve(segs)).await
    }

    pub(crate) async fn folder_of(&self, ctx: &Ctx, segs: &[String]) -> FsResult<i64> {
        match self.resolve(ctx, segs).await? {
            Some(Node::Folder(f)) => Ok(f.id),
            _ => Err(FsError::NotFound),
        }
    }
}
