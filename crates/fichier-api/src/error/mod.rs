//! One error type for every call, with a stable code the UI can switch on and a message
//! that tells the user what to do.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use crate::code::ErrorCode;

/// A KO answer as 1fichier sent it, kept for diagnostics. The `#n` is *not* used for
/// classification: the same text comes with different numbers (protocol §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ko {
    /// The message without its trailing `#n`.
    pub text: String,
    /// The `#n` the server appended, if any.
    pub number: Option<u32>,
    /// The HTTP status of the answer.
    pub http_status: u16,
}

impl Ko {
    /// Splits `"Flood detected: IP Locked #374"` into its text and number.
    pub fn parse(message: &str, http_status: u16) -> Ko {
        let trimmed = message.trim();
        if let Some(pos) = trimmed.rfind('#') {
            let digits = &trimmed[pos + 1..];
            if !digits.is_empty() && digits.len() <= 6 && digits.bytes().all(|b| b.is_ascii_digit())
            {
                return Ko {
                    text: trimmed[..pos].trim_end().to_string(),
                    number: digits.parse().ok(),
                    http_status,
                };
            }
        }
        Ko {
            text: trimmed.to_string(),
            number: None,
            http_status,
        }
    }
}

/// Everything that can go wrong talking to 1fichier.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    #[error(
        "This API key doesn't look right: {reason}. Copy it again from 1fichier.com > Account > Parameters (API key)."
    )]
    BadKeyFormat { reason: String },

    #[error("No API key is set. Add your 1fichier API key in the settings.")]
    KeyMissing,

    #[error(
        "1fichier doesn't accept this API key. It may have been revoked or regenerated, or the account may be under a security lock: check the key in your 1fichier account settings (and reset your password there if asked)."
    )]
    InvalidKey { ko: Option<Ko> },

    #[error(
        "This needs a paying 1fichier account (Premium, Access or CDN credit). Upgrade your account or use a key from a premium account."
    )]
    NotCustomer { ko: Option<Ko> },

    #[error("1fichier's flood protection is blocking requests for now. Wait {} s and try again; Fichier Desk already spaces its calls, so avoid running other 1fichier tools at the same time.", retry_after.as_secs().max(1))]
    Flood {
        retry_after: Duration,
        ko: Option<Ko>,
    },

    #[error("To keep the account from being locked, this wasn't sent now ({reason}). Try again in {} s.", retry_after.as_secs().max(1))]
    RateLimited {
        retry_after: Duration,
        reason: crate::wait::WaitReason,
    },

    #[error("1fichier only allows one location (IP address) at a time for this account. Stop using the account from other devices or VPNs, then try again in about {} minutes.", retry_after.as_secs().div_ceil(60).max(1))]
    LocationLock {
        retry_after: Duration,
        ko: Option<Ko>,
    },

    #[error(
        "That file or folder no longer exists on 1fichier. It may have been deleted or moved; refresh the listing."
    )]
    NotFound { ko: Option<Ko> },

    #[error(
        "You don't have access to this file or folder (it is private, restricted or belongs to someone else)."
    )]
    NotAllowed { ko: Option<Ko> },

    #[error("This file is protected by a password. Enter the password to continue.")]
    PasswordRequired { ko: Option<Ko> },

    #[error("The password for this file is wrong. Check it and try again.")]
    PasswordWrong { ko: Option<Ko> },

    #[error(
        "The owner of this file has been locked by 1fichier, so it can't be reached through the API. Try the download page on the website instead."
    )]
    OwnerLocked { ko: Option<Ko> },

    #[error("1fichier doesn't accept empty files. Nothing was uploaded.")]
    FileEmpty,

    #[error("This file is too large for 1fichier (the limit is 300 GB per file).")]
    FileTooLarge,

    #[error("The folder isn't empty. Delete or move its contents first.")]
    FolderNotEmpty { ko: Option<Ko> },

    #[error("Something with that name already exists there. Choose another name.")]
    NameConflict { ko: Option<Ko> },

    #[error("Nothing was changed: the new name is the same as the current one.")]
    Unchanged { ko: Option<Ko> },

    #[error(
        "1fichier refused the name: it contains a character that isn't allowed (\\ < > \" ' ` $ or a leading space). Rename it and try again."
    )]
    InvalidName { ko: Option<Ko> },

    #[error(
        "Refused to contact {host} for {purpose}: it is not a 1fichier server. Nothing was sent to it."
    )]
    HostNotAllowed { host: String, purpose: &'static str },

    #[error("The download link has expired. Fichier Desk will ask 1fichier for a new one.")]
    LinkExpired { http_status: u16 },

    #[error("Invalid request: {reason}")]
    InvalidRequest { reason: String },

    #[error(
        "Couldn't reach 1fichier ({detail}). Check your internet connection; the transfer will be retried."
    )]
    Network { detail: String },

    #[error("1fichier took too long to answer ({detail}). It will be retried.")]
    Timeout { detail: String },

    #[error("1fichier is having trouble right now (HTTP {status}). Try again in a few minutes.")]
    Server { status: u16 },

    #[error(
        "1fichier sent an answer Fichier Desk couldn't understand ({detail}). Try again; if it keeps happening, 1fichier may have changed its API."
    )]
    Protocol { detail: String },

    #[error("1fichier refused the request: {}", ko.text)]
    Refused { ko: Ko },

    #[error(
        "1fichier sent an answer too large to be real (over {limit_mib} MiB), so it was not read. A proxy, a captive portal or a network fault may be in the way; try again later."
    )]
    AnswerTooLarge { limit_mib: u64 },

    #[error(
        "The key stored in the keychain is only sent to 1fichier, and {base} is another server. Give that server its own key with FICHIER_API_KEY or --key, or allow it explicitly with FICHIER_SEND_STORED_KEY=1."
    )]
    KeyWithheld { base: String },
}

