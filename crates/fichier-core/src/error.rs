//! One error type for the core, with stable codes. API errors keep their own codes.

use std::io;
use std::path::{Path, PathBuf};

use fichier_api::{ApiError, AppError, ErrorCode};

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CoreError {
    #[error(transparent)]
    Api(#[from] ApiError),

    #[error(
        "The disk is full (or the file is larger than this disk allows) while writing {}. Free some space, then resume it (Retry in Fichier Desk, or `fichier resume`): the part already downloaded is kept.",
        path.display()
    )]
    DiskFull { path: PathBuf },

    #[error("Permission denied on {}. Check that you may write there, or choose another folder.", path.display())]
    PermissionDenied { path: PathBuf },

    #[error("Can't read {}: {detail}. Check that it still exists and that you may read it.", path.display())]
    SourceUnreadable { path: PathBuf, detail: String },

    #[error("{} is empty, and 1fichier doesn't accept empty files. Nothing was uploaded.", path.display())]
    FileEmpty { path: PathBuf },

    #[error("{} is {size} bytes, over 1fichier's limit of 300 GB per file. Nothing was uploaded.", path.display())]
    FileTooLarge { path: PathBuf, size: u64 },

    #[error("{name} is too large to be a list of links.")]
    TextTooLarge { name: String },

    #[error(
        "The Whirlpool checksum doesn't match: the bytes received are not the bytes that were sent (expected {expected}…, got {actual}…). The transfer was not marked done."
    )]
    ChecksumMismatch { expected: String, actual: String },

    #[error(
        "The size doesn't match (expected {expected} bytes, got {actual}). The transfer was not marked done."
    )]
    SizeMismatch { expected: u64, actual: u64 },

    #[error("Disk error on {}: {detail}", path.display())]
    Io { path: PathBuf, detail: String },

    #[error(
        "The system keychain can't be used ({detail}). Unlock it or start a keyring service, or set FICHIER_API_KEY."
    )]
    KeychainUnavailable { detail: String },

    #[error("The system keychain refused the operation: {detail}")]
    Keychain { detail: String },

    #[error("The transfer queue database failed: {detail}")]
    Database { detail: String },

    #[error("{reason}")]
    InvalidInput { reason: String },

    #[error("No transfer with id {id}.")]
    UnknownTransfer { id: String },

    #[error(
        "The transfer queue {} is in use by {owner}. Only one program works on a queue at a time: wait for it to finish (or pass --wait), or use another queue with --queue.",
        queue.display()
    )]
    QueueBusy { queue: PathBuf, owner: String },

    #[error("The backup {name:?} is already running in {owner}; this run was not started.")]
    BackupBusy { name: String, owner: String },

    #[error("No backup named or numbered {id:?}.")]
    UnknownBackup { id: String },

    #[error("There is no folder {path} on 1fichier.")]
    UnknownFolder { path: String },

    #[error("No account named {name:?} (accounts: {known}). `fichier accounts add` adds one.")]
    UnknownAccount { name: String, known: String },

    #[error(
        "This upload was to be protected by a password, which is kept in memory only and was forgotten when the program stopped. Nothing was uploaded: cancel it and add the file again with its password."
    )]
    PasswordForgotten,

    #[error(
        "The download host didn't say how large the file is, so a complete file can't be told from a cut one. The part was kept; the transfer was not marked done."
    )]
    SizeUnknown,

    #[error("The transfer was cancelled.")]
    Cancelled,

    #[error("The transfer engine has shut down.")]
    ShutDown,
}

