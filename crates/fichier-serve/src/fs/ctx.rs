//! What one WebDAV request carries through the file system: who asked, its deadline, and
//! the status its failure should get.

use super::*;

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
    pub(super) deferred: Arc<Mutex<HashMap<i64, Vec<String>>>>,
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
    pub(super) fn too_slow(&self) -> FsError {
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