impl ApiError {
    /// A stable, machine-readable name for this kind of error.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::BadKeyFormat { .. } => ErrorCode::BadKeyFormat,
            ApiError::KeyMissing => ErrorCode::KeyMissing,
            ApiError::InvalidKey { .. } => ErrorCode::InvalidKey,
            ApiError::NotCustomer { .. } => ErrorCode::NotCustomer,
            ApiError::Flood { .. } | ApiError::RateLimited { .. } => ErrorCode::Flood,
            ApiError::LocationLock { .. } => ErrorCode::LocationLock,
            ApiError::NotFound { .. } => ErrorCode::NotFound,
            ApiError::NotAllowed { .. } => ErrorCode::NotAllowed,
            ApiError::PasswordRequired { .. } => ErrorCode::PasswordRequired,
            ApiError::PasswordWrong { .. } => ErrorCode::PasswordWrong,
            ApiError::OwnerLocked { .. } => ErrorCode::OwnerLocked,
            ApiError::FileEmpty => ErrorCode::FileEmpty,
            ApiError::FileTooLarge => ErrorCode::FileTooLarge,
            ApiError::FolderNotEmpty { .. } => ErrorCode::FolderNotEmpty,
            ApiError::NameConflict { .. } => ErrorCode::NameConflict,
            ApiError::Unchanged { .. } => ErrorCode::Unchanged,
            ApiError::InvalidName { .. } => ErrorCode::InvalidName,
            ApiError::HostNotAllowed { .. } => ErrorCode::HostNotAllowed,
            ApiError::LinkExpired { .. } => ErrorCode::LinkExpired,
            ApiError::InvalidRequest { .. } => ErrorCode::InvalidRequest,
            ApiError::Network { .. } => ErrorCode::Network,
            ApiError::Timeout { .. } => ErrorCode::Timeout,
            ApiError::Server { .. } => ErrorCode::Server,
            ApiError::Protocol { .. } => ErrorCode::Protocol,
            ApiError::Refused { .. } => ErrorCode::Refused,
            ApiError::AnswerTooLarge { .. } => ErrorCode::AnswerTooLarge,
            ApiError::KeyWithheld { .. } => ErrorCode::KeyWithheld,
        }
    }

    /// Whether trying the same thing again later may succeed without the user changing
    /// anything.
    pub fn retryable(&self) -> bool {
        matches!(
            self,
            ApiError::Flood { .. }
                | ApiError::RateLimited { .. }
                | ApiError::LocationLock { .. }
                | ApiError::LinkExpired { .. }
                | ApiError::Network { .. }
                | ApiError::Timeout { .. }
                | ApiError::Server { .. }
                | ApiError::Protocol { .. }
        )
    }

    /// How long to wait before trying again, when 1fichier's rules say so.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::Flood { retry_after, .. }
            | ApiError::RateLimited { retry_after, .. }
            | ApiError::LocationLock { retry_after, .. } => Some(*retry_after),
            _ => None,
        }
    }

    /// The KO answer behind this error, if it came from one.
    pub fn ko(&self) -> Option<&Ko> {
        match self {
            ApiError::InvalidKey { ko }
            | ApiError::NotCustomer { ko }
            | ApiError::Flood { ko, .. }
            | ApiError::LocationLock { ko, .. }
            | ApiError::NotFound { ko }
            | ApiError::NotAllowed { ko }
            | ApiError::PasswordRequired { ko }
            | ApiError::PasswordWrong { ko }
            | ApiError::OwnerLocked { ko }
            | ApiError::FolderNotEmpty { ko }
            | ApiError::NameConflict { ko }
            | ApiError::Unchanged { ko }
            | ApiError::InvalidName { ko } => ko.as_ref(),
            ApiError::Refused { ko } => Some(ko),
            _ => None,
        }
    }

    /// The serialisable form the app hands to the UI.
    pub fn summary(&self) -> AppError {
        AppError::new(
            self.code(),
            self.to_string(),
            self.retryable(),
            self.retry_after(),
        )
    }

    pub(crate) fn from_transport(err: reqwest::Error) -> ApiError {
        // The URL is dropped: token URLs are short-lived credentials of their own.
        let detail = transport_detail(&err);
        // A body cut short shows up as a "decode" error: it is the connection's fault.
        if err.is_timeout() {
            ApiError::Timeout { detail }
        } else {
            ApiError::Network { detail }
        }
    }
}

