// Types shared by the UI and the desktop shell over IPC.
//
// This file mirrors the Rust IPC types (commands, events, errors) of src-tauri and
// fichier-core. It will be replaced by bindings generated from the Rust types; until
// then keep it plain — interfaces, string-literal unions, camelCase fields, no classes
// and no logic — so that a generator can produce exactly the same shapes.

/** Stable error codes. The UI switches on these, never on `message`. */
export type ErrorCode =
  | 'invalid_key'
  | 'not_customer'
  | 'flood'
  | 'location_lock'
  | 'not_found'
  | 'not_allowed'
  | 'password_required'
  | 'password_wrong'
  | 'owner_locked'
  | 'file_empty'
  | 'file_too_large'
  | 'folder_not_empty'
  | 'name_conflict'
  | 'network'
  | 'timeout'
  | 'server'
  | 'protocol'
  | 'keychain_unavailable'
  | 'disk_full'
  | 'io';

/** The error every command rejects with. */
export interface AppError {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  /** Seconds to wait before retrying, when the server said so (flood). */
  retryAfter?: number;
}

/** 0 free, 1 Premium, 2 Access, 3 Premium GOLD. */
export type Offer = 'free' | 'premium' | 'access' | 'gold';

export interface AccountInfo {
  email: string;
  offer: Offer;
  /** Bytes used in cold storage. */
  coldStorageUsed: number;
  /** Bytes available in cold storage (the total quota). */
  coldStorageTotal: number;
  /** Bytes used in hot storage, when reported. */
  hotStorageUsed?: number;
  /** CDN credit, in GB. */
  cdnCreditGb: number;
  /** 1fichier date (`YYYY-MM-DD HH:MM:SS`, Europe/Paris), when subscribed. */
  subscriptionEnd?: string;
}

export interface SessionState {
  /** A key is stored (or held for this session) and the account can be used. */
  hasKey: boolean;
  /** Running against the built-in demo data instead of a real account. */
  demo: boolean;
  /** The OS keychain can store the key. */
  keychainAvailable: boolean;
}

export interface FolderInfo {
  id: number;
  name: string;
  parentId?: number;
  /** 1fichier date, Europe/Paris local time. */
  createDate: string;
  /** Public share URL, when the folder is shared. */
  shared?: string;
  pass: boolean;
}

export interface SubFolder {
  id: number;
  name: string;
  createDate: string;
  pass: boolean;
}

export interface FileEntry {
  /** The file's id: its download URL `https://1fichier.com/?<id>`. */
  url: string;
  filename: string;
  /** Bytes. */
  size: number;
  /** 1fichier date, Europe/Paris local time. */
  date: string;
  /** Whirlpool, 128 lowercase hex characters. */
  checksum?: string;
  contentType: string;
  pass: boolean;
  acl: boolean;
  cdn: boolean;
}

export interface FolderListing {
  folder: FolderInfo;
  subFolders: SubFolder[];
  files: FileEntry[];
  /** The listing was served from the folder cache (1fichier allows one listing per folder per 30 s). */
  fromCache: boolean;
  /** Age of the listing in seconds. */
  ageSeconds: number;
}

export interface FileDetails extends FileEntry {
  folderId: number;
  path: string;
  description: string;
  inline: boolean;
  noSsl: boolean;
}

export interface FileAttributes {
  /** New password; an empty string removes it; absent leaves it unchanged. */
  password?: string;
  /** New description; absent leaves it unchanged. */
  description?: string;
}

export interface ShareResult {
  /** Public folder URL, when shared. */
  url?: string;
}

export interface DownloadLink {
  url: string;
  /** The link stops working after this many seconds (about 5 minutes). */
  expiresInSeconds: number;
}

export type TransferKind = 'upload' | 'download';
export type TransferState = 'queued' | 'running' | 'paused' | 'failed' | 'done' | 'cancelled';
/** Detail of what a transfer is doing while it is queued or running. */
export type TransferPhase = 'waitingFlood' | 'verifying' | 'connecting' | 'retrying';

export interface Transfer {
  id: string;
  kind: TransferKind;
  name: string;
  /** Destination folder (upload) or source folder (download). */
  folderId?: number;
  /** Local path: the source (upload) or the destination (download). */
  localPath?: string;
  /** The remote file, when known. */
  url?: string;
  state: TransferState;
  phase?: TransferPhase;
  bytesDone: number;
  bytesTotal: number;
  speedBps: number;
  etaSeconds?: number;
  error?: AppError;
  /** Epoch milliseconds. */
  startedAt?: number;
  /** Epoch milliseconds. */
  finishedAt?: number;
}

export type PacerReason = 'flood' | 'listing' | 'interval' | 'account';

export type TransferEvent =
  | {
      type: 'progress';
      id: string;
      bytesDone: number;
      bytesTotal: number;
      speedBps: number;
      etaSeconds?: number;
    }
  | { type: 'state'; transfer: Transfer }
  | { type: 'removed'; ids: string[] }
  /** The pacer holds API calls for `waitSeconds` (0 = the wait is over). */
  | { type: 'pacerWait'; reason: PacerReason; waitSeconds: number }
  | { type: 'remoteResult'; job: RemoteJob };

export type Theme = 'system' | 'light' | 'dark';
export type Language = 'en' | 'fr';

export interface Settings {
  downloadDir: string;
  /** Transfers running at once. */
  concurrency: number;
  /** Global limit in bytes per second; null = unlimited. */
  bandwidthLimitBps: number | null;
  notifications: boolean;
  theme: Theme;
  language: Language;
}

export type RemoteStatus = 'pending' | 'ok' | 'ko';

export interface RemoteResult {
  url: string;
  status: RemoteStatus;
  downloadLink?: string;
  message?: string;
}

export interface RemoteJob {
  id: number;
  folderId: number;
  requestDate: string;
  executionDate?: string;
  urls: string[];
  results: RemoteResult[];
}

/** Payload of Tauri's `tauri://drag-*` window events. */
export interface DragDropPayload {
  paths?: string[];
  /** Physical pixels relative to the window. */
  position?: { x: number; y: number };
}
