//! Every command fails with core's `AppError`: `{ code, message, retryable, retryAfter? }`.

use fichier_api::ApiError;
use fichier_core::AppError;

pub type CmdResult<T> = Result<T, AppError>;

/// 1fichier and transport failures, with their stable code.
pub fn api(e: ApiError) -> AppError {
    let s = e.summary();
    AppError {
        code: s.code,
        message: s.message,
        retryable: s.retryable,
        retry_after: s.retry_after,
    }
}

/// A failure of the shell itself (no account open, a bad path from the window, ...).
pub fn local(code: &str, message: impl Into<String>) -> AppError {
    AppError {
        code: code.to_string(),
        message: message.into(),
        retryable: false,
        retry_after: None,
    }
}

/// Asked for account work before a key was given or the demo started.
pub fn no_session() -> AppError {
    local(
        "invalid_key",
        "No 1fichier account is open yet. Paste your API key or try the demo.",
    )
}