impl CoreError {
    /// A stable, machine-readable name for this kind of error.
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::Api(e) => e.code(),
            CoreError::DiskFull { .. } => ErrorCode::DiskFull,
            CoreError::PermissionDenied { .. } => ErrorCode::PermissionDenied,
            CoreError::SourceUnreadable { .. } => ErrorCode::SourceUnreadable,
            CoreError::FileEmpty { .. } => ErrorCode::FileEmpty,
            CoreError::FileTooLarge { .. } | CoreError::TextTooLarge { .. } => {
                ErrorCode::FileTooLarge
            }
            CoreError::ChecksumMismatch { .. } => ErrorCode::ChecksumMismatch,
            CoreError::SizeMismatch { .. } => ErrorCode::SizeMismatch,
            CoreError::Io { .. } => ErrorCode::Io,
            CoreError::KeychainUnavailable { .. } => ErrorCode::KeychainUnavailable,
            CoreError::Keychain { .. } => ErrorCode::Keychain,
            CoreError::Database { .. } => ErrorCode::Database,
            CoreError::InvalidInput { .. } => ErrorCode::InvalidRequest,
            CoreError::UnknownTransfer { .. } => ErrorCode::NotFound,
            CoreError::QueueBusy { .. } | CoreError::BackupBusy { .. } => ErrorCode::QueueBusy,
            CoreError::UnknownBackup { .. }
            | CoreError::UnknownFolder { .. }
            | CoreError::UnknownAccount { .. } => ErrorCode::NotFound,
            CoreError::PasswordForgotten => ErrorCode::PasswordRequired,
            CoreError::SizeUnknown => ErrorCode::SizeMismatch,
            CoreError::Cancelled => ErrorCode::Cancelled,
            CoreError::ShutDown => ErrorCode::ShutDown,
        }
    }

    /// Whether trying again later may work without the user changing anything.
    pub fn retryable(&self) -> bool {
        match self {
            CoreError::Api(e) => e.retryable(),
            // Bytes damaged in transit: a fresh attempt may get them right.
            CoreError::SizeMismatch { .. } => true,
            _ => false,
        }
    }

    /// How long to wait before retrying, when 1fichier's rules say so.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            CoreError::Api(e) => e.retry_after(),
            _ => None,
        }
    }

    /// The form the UI receives.
    pub fn summary(&self) -> AppError {
        AppError::new(
            self.code(),
            self.to_string(),
            self.retryable(),
            self.retry_after(),
        )
    }

    /// Sorts an I/O error on a local file: full disk and permissions get their own codes.
    pub fn from_io(path: &Path, e: &io::Error) -> CoreError {
        let path = path.to_path_buf();
        // Quotas have no ErrorKind of their own on every toolchain; Windows' "disk full"
        // arrives as StorageFull below.
        #[cfg(unix)]
        if let Some(libc::ENOSPC | libc::EDQUOT | libc::EFBIG) = e.raw_os_error() {
            return CoreError::DiskFull { path };
        }
        match e.kind() {
            io::ErrorKind::StorageFull | io::ErrorKind::FileTooLarge => {
                CoreError::DiskFull { path }
            }
            io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
                CoreError::PermissionDenied { path }
            }
            _ => CoreError::Io {
                path,
                detail: e.to_string(),
            },
        }
    }

    pub(crate) fn db(e: rusqlite::Error) -> CoreError {
        CoreError::Database {
            detail: e.to_string(),
        }
    }
}

impl From<&CoreError> for AppError {
    fn from(e: &CoreError) -> Self {
        e.summary()
    }
}

impl From<CoreError> for AppError {
    fn from(e: CoreError) -> Self {
        e.summary()
    }
}

impl From<rusqlite::Error> for CoreError {
    fn from(e: rusqlite::Error) -> Self {
        CoreError::db(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn io_errors_are_sorted() {
        let p = Path::new("/x");
        let full = io::Error::from_raw_os_error(libc::ENOSPC);
        assert_eq!(CoreError::from_io(p, &full).code(), "disk_full");
        let big = io::Error::from_raw_os_error(libc::EFBIG);
        assert_eq!(CoreError::from_io(p, &big).code(), "disk_full");
        let denied = io::Error::from_raw_os_error(libc::EACCES);
        assert_eq!(CoreError::from_io(p, &denied).code(), "permission_denied");
        let other = io::Error::other("boom");
        assert_eq!(CoreError::from_io(p, &other).code(), "io");
    }

    #[test]
    fn api_errors_keep_their_codes_and_waits() {
        let e = CoreError::from(ApiError::Server { status: 502 });
        let s = e.summary();
        assert_eq!(s.code, "server");
        assert!(s.retryable);
        let k = CoreError::KeychainUnavailable {
            detail: "no bus".into(),
        };
        assert_eq!(k.summary().code, "keychain_unavailable");
        assert!(!k.summary().retryable);
    }
}
