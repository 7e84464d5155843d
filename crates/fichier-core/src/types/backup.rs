//! What a backup is and what a run of it did, as the front ends see them (camelCase, epoch
//! milliseconds, byte counts as integers, like the rest of `crate::types`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Earlier copies of a changed file kept unless the user chooses otherwise.
pub const DEFAULT_VERSIONS: u32 = 5;
/// Days a removed file stays in the trash unless the user chooses otherwise.
pub const DEFAULT_TRASH_DAYS: u32 = 30;

/// How far 1fichier follows the local folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
pub enum BackupMode {
    /// New and changed files go up; nothing on 1fichier is ever removed.
    #[default]
    Copy,
    /// Also follows renames and deletions; what goes away is moved to a dated trash
    /// folder, kept for `trashDays`.
    Mirror,
}

/// When a backup runs by itself (besides "run now" and the folder watcher).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Schedule {
    /// Only when asked (or when the watcher sees a change).
    #[default]
    Manual,
    /// Every `hours` hours after the last run started.
    Every { hours: u32 },
    /// Each day at this local time.
    Daily { hour: u8, minute: u8 },
}

/// What the user sets for a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupSpec {
    pub name: String,
    /// The local folder backed up.
    pub source: String,
    /// The 1fichier folder it goes to.
    #[ts(type = "number")]
    pub folder_id: i64,
    /// How that folder is shown ("/Backups/Photos"); informative only.
    #[serde(default)]
    pub folder_label: String,
    #[serde(default)]
    pub mode: BackupMode,
    /// Gitignore-style patterns, relative to `source`, on top of the defaults.
    #[serde(default)]
    pub excludes: Vec<String>,
    #[serde(default)]
    pub schedule: Schedule,
    /// Back up changes as they happen while the app runs.
    #[serde(default)]
    pub watch: bool,
    /// Earlier copies of a changed file kept in the versions folder.
    #[serde(default = "default_versions")]
    pub versions: u32,
    /// Days a removed or superseded file stays in the trash folder.
    #[serde(default = "default_trash_days")]
    pub trash_days: u32,
}

fn default_versions() -> u32 {
    DEFAULT_VERSIONS
}

fn default_trash_days() -> u32 {
    DEFAULT_TRASH_DAYS
}

/// What a backup is doing now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum BackupStatus {
    /// Nothing to do until the next trigger.
    #[default]
    Idle,
    /// Reading the folder: `files` seen so far.
    Scanning {
        #[ts(type = "number")]
        files: u64,
    },
    /// Computing checksums of new and changed files.
    Hashing {
        #[ts(type = "number")]
        done: u64,
        #[ts(type = "number")]
        total: u64,
    },
    /// Sending files; `done` of `total` finished.
    #[serde(rename_all = "camelCase")]
    Uploading {
        #[ts(type = "number")]
        done: u64,
        #[ts(type = "number")]
        total: u64,
        #[ts(type = "number")]
        bytes_done: u64,
        #[ts(type = "number")]
        bytes_total: u64,
    },
    /// Server-side moves, copies and trash.
    Organizing {
        #[ts(type = "number")]
        done: u64,
        #[ts(type = "number")]
        total: u64,
    },
    /// Paused by the user: no trigger starts it.
    Paused,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RunOutcome {
    /// Everything is on 1fichier.
    Done,
    /// Finished, but some files could not be backed up (see `errors`).
    Partial,
    /// Nothing could be done (see `message`).
    Failed,
    /// Paused or stopped before the end; the next run goes on.
    Interrupted,
}

/// One file a run could not back up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FileProblem {
    /// Relative to the backup's folder, with '/'.
    pub path: String,
    pub message: String,
}

/// What a run did, or for a preview (`dryRun`), what it would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    #[ts(type = "number")]
    pub started_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub finished_at: Option<i64>,
    pub dry_run: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub outcome: Option<RunOutcome>,
    /// Files found in the folder (after exclusions).
    #[ts(type = "number")]
    pub scanned: u64,
    /// Files whose checksum had to be computed (new or changed on disk).
    #[ts(type = "number")]
    pub hashed: u64,
    /// Files sent (or to send), and their bytes.
    #[ts(type = "number")]
    pub uploaded: u64,
    #[ts(type = "number")]
    pub uploaded_bytes: u64,
    /// Files already on 1fichier with the same content, taken as they are.
    #[ts(type = "number")]
    pub adopted: u64,
    /// Renamed or moved on 1fichier instead of sent again.
    #[ts(type = "number")]
    pub moved: u64,
    /// Copied on 1fichier (copy mode renames, duplicate contents).
    #[ts(type = "number")]
    pub copied: u64,
    /// Moved into the trash folder (mirror mode deletions, versions beyond the limit).
    #[ts(type = "number")]
    pub trashed: u64,
    /// Earlier copies of changed files moved into the versions folder.
    #[ts(type = "number")]
    pub versioned: u64,
    /// Files already backed up and unchanged.
    #[ts(type = "number")]
    pub unchanged: u64,
    /// Files still being written, left for a later run.
    #[ts(type = "number")]
    pub waiting: u64,
    /// Entries left out by the exclusions.
    #[ts(type = "number")]
    pub excluded: u64,
    /// Files checked against 1fichier's listings (a verification, at most weekly).
    #[ts(type = "number")]
    pub verified: u64,
    /// Of those, files no longer on 1fichier (removed there): sent again.
    #[ts(type = "number")]
    pub missing: u64,
    /// Trash folders removed because they were older than `trashDays`.
    #[ts(type = "number")]
    pub expired: u64,
    #[serde(default)]
    pub errors: Vec<FileProblem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub message: Option<String>,
}

/// A backup with its state, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupJob {
    pub id: String,
    pub spec: BackupSpec,
    pub paused: bool,
    #[ts(type = "number")]
    pub created_at: i64,
    pub status: BackupStatus,
    /// The last finished run (not a preview).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_run: Option<RunReport>,
    /// When the schedule runs it next; none for manual backups and paused ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub next_run_at: Option<i64>,
    /// A run started and did not finish (the app was closed or killed): it goes on at start.
    #[serde(default)]
    pub interrupted: bool,
}
