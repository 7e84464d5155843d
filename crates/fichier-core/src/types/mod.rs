//! The public types the desktop shell hands to the UI, shaped exactly like
//! `ui/src/lib/backend/types.ts`: camelCase fields, optional fields left out when empty,
//! byte counts as integers, timestamps in epoch milliseconds.
//!
//! Every type derives [`ts_rs::TS`] so the shell can generate the TypeScript bindings.

pub mod backup;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the UI receives when something fails: one type for every layer, defined beside
/// the codes in fichier-api.
pub use fichier_api::{AppError, ErrorCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TransferKind {
    Upload,
    Download,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TransferState {
    Queued,
    Running,
    Paused,
    Failed,
    Done,
    Cancelled,
}

impl TransferState {
    /// Done, failed or cancelled: nothing more will happen without the user.
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            TransferState::Done | TransferState::Failed | TransferState::Cancelled
        )
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            TransferState::Queued => "queued",
            TransferState::Running => "running",
            TransferState::Paused => "paused",
            TransferState::Failed => "failed",
            TransferState::Done => "done",
            TransferState::Cancelled => "cancelled",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<TransferState> {
        Some(match s {
            "queued" => TransferState::Queued,
            "running" => TransferState::Running,
            "paused" => TransferState::Paused,
            "failed" => TransferState::Failed,
            "done" => TransferState::Done,
            "cancelled" => TransferState::Cancelled,
            _ => return None,
        })
    }
}

/// Detail of what a queued or running transfer is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TransferPhase {
    /// 1fichier's flood protection holds our calls; `error.retryAfter` says how long.
    WaitingFlood,
    /// Checking size and Whirlpool before the transfer is called done.
    Verifying,
    /// Asking 1fichier for an upload node or a download link.
    Connecting,
    /// No data arrived for a while; the transfer resumes from what it has.
    Stalled,
    /// The last attempt failed and another one is scheduled. For an upload this means it
    /// starts again from the first byte (1fichier can't resume an upload).
    Retrying,
}

/// One upload or download, as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Transfer {
    pub id: String,
    pub kind: TransferKind,
    pub name: String,
    /// Destination folder (upload) or source folder (download).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub folder_id: Option<i64>,
    /// Local path: the source (upload) or the destination (download).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub local_path: Option<String>,
    /// The remote file, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub url: Option<String>,
    pub state: TransferState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub phase: Option<TransferPhase>,
    #[ts(type = "number")]
    pub bytes_done: u64,
    #[ts(type = "number")]
    pub bytes_total: u64,
    #[ts(type = "number")]
    pub speed_bps: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub eta_seconds: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error: Option<AppError>,
    /// Epoch milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub started_at: Option<u64>,
    /// Epoch milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub finished_at: Option<u64>,
    /// The account whose queue holds it, when a front end keeps several accounts open
    /// (the engine of one account leaves it empty; the front end labels it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub account: Option<String>,
}

/// Why the pacer holds API calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum PacerReason {
    /// 1fichier's flood protection (or HTTP 429).
    Flood,
    /// One listing per folder every 30 s (one whole-account listing per hour).
    Listing,
    /// Spacing between calls, backoff after errors, waiting for an upload report.
    Interval,
    /// One account-info call every 5 minutes.
    Account,
}

impl From<fichier_api::WaitReason> for PacerReason {
    fn from(r: fichier_api::WaitReason) -> Self {
        use fichier_api::WaitReason as W;
        match r {
            W::Flood | W::TooManyRequests => PacerReason::Flood,
            W::ListingInterval | W::AllFilesInterval => PacerReason::Listing,
            W::UserInfoInterval => PacerReason::Account,
            _ => PacerReason::Interval,
        }
    }
}

/// Everything the engine tells its observers, on one stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum TransferEvent {
    /// At most 10 per second per transfer; the final numbers always come in a `state`.
    #[serde(rename_all = "camelCase")]
    Progress {
        id: String,
        #[ts(type = "number")]
        bytes_done: u64,
        #[ts(type = "number")]
        bytes_total: u64,
        #[ts(type = "number")]
        speed_bps: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional, type = "number")]
        eta_seconds: Option<u64>,
    },
    /// A transfer changed state or phase (also sent once more when it ends).
    State { transfer: Transfer },
    /// Transfers taken off the list (cleared or cancelled and cleared).
    Removed { ids: Vec<String> },
    /// The pacer holds API calls for `waitSeconds` (0 = the wait is over).
    #[serde(rename_all = "camelCase")]
    PacerWait {
        reason: PacerReason,
        #[ts(type = "number")]
        wait_seconds: u64,
    },
    /// A remote-upload job has run; its results are in.
    RemoteResult { job: RemoteJob },
    /// A backup's state, last run or next run changed.
    Backup { job: backup::BackupJob },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
pub enum Language {
    #[default]
    En,
    Fr,
}

/// The user's preferences. Never holds the API key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    pub download_dir: String,
    /// Transfers running at once.
    pub concurrency: u32,
    /// Connections one large download may use at once.
    pub connections: u32,
    /// Global limit in bytes per second; `null` = unlimited.
    #[ts(type = "number | null")]
    pub bandwidth_limit_bps: Option<u64>,
    pub notifications: bool,
    pub theme: Theme,
    pub language: Language,
    /// Finished transfers kept in the history, newest first; older ones are forgotten.
    pub history_max_items: u32,
    /// Days a finished transfer stays in the history.
    pub history_max_days: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RemoteStatus {
    Pending,
    Ok,
    Ko,
}

