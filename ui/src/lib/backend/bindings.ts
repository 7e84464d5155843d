// Generated from the Rust IPC types (src-tauri/src/bindings.rs). Do not edit:
// run `UPDATE_BINDINGS=1 cargo test -p fichier-desk bindings` after changing them.

export const ERROR_CODES = ['bad_key_format', 'key_missing', 'invalid_key', 'not_customer', 'flood', 'location_lock', 'not_found', 'not_allowed', 'password_required', 'password_wrong', 'owner_locked', 'file_empty', 'file_too_large', 'folder_not_empty', 'name_conflict', 'unchanged', 'invalid_name', 'host_not_allowed', 'link_expired', 'invalid_request', 'network', 'timeout', 'server', 'protocol', 'refused', 'answer_too_large', 'key_withheld', 'queue_busy', 'disk_full', 'permission_denied', 'source_unreadable', 'checksum_mismatch', 'size_mismatch', 'io', 'keychain_unavailable', 'keychain', 'database', 'cancelled', 'shut_down', 'path_not_granted', 'interrupted', 'partial', 'failed', 'transfer_failed', 'unknown'] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What core allows, and its defaults. */
export const LIMITS = {
  maxConcurrency: 8,
  defaultConcurrency: 2,
  maxConnections: 8,
  defaultConnections: 3,
  maxNameChars: 250,
  minPasswordChars: 6,
  maxBackupNameChars: 100,
  minFtpPasswordChars: 8,
  maxFtpUserChars: 32,
  subscriptionWarningDays: 21,
  maxCheckedLinks: 5000,
  maxAccountNameChars: 40,
  maxVersions: 100,
  defaultVersions: 5,
  maxTrashDays: 365,
  defaultTrashDays: 30,
  maxEveryHours: 168,
  settleSeconds: 5,
  minServePort: 1024,
  defaultServePort: 4918,
  maxLinkTextBytes: 8388608,
} as const;

/** Core's settings before the user changes any (the download folder is filled in by the backend). */
export const DEFAULT_SETTINGS: Settings = {"downloadDir":"","concurrency":2,"connections":3,"bandwidthLimitBps":null,"notifications":true,"theme":"system","language":"en","historyMaxItems":1000,"historyMaxDays":90};

export type AppError = { 
/**
 * Stable, machine-readable; the UI switches on it, never on `message`.
 */
code: ErrorCode, 
/**
 * Plain language, for people.
 */
message: string, retryable: boolean, 
/**
 * Seconds to wait before retrying, when the server said so (flood).
 */
retryAfter?: number, };

export type SessionState = { hasKey: boolean, demo: boolean, keychainAvailable: boolean, 
/**
 * The id of the account the window shows (see `list_accounts`).
 */
account?: string, };

export type AccountSummary = { id: string, name: string, email?: string, demo: boolean, 
/**
 * Its session runs: its transfers and backups go on.
 */
open: boolean, 
/**
 * The window shows it.
 */
shown: boolean, 
/**
 * Transfers queued, running or paused in its queue.
 */
transfers: number, 
/**
 * Of those, the ones moving bytes now.
 */
running: number, };

export type Offer = "free" | "premium" | "access" | "gold";

export type AccountInfo = { email: string, offer: Offer, coldStorageUsed: number, coldStorageTotal: number, hotStorageUsed?: number, 
/**
 * Space 1fichier says is still free, when it says so.
 */
availableStorage?: number, overQuota: boolean, uploadForbidden: boolean, cdnCreditGb: number, 
/**
 * 1fichier's "use CDN credit" setting.
 */
useCdn: boolean, subscriptionEnd?: string, 
/**
 * Whole days until the subscription ends (negative once it has ended).
 */
subscriptionDaysLeft?: number, 
/**
 * What needs the user's attention, most serious first.
 */
notices: Array<AccountNotice>, 
/**
 * How old 1fichier's answer is (it allows one account call per 5 minutes).
 */
ageSecs: number, 
/**
 * How long a change of setting would wait now for that rule.
 */
changeWaitSecs: number, };

export type AccountNotice = { "kind": "uploadForbidden" } | { "kind": "overQuota" } | { "kind": "subscriptionEnded" } | { "kind": "subscriptionEndsSoon", days: number, } | { "kind": "cdnWithoutCredit" };

