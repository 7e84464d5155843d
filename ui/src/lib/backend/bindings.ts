// Generated from the Rust IPC types (src-tauri/src/bindings.rs). Do not edit:
// run `UPDATE_BINDINGS=1 cargo test -p fichier-desk bindings` after changing them.

export const ERROR_CODES = ['bad_key_format', 'key_missing', 'invalid_key', 'not_customer', 'flood', 'location_lock', 'not_found', 'not_allowed', 'password_required', 'password_wrong', 'owner_locked', 'file_empty', 'file_too_large', 'folder_not_empty', 'name_conflict', 'unchanged', 'invalid_name', 'host_not_allowed', 'link_expired', 'invalid_request', 'network', 'timeout', 'server', 'protocol', 'answer_too_large', 'key_withheld', 'queue_busy', 'refused', 'disk_full', 'permission_denied', 'source_unreadable', 'checksum_mismatch', 'size_mismatch', 'io', 'keychain_unavailable', 'keychain', 'database', 'cancelled', 'shut_down', 'path_not_granted'] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type AppError = { 
/**
 * Stable, machine-readable; the UI switches on it, never on `message`.
 */
code: string, 
/**
 * Plain language, for people.
 */
message: string, retryable: boolean, 
/**
 * Seconds to wait before retrying, when the server said so (flood).
 */
retryAfter?: number, };

export type SessionState = { hasKey: boolean, demo: boolean, keychainAvailable: boolean, };

export type Offer = "free" | "premium" | "access" | "gold";

export type AccountInfo = { email: string, offer: Offer, coldStorageUsed: number, coldStorageTotal: number, hotStorageUsed?: number, cdnCreditGb: number, subscriptionEnd?: string, };

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
finishedAt?: number, };

export type HistoryPage = { items: Array<Transfer>, 
/**
 * Finished transfers in the history, on every page.
 */
total: number, };

export type PacerReason = "flood" | "listing" | "interval" | "account";

export type TransferEvent = { "type": "progress", id: string, bytesDone: number, bytesTotal: number, speedBps: number, etaSeconds?: number, } | { "type": "state", transfer: Transfer, } | { "type": "removed", ids: Array<string>, } | { "type": "pacerWait", reason: PacerReason, waitSeconds: number, } | { "type": "remoteResult", job: RemoteJob, };

export type Theme = "system" | "light" | "dark";

export type Language = "en" | "fr";

export type Settings = { downloadDir: string, 
/**
 * Transfers running at once.
 */
concurrency: number, 
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