fn transport_detail(err: &reqwest::Error) -> String {
    use std::error::Error as _;
    // The innermost cause is the most telling ("connection refused", "unexpected EOF").
    let mut cause: Option<&dyn std::error::Error> = err.source();
    let mut last = None;
    while let Some(c) = cause {
        last = Some(c.to_string());
        cause = c.source();
    }
    let kind = if err.is_connect() {
        "connection failed"
    } else if err.is_timeout() {
        "timed out"
    } else if err.is_body() || err.is_decode() {
        "connection lost during transfer"
    } else if err.is_request() {
        "request failed"
    } else {
        "network error"
    };
    match last {
        Some(c) if !c.is_empty() => format!("{kind}: {c}"),
        _ => kind.to_string(),
    }
}

/// What the app sends to the UI when something fails: `{ code, message, retryable,
/// retryAfter? }`. Every layer's error becomes one of these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppError {
    /// Stable, machine-readable; the UI switches on it, never on `message`.
    #[ts(type = "ErrorCode")]
    pub code: ErrorCode,
    /// Plain language, for people.
    pub message: String,
    pub retryable: bool,
    /// Seconds to wait before retrying, when the server said so (flood).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub retry_after: Option<u64>,
}

impl AppError {
    /// An error as the UI receives it; a wait is told in whole seconds, at least one.
    pub fn new(
        code: ErrorCode,
        message: impl Into<String>,
        retryable: bool,
        retry_after: Option<Duration>,
    ) -> AppError {
        AppError {
            code,
            message: message.into(),
            retryable,
            retry_after: retry_after.map(|d| d.as_secs().max(1)),
        }
    }
}