export type FtpAccount = { user: string, 
/**
 * The folder its uploads go to (0 is the root), when 1fichier says.
 */
folderId?: number, };

export type LinkStatus = { "status": "available", name: string, size: number, } | { "status": "notFound" } | { "status": "private" } | { "status": "badLink" } | { "status": "unknown", text: string, };

export type LinkReport = { url: string, } & ({ "status": "available", name: string, size: number, } | { "status": "notFound" } | { "status": "private" } | { "status": "badLink" } | { "status": "unknown", text: string, });

export type UploadTimeCheck = { files: number, totalBytes: number, 
/**
 * The largest file: each file is its own upload process, so it is the one that
 * must fit in the window.
 */
largestName: string, largestBytes: number, 
/**
 * Recent upload speed, when uploads were measured.
 */
speedBps?: number, 
/**
 * How long the largest file would take at that speed.
 */
largestSecs?: number, windowSecs: number, 
/**
 * The largest file would not finish within the window.
 */
tooLong: boolean, };

export type FolderInfo = { id: number, name: string, parentId?: number, createDate: string, shared?: string, pass: boolean, };

export type SubFolder = { id: number, name: string, createDate: string, pass: boolean, };

export type FileEntry = { url: string, filename: string, size: number, date: string, checksum?: string, contentType: string, pass: boolean, acl: boolean, cdn: boolean, };

export type FolderListing = { folder: FolderInfo, subFolders: Array<SubFolder>, files: Array<FileEntry>, fromCache: boolean, ageSeconds: number, };

export type FileDetails = { folderId: number, path: string, description: string, inline: boolean, noSsl: boolean, url: string, filename: string, size: number, date: string, checksum?: string, contentType: string, pass: boolean, acl: boolean, cdn: boolean, };

export type FileAttributes = { 
/**
 * A new password; empty removes it; absent leaves it.
 */
password?: string, description?: string, };

export type ShareResult = { url?: string, };

export type DownloadLink = { url: string, expiresInSeconds: number, };

export type TransferKind = "upload" | "download";

export type TransferState = "queued" | "running" | "paused" | "failed" | "done" | "cancelled";

export type TransferPhase = "waitingFlood" | "verifying" | "connecting" | "stalled" | "retrying";

export type Transfer = { id: string, kind: TransferKind, name: string, 
/**
 * Destination folder (upload) or source folder (download).
 */
folderId?: number, 
/**
 * Local path: the source (upload) or the destination (download).
 */
localPath?: string, 
/**
 * The remote file, when known.
 */
url?: string, state: TransferState, phase?: TransferPhase, bytesDone: number, bytesTotal: number, speedBps: number, etaSeconds?: number, error?: AppError, 
/**
 * Epoch milliseconds.
 */
startedAt?: number, 
/**
 * Epoch milliseconds.
 */
finishedAt?: number, 
/**
 * The account whose queue holds it, when a front end keeps several accounts open
 * (the engine of one account leaves it empty; the front end labels it).
 */
account?: string, };

export type HistoryPage = { items: Array<Transfer>, 
/**
 * Finished transfers in the history, on every page.
 */
total: number, };

export type PacerReason = "flood" | "listing" | "interval" | "account";

export type BackupMode = "copy" | "mirror";

export type Schedule = { "kind": "manual" } | { "kind": "every", hours: number, } | { "kind": "daily", hour: number, minute: number, };

export type BackupSpec = { name: string, 
/**
 * The local folder backed up.
 */
source: string, 
/**
 * The 1fichier folder it goes to.
 */
folderId: number, 
/**
 * How that folder is shown ("/Backups/Photos"); informative only.
 */
folderLabel: string, mode: BackupMode, 
/**
 * Gitignore-style patterns, relative to `source`, on top of the defaults.
 */
excludes: Array<string>, schedule: Schedule, 
/**
 * Back up changes as they happen while the app runs.
 */
watch: boolean, 
/**
 * Earlier copies of a changed file kept in the versions folder.
 */
versions: number, 
/**
 * Days a removed or superseded file stays in the trash folder.
 */
trashDays: number, };

export type BackupStatus = { "state": "idle" } | { "state": "scanning", files: number, } | { "state": "hashing", done: number, total: number, } | { "state": "uploading", done: number, total: number, bytesDone: number, bytesTotal: number, } | { "state": "organizing", done: number, total: number, } | { "state": "paused" };

