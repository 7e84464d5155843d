// The one seam between the UI and whatever does the work. Components and stores only
// ever see this interface; `index.ts` picks the implementation.
import type {
  AccountInfo,
  AccountSummary,
  AppError,
  AppEvent,
  BackupJob,
  BackupSpec,
  RunReport,
  DownloadLink,
  FileAttributes,
  FileDetails,
  FolderListing,
  FtpAccount,
  HistoryPage,
  LinkReport,
  RemoteJob,
  SessionState,
  Settings,
  ShareResult,
  SubFolder,
  Transfer,
  ErrorCode,
  ExportReport,
  MountResult,
  ServeOptions,
  ServeStatus,
  UploadTimeCheck,
} from './types';
import { ERROR_CODES } from './types';

export type Unsubscribe = () => void;

/** What a directory is picked for: a download goes into it, a backup reads it, an export writes to it. */
export type DirectoryPurpose = 'download' | 'backup' | 'export';

/** What the window learns about OS files dragged over it. */
export type DropSignal =
  | { kind: 'enter' | 'over'; x: number; y: number }
  | { kind: 'drop'; x: number; y: number; paths: string[] }
  | { kind: 'leave' };

export interface Backend {
  readonly kind: 'tauri' | 'fake';

  getSession(): Promise<SessionState>;
  /** Validates the key against 1fichier and stores it (or keeps it in memory only). */
  saveApiKey(key: string, sessionOnly: boolean): Promise<AccountInfo>;
  startDemo(): Promise<void>;
  /** Removes the shown account (its key leaves the keychain), as `removeAccount` of it. */
  forgetKey(): Promise<void>;
  /**
   * Closes the shown account (ends the demo); the keychain is never touched. The window
   * then shows another open account, or the start screen (see `getSession`).
   */
  leaveDemo(): Promise<void>;

  /**
   * Every account of this computer that has a key or is open, then the demo last. Each
   * open one keeps its transfers and backups going, whichever the window shows.
   */
  listAccounts(): Promise<AccountSummary[]>;
  /**
   * Shows the account `id` (opening it with its stored key, or starting the demo). Refused
   * with `key_missing` when its key is no longer stored, `not_found` for an unknown id.
   */
  switchAccount(id: string): Promise<SessionState>;
  /**
   * Checks `key` with 1fichier, stores it (or keeps it for this session only), then opens
   * and shows the new account. Refused with `bad_key_format`, `invalid_key`,
   * `invalid_request` (the name), `name_conflict` (the key's account is already listed) or
   * a keychain code.
   */
  addAccount(name: string, key: string, sessionOnly: boolean): Promise<AccountInfo>;
  /**
   * Stops the account's transfers (its queue stays on this computer, so adding it again
   * resumes them), removes its key from the keychain and its name from the list; for the
   * demo, ends it. The state says which account is shown now, if any.
   */
  removeAccount(id: string): Promise<SessionState>;

  getAccount(): Promise<AccountInfo>;
  /**
   * Turns 1fichier's "use CDN credit" on or off. 1fichier takes one account call per 5
   * minutes, so the answer may take that long (`changeWaitSecs` of the account says how long).
   */
  setUseCdn(on: boolean): Promise<AccountInfo>;
  /** The account's FTP sub-accounts. */
  listFtpAccounts(): Promise<FtpAccount[]>;
  /**
   * Creates an FTP account whose uploads land in `folderId`, and returns the list. Refused
   * with `invalid_request` (user name or password), `name_conflict` or `not_found` (folder).
   */
  addFtpAccount(user: string, password: string, folderId: number): Promise<FtpAccount[]>;
  removeFtpAccount(user: string): Promise<FtpAccount[]>;
  /**
   * Finds the 1fichier links in `text` (each file once) and checks them; `invalid_request`
   * when there is none, or more than the check takes.
   */
  checkLinks(text: string): Promise<LinkReport[]>;
  /** The text of files dropped on the window (only paths it was given in this run). */
  readTextFiles(paths: string[]): Promise<string>;

  listFolder(folderId: number, force?: boolean): Promise<FolderListing>;
  createFolder(parentId: number, name: string): Promise<SubFolder>;
  renameFolder(folderId: number, name: string): Promise<void>;
  moveFolder(folderId: number, destinationId: number): Promise<void>;
  deleteFolder(folderId: number): Promise<void>;
  renameFile(url: string, filename: string): Promise<void>;
  moveFiles(urls: string[], destinationId: number): Promise<void>;
  copyFiles(urls: string[], destinationId: number): Promise<void>;
  deleteFiles(urls: string[]): Promise<void>;
  setFileAttributes(urls: string[], attributes: FileAttributes): Promise<void>;
  getFileInfo(url: string): Promise<FileDetails>;
  shareFolder(folderId: number, share: boolean, password?: string): Promise<ShareResult>;
  getDownloadLink(url: string): Promise<DownloadLink>;