/// What became of one URL of a remote-upload job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RemoteResult {
    pub url: String,
    pub status: RemoteStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub download_link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub message: Option<String>,
}

/// A remote-upload job: URLs 1fichier fetches into a folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RemoteJob {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub folder_id: i64,
    pub request_date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub execution_date: Option<String>,
    pub urls: Vec<String>,
    pub results: Vec<RemoteResult>,
}

impl RemoteJob {
    /// Whether 1fichier has run the job (every URL has a result).
    pub fn is_finished(&self) -> bool {
        self.execution_date.is_some()
            && !self.results.is_empty()
            && self
                .results
                .iter()
                .all(|r| r.status != RemoteStatus::Pending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Transfer {
        Transfer {
            id: "t1".into(),
            kind: TransferKind::Download,
            name: "a.bin".into(),
            folder_id: None,
            local_path: Some("/tmp/a.bin".into()),
            url: None,
            state: TransferState::Running,
            phase: Some(TransferPhase::WaitingFlood),
            bytes_done: 5,
            bytes_total: 10,
            speed_bps: 2,
            eta_seconds: None,
            error: None,
            started_at: Some(1_700_000_000_000),
            finished_at: None,
            account: None,
        }
    }

    #[test]
    fn transfer_serialises_like_the_ui_expects() {
        let v = serde_json::to_value(sample()).unwrap();
        assert_eq!(
            v,
            json!({"id":"t1","kind":"download","name":"a.bin","localPath":"/tmp/a.bin",
                   "state":"running","phase":"waitingFlood","bytesDone":5,"bytesTotal":10,
                   "speedBps":2,"startedAt":1_700_000_000_000u64})
        );
    }

    #[test]
    fn events_are_tagged_and_camel_case() {
        let p = TransferEvent::Progress {
            id: "x".into(),
            bytes_done: 1,
            bytes_total: 2,
            speed_bps: 3,
            eta_seconds: Some(4),
        };
        assert_eq!(
            serde_json::to_value(p).unwrap(),
            json!({"type":"progress","id":"x","bytesDone":1,"bytesTotal":2,"speedBps":3,"etaSeconds":4})
        );
        let w = TransferEvent::PacerWait {
            reason: PacerReason::Flood,
            wait_seconds: 30,
        };
        assert_eq!(
            serde_json::to_value(w).unwrap(),
            json!({"type":"pacerWait","reason":"flood","waitSeconds":30})
        );
        let r = TransferEvent::Removed {
            ids: vec!["a".into()],
        };
        assert_eq!(
            serde_json::to_value(r).unwrap(),
            json!({"type":"removed","ids":["a"]})
        );
        let s = serde_json::to_value(TransferEvent::State { transfer: sample() }).unwrap();
        assert_eq!(s["type"], "state");
        assert_eq!(s["transfer"]["bytesDone"], 5);
        let job = RemoteJob {
            id: 7,
            folder_id: 0,
            request_date: "2024-01-01 10:00:00".into(),
            execution_date: None,
            urls: vec!["http://x".into()],
            results: vec![RemoteResult {
                url: "http://x".into(),
                status: RemoteStatus::Pending,
                download_link: None,
                message: None,
            }],
        };
        assert_eq!(
            serde_json::to_value(TransferEvent::RemoteResult { job }).unwrap(),
            json!({"type":"remoteResult","job":{"id":7,"folderId":0,"requestDate":"2024-01-01 10:00:00",
                   "urls":["http://x"],"results":[{"url":"http://x","status":"pending"}]}})
        );
    }

    #[test]
    fn settings_keep_null_bandwidth_and_error_skips_retry_after() {
        let s = Settings {
            download_dir: "/d".into(),
            ..Settings::default()
        };
        assert_eq!(
            serde_json::to_value(&s).unwrap(),
            json!({"downloadDir":"/d","concurrency":2,"connections":3,"bandwidthLimitBps":null,
                   "notifications":true,"theme":"system","language":"en",
                   "historyMaxItems":1000,"historyMaxDays":90})
        );
        // Missing fields take defaults.
        let back: Settings = serde_json::from_value(json!({"concurrency":3})).unwrap();
        assert_eq!(back.concurrency, 3);
        let e = AppError {
            code: ErrorCode::Io,
            message: "m".into(),
            retryable: false,
            retry_after: None,
        };
        assert_eq!(
            serde_json::to_value(e).unwrap(),
            json!({"code":"io","message":"m","retryable":false})
        );
    }

    #[test]
    fn typescript_declarations_match_the_ui() {
        let t = Transfer::decl();
        for part in [
            "folderId?: number",
            "localPath?: string",
            "bytesDone: number",
            "etaSeconds?: number",
            "error?: AppError",
            "phase?: TransferPhase",
            "finishedAt?: number",
        ] {
            assert!(t.contains(part), "{part} missing from {t}");
        }
        let e = TransferEvent::decl();
        for part in [
            "\"type\": \"progress\"",
            "bytesDone: number",
            "waitSeconds: number",
            "\"type\": \"remoteResult\"",
        ] {
            assert!(e.contains(part), "{part} missing from {e}");
        }
        let s = Settings::decl();
        assert!(s.contains("bandwidthLimitBps: number | null"), "{s}");
        let p = TransferPhase::decl();
        assert!(p.contains("\"waitingFlood\""), "{p}");
        let a = AppError::decl();
        assert!(a.contains("retryAfter?: number"), "{a}");
    }
}