impl From<&ApiError> for AppError {
    fn from(e: &ApiError) -> Self {
        e.summary()
    }
}

impl From<ApiError> for AppError {
    fn from(e: ApiError) -> Self {
        e.summary()
    }
}

/// How long a location lock lasts before trying again (JD waits 5 minutes, protocol §9).
pub const LOCATION_LOCK_WAIT: Duration = Duration::from_secs(300);

/// Turns a KO message into an error, by its text. `flood_wait` is the pacer's flood wait,
/// used as the `retry_after` of a flood.
pub(crate) fn classify_ko(message: &str, http_status: u16, flood_wait: Duration) -> ApiError {
    let ko = Ko::parse(message, http_status);
    let t = ko.text.to_ascii_lowercase();
    let has = |s: &str| t.contains(s);
    if has("flood") || has("ip locked") || has("user locked") || has("apk locked") {
        return ApiError::Flood {
            retry_after: flood_wait,
            ko: Some(ko),
        };
    }
    if has("location") && has("allowed") {
        return ApiError::LocationLock {
            retry_after: LOCATION_LOCK_WAIT,
            ko: Some(ko),
        };
    }
    if has("not authenticated") || has("no such user") || has("invalid api key") || has("bad key") {
        return ApiError::InvalidKey { ko: Some(ko) };
    }
    if has("must be a customer") || (has("premium") && has("must")) {
        return ApiError::NotCustomer { ko: Some(ko) };
    }
    if has("owner locked") {
        return ApiError::OwnerLocked { ko: Some(ko) };
    }
    // Password messages come before "Resource not allowed" in the same text.
    if has("invalid password") || has("wrong password") || has("bad password") {
        return ApiError::PasswordWrong { ko: Some(ko) };
    }
    if has("password not provided") || has("password required") || has("protected by a password") {
        return ApiError::PasswordRequired { ko: Some(ko) };
    }
    if has("not empty") {
        return ApiError::FolderNotEmpty { ko: Some(ko) };
    }
    if has("already exist") {
        return ApiError::NameConflict { ko: Some(ko) };
    }
    if has("same as the source") || has("no file has been renamed") || has("same name") {
        return ApiError::Unchanged { ko: Some(ko) };
    }
    if has("invalid name") || has("forbidden character") {
        return ApiError::InvalidName { ko: Some(ko) };
    }
    if has("not found") || has("no such file") || has("no such folder") || has("does not exist") {
        return ApiError::NotFound { ko: Some(ko) };
    }
    if has("not allowed") || has("forbidden") || has("not authorized") || has("access denied") {
        return ApiError::NotAllowed { ko: Some(ko) };
    }
    if has("empty file") || has("file is empty") {
        return ApiError::FileEmpty;
    }
    // Text we don't know: fall back on the HTTP status, keeping the text for the user.
    match http_status {
        401 => ApiError::InvalidKey { ko: Some(ko) },
        404 => ApiError::NotFound { ko: Some(ko) },
        429 => ApiError::Flood {
            retry_after: flood_wait,
            ko: Some(ko),
        },
        _ => ApiError::Refused { ko },
    }
}

/// Turns an HTTP status whose body had no KO message into an error.
pub(crate) fn classify_status(http_status: u16, flood_wait: Duration) -> ApiError {
    match http_status {
        401 => ApiError::InvalidKey { ko: None },
        404 | 410 => ApiError::NotFound { ko: None },
        429 => ApiError::Flood {
            retry_after: flood_wait,
            ko: None,
        },
        500..=599 => ApiError::Server {
            status: http_status,
        },
        403 => ApiError::NotAllowed { ko: None },
        s => ApiError::Protocol {
            detail: format!("unexpected HTTP status {s}"),
        },
    }
}

#[cfg(test)]
mod tests;