  /** The queue: queued, running and paused transfers, and failures not cleared yet. */
  listTransfers(): Promise<Transfer[]>;
  /** Finished transfers, most recent first, `limit` from the `offset`-th. */
  listHistory(offset: number, limit: number): Promise<HistoryPage>;
  /** Only paths picked in a dialog or dropped onto the window are accepted. */
  uploadPaths(paths: string[], folderId: number, password?: string): Promise<Transfer[]>;
  /** Whether the largest of these files would upload within 1fichier's time limit at the recent speed. */
  uploadTimeCheck(paths: string[]): Promise<UploadTimeCheck>;
  /** Into `destDir` (picked in the dialog), or the download folder of the settings. */
  downloadFiles(urls: string[], destDir?: string): Promise<Transfer[]>;
  pauseTransfer(id: string): Promise<void>;
  resumeTransfer(id: string): Promise<void>;
  cancelTransfer(id: string): Promise<void>;
  retryTransfer(id: string): Promise<void>;
  pauseAll(): Promise<void>;
  resumeAll(): Promise<void>;
  clearFinished(): Promise<void>;
  showInFolder(id: string): Promise<void>;

  remoteUpload(urls: string[], folderId: number, headers?: Record<string, string>): Promise<RemoteJob>;
  /** This app's remote uploads and the account's made elsewhere (web console…). */
  listRemoteJobs(): Promise<RemoteJob[]>;
  /** Asks 1fichier again for what a remote upload could not fetch (a new job). */
  retryRemoteJob(id: number): Promise<RemoteJob>;
  /** Takes a remote upload off the list. */
  forgetRemoteJob(id: number): Promise<void>;

  /** Backups: a local folder kept on 1fichier, by schedule, watcher or "run now". */
  listBackups(): Promise<BackupJob[]>;
  /** Refused with `invalid_request` (and a message naming the field) when the spec is wrong. */
  addBackup(spec: BackupSpec): Promise<BackupJob>;
  updateBackup(id: string, spec: BackupSpec): Promise<BackupJob>;
  /** Forgets the job; never touches the files on 1fichier. */
  removeBackup(id: string): Promise<void>;
  /** A dry run: what a run would do now, changing nothing. */
  previewBackup(id: string): Promise<RunReport>;
  /** Starts a run; its progress comes as `backup` events. */
  runBackup(id: string): Promise<void>;
  setBackupPaused(id: string, paused: boolean): Promise<BackupJob>;

  /** The local server (stream links and the WebDAV drive): on or off, where, what it serves now. */
  serveStatus(): Promise<ServeStatus>;
  /** Turns it on or off and sets its options (kept across starts); the status after. */
  setServe(options: ServeOptions): Promise<ServeStatus>;
  /**
   * A link to the file (its 1fichier URL) on the local server, for a player; it keeps
   * working for days. Refused with `invalid_request` while the server is off.
   */
  streamLink(url: string): Promise<string>;
  /** Writes a `.strm` file per file of the folder (and its subfolders) into `dir`, for media servers. */
  exportStrm(folderId: number, dir: string): Promise<ExportReport>;
  /** Opens the WebDAV drive in the file manager (gio on Linux); elsewhere `message` says how. */
  mountDrive(): Promise<MountResult>;

  getSettings(): Promise<Settings>;
  saveSettings(settings: Settings): Promise<Settings>;

  /** Native file (or folder) picker; null when cancelled. */
  pickUploadPaths(folders: boolean): Promise<string[] | null>;
  /** Native directory picker; null when cancelled. */
  pickDirectory(purpose?: DirectoryPurpose): Promise<string | null>;

  /** Transfer progress, state changes, pacer waits, remote-upload results and backups. */
  subscribe(handler: (event: AppEvent) => void): Promise<Unsubscribe>;
  /** OS files dragged over the window; coordinates are CSS pixels. */
  onDrop(handler: (signal: DropSignal) => void): Promise<Unsubscribe>;
}

const CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** Turns anything a command rejected with into an AppError. */
export function toAppError(raw: unknown): AppError {
  if (raw && typeof raw === 'object' && 'code' in raw) {
    const r = raw as Partial<AppError> & { retry_after?: number };
    const code = CODES.has(String(r.code)) ? (r.code as ErrorCode) : 'protocol';
    return {
      code,
      message: String(r.message ?? ''),
      retryable: Boolean(r.retryable),
      retryAfter: r.retryAfter ?? r.retry_after,
    };
  }
  return { code: 'protocol', message: raw instanceof Error ? raw.message : String(raw), retryable: false };
}

export function isAppError(e: unknown): e is AppError {
  return !!e && typeof e === 'object' && 'code' in e && 'retryable' in e;
}