export type RunOutcome = "done" | "partial" | "failed" | "interrupted";

export type FileProblem = { 
/**
 * Relative to the backup's folder, with '/'.
 */
path: string, message: string, };

export type RunReport = { startedAt: number, finishedAt?: number, dryRun: boolean, outcome?: RunOutcome, 
/**
 * Files found in the folder (after exclusions).
 */
scanned: number, 
/**
 * Files whose checksum had to be computed (new or changed on disk).
 */
hashed: number, 
/**
 * Files sent (or to send), and their bytes.
 */
uploaded: number, uploadedBytes: number, 
/**
 * Files already on 1fichier with the same content, taken as they are.
 */
adopted: number, 
/**
 * Renamed or moved on 1fichier instead of sent again.
 */
moved: number, 
/**
 * Copied on 1fichier (copy mode renames, duplicate contents).
 */
copied: number, 
/**
 * Moved into the trash folder (mirror mode deletions, versions beyond the limit).
 */
trashed: number, 
/**
 * Earlier copies of changed files moved into the versions folder.
 */
versioned: number, 
/**
 * Files already backed up and unchanged.
 */
unchanged: number, 
/**
 * Files still being written, left for a later run.
 */
waiting: number, 
/**
 * Entries left out by the exclusions.
 */
excluded: number, 
/**
 * Files checked against 1fichier's listings (a verification, at most weekly).
 */
verified: number, 
/**
 * Of those, files no longer on 1fichier (removed there): sent again.
 */
missing: number, 
/**
 * Trash folders removed because they were older than `trashDays`.
 */
expired: number, errors: Array<FileProblem>, message?: string, };

export type BackupJob = { id: string, spec: BackupSpec, paused: boolean, createdAt: number, status: BackupStatus, 
/**
 * The last finished run (not a preview).
 */
lastRun?: RunReport, 
/**
 * When the schedule runs it next; none for manual backups and paused ones.
 */
nextRunAt?: number, 
/**
 * A run started and did not finish (the app was closed or killed): it goes on at start.
 */
interrupted: boolean, };

export type TransferEvent = { "type": "progress", id: string, bytesDone: number, bytesTotal: number, speedBps: number, etaSeconds?: number, } | { "type": "state", transfer: Transfer, } | { "type": "removed", ids: Array<string>, } | { "type": "pacerWait", reason: PacerReason, waitSeconds: number, } | { "type": "remoteResult", job: RemoteJob, } | { "type": "backup", job: BackupJob, };

export type Theme = "system" | "light" | "dark";

export type Language = "en" | "fr";

export type Settings = { downloadDir: string, 
/**
 * Transfers running at once.
 */
concurrency: number, 
/**
 * Connections one large download may use at once.
 */
connections: number, 
/**
 * Global limit in bytes per second; `null` = unlimited.
 */
bandwidthLimitBps: number | null, notifications: boolean, theme: Theme, language: Language, 
/**
 * Finished transfers kept in the history, newest first; older ones are forgotten.
 */
historyMaxItems: number, 
/**
 * Days a finished transfer stays in the history.
 */
historyMaxDays: number, };

export type RemoteStatus = "pending" | "ok" | "ko";

export type RemoteResult = { url: string, status: RemoteStatus, downloadLink?: string, message?: string, };

export type RemoteJob = { id: number, folderId: number, requestDate: string, executionDate?: string, urls: Array<string>, results: Array<RemoteResult>, };

export type ServeStatus = { enabled: boolean, running: boolean, address: string | null, davUrl: string | null, user: string, secret: string | null, port: number, lan: boolean, lanAddress: string | null, readOnly: boolean, error: string | null, streams: Array<StreamInfo>, tokenCalls: number, apiCalls: number, pacerWaitSeconds: number | null, };

export type StreamInfo = { id: string, name: string, client: string, bytes: number, bytesPerSecond: number, startedAt: number, };

export type ServeOptions = { enabled: boolean, lan: boolean, readOnly: boolean, port: number, };

export type ExportReport = { dir: string, written: number, unchanged: number, removed: number, folders: number, playlists: number, };

export type MountResult = { mounted: boolean, message: string, location: string | null, };

export type DirectoryPurpose = "download" | "backup" | "export";
