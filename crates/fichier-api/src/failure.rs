//! How one attempt at a call failed, and whether 1fichier may have acted on it: what the
//! client's retry loop decides by.

use crate::error::ApiError;
use crate::wait::WaitReason;

/// Why a single attempt failed, and whether the server may have acted on it.
pub(crate) struct Failure {
    pub error: ApiError,
    pub kind: FailureKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FailureKind {
    /// "Flood detected": nothing was done.
    Flood,
    /// 429 or a failed connect: nothing was done.
    NotExecuted(WaitReason),
    /// 5xx, timeout, broken connection, garbled answer: it may have been done.
    Uncertain(WaitReason),
    /// A definite answer; retrying won't help.
    Final,
}

impl Failure {
    pub fn transport(err: reqwest::Error) -> Failure {
        let kind = if err.is_connect() {
            FailureKind::NotExecuted(WaitReason::NetworkError)
        } else {
            FailureKind::Uncertain(WaitReason::NetworkError)
        };
        Failure {
            error: ApiError::from_transport(err),
            kind,
        }
    }
}
