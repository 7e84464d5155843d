//! Why a call waits: the reasons the pacer and the client give, shown to people and
//! carried by the errors of calls that could not go out in time.

use std::fmt;

use serde::Serialize;

/// Why the pacer is making a call wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitReason {
    /// Calls queued behind each other to stay under 1fichier's request rate.
    Spacing,
    /// 1fichier answered "Flood detected".
    Flood,
    /// HTTP 429.
    TooManyRequests,
    /// A 5xx answer.
    ServerError,
    /// The connection failed or broke.
    NetworkError,
    /// One listing per folder every 30 s.
    ListingInterval,
    /// One account-info call every 5 minutes.
    UserInfoInterval,
    /// One whole-account file listing per hour.
    AllFilesInterval,
    /// The upload report (`end.pl`) is not ready yet.
    UploadReport,
}

impl fmt::Display for WaitReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WaitReason::Spacing => "spacing calls to stay under 1fichier's rate limit",
            WaitReason::Flood => "1fichier flood protection",
            WaitReason::TooManyRequests => "1fichier asked to slow down (HTTP 429)",
            WaitReason::ServerError => "1fichier server error, trying again",
            WaitReason::NetworkError => "connection problem, trying again",
            WaitReason::ListingInterval => "1fichier allows one listing per folder every 30 s",
            WaitReason::UserInfoInterval => "1fichier allows one account-info call every 5 minutes",
            WaitReason::AllFilesInterval => "1fichier allows one whole-account listing per hour",
            WaitReason::UploadReport => "waiting for 1fichier's upload report",
        })
    }
}
