//! Every command fails with core's `AppError`: `{ code, message, retryable, retryAfter? }`.
//! Core's and the API client's errors convert into it with `?`.

use fichier_core::{AppError, ErrorCode};

pub type CmdResult<T> = Result<T, AppError>;

/// A failure of the shell itself (no account open, a bad path from the window, ...).
pub fn local(code: ErrorCode, message: impl Into<String>) -> AppError {
    AppError::new(code, message, false, None)
}

/// Asked for account work before a key was given or the demo started.
pub fn no_session() -> AppError {
    local(
        ErrorCode::InvalidKey,
        "No 1fichier account is open yet. Paste your API key or try the demo.",
    )
}
