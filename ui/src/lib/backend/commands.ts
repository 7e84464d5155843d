// Generated from the commands' Rust signatures (src-tauri/src/commands, rendered by
// src-tauri/src/ipc.rs). Do not edit: run
// `UPDATE_BINDINGS=1 cargo test -p fichier-desk bindings` after changing a command.
import type { Channel } from '@tauri-apps/api/core';
import type { AccountInfo, AccountSummary, BackupJob, BackupSpec, DirectoryPurpose, DownloadLink, ExportReport, FileAttributes, FileDetails, FolderListing, FtpAccount, HistoryPage, LinkReport, MountResult, RemoteJob, RunReport, ServeOptions, ServeStatus, SessionState, Settings, ShareResult, SubFolder, Transfer, TransferEvent, UploadTimeCheck } from './bindings';

/** Every command, with the names of its arguments in order. */
export const COMMANDS = {
  get_session: [],
  save_api_key: ['key', 'sessionOnly'],
  start_demo: [],
  forget_key: [],
  sign_out: [],
  get_account: [],
  set_use_cdn: ['on'],
  list_ftp_accounts: [],
  add_ftp_account: ['user', 'password', 'folderId'],
  remove_ftp_account: ['user'],
  check_links: ['text'],
  read_text_files: ['paths'],
  list_accounts: [],
  switch_account: ['id'],
  add_account: ['name', 'key', 'sessionOnly'],
  remove_account: ['id'],
  list_folder: ['folderId', 'force'],
  create_folder: ['parentId', 'name'],
  rename_folder: ['folderId', 'name'],
  move_folder: ['folderId', 'destinationId'],
  delete_folder: ['folderId'],
  rename_file: ['url', 'filename'],
  move_files: ['urls', 'destinationId'],
  copy_files: ['urls', 'destinationId'],
  delete_files: ['urls'],
  set_file_attributes: ['urls', 'attributes'],
  get_file_info: ['url'],
  share_folder: ['folderId', 'share', 'password'],
  get_download_link: ['url'],
  list_transfers: [],
  list_history: ['offset', 'limit'],
  upload_paths: ['paths', 'folderId', 'password'],
  upload_time_check: ['paths'],
  download_files: ['urls', 'destDir'],
  pause_transfer: ['id'],
  resume_transfer: ['id'],
  cancel_transfer: ['id'],
  retry_transfer: ['id'],
  pause_all: [],
  resume_all: [],
  clear_finished: [],
  show_in_folder: ['id'],
  subscribe_events: ['onEvent'],
  remote_upload: ['urls', 'folderId', 'headers'],
  list_remote_jobs: [],
  forget_remote_job: ['id'],
  retry_remote_job: ['id'],
  list_backups: [],
  add_backup: ['spec'],
  update_backup: ['id', 'spec'],
  remove_backup: ['id'],
  preview_backup: ['id'],
  run_backup: ['id'],
  set_backup_paused: ['id', 'paused'],
  get_settings: [],
  save_settings: ['settings'],
  pick_upload_paths: ['folders'],
  pick_directory: ['purpose'],
  serve_status: [],
  set_serve: ['options'],
  stream_link: ['url'],
  export_strm: ['folderId', 'dir'],
  mount_drive: [],
} as const;

export type CommandName = keyof typeof COMMANDS;

/** The method that calls each command. */
export const METHODS = {
  get_session: 'getSession',
  save_api_key: 'saveApiKey',
  start_demo: 'startDemo',
  forget_key: 'forgetKey',
  sign_out: 'signOut',
  get_account: 'getAccount',
  set_use_cdn: 'setUseCdn',
  list_ftp_accounts: 'listFtpAccounts',
  add_ftp_account: 'addFtpAccount',
  remove_ftp_account: 'removeFtpAccount',
  check_links: 'checkLinks',
  read_text_files: 'readTextFiles',
  list_accounts: 'listAccounts',
  switch_account: 'switchAccount',
  add_account: 'addAccount',
  remove_account: 'removeAccount',
  list_folder: 'listFolder',
  create_folder: 'createFolder',
  rename_folder: 'renameFolder',
  move_folder: 'moveFolder',
  delete_folder: 'deleteFolder',
  rename_file: 'renameFile',
  move_files: 'moveFiles',
  copy_files: 'copyFiles',
  delete_files: 'deleteFiles',
  set_file_attributes: 'setFileAttributes',
  get_file_info: 'getFileInfo',
  share_folder: 'shareFolder',
  get_download_link: 'getDownloadLink',
  list_transfers: 'listTransfers',
  list_history: 'listHistory',
  upload_paths: 'uploadPaths',
  upload_time_check: 'uploadTimeCheck',
  download_files: 'downloadFiles',
  pause_transfer: 'pauseTransfer',
  resume_transfer: 'resumeTransfer',
  cancel_transfer: 'cancelTransfer',
  retry_transfer: 'retryTransfer',
  pause_all: 'pauseAll',
  resume_all: 'resumeAll',
  clear_finished: 'clearFinished',
  show_in_folder: 'showInFolder',
  subscribe_events: 'subscribeEvents',
  remote_upload: 'remoteUpload',
  list_remote_jobs: 'listRemoteJobs',
  forget_remote_job: 'forgetRemoteJob',
  retry_remote_job: 'retryRemoteJob',
  list_backups: 'listBackups',
  add_backup: 'addBackup',
  update_backup: 'updateBackup',
  remove_backup: 'removeBackup',
  preview_backup: 'previewBackup',
  run_backup: 'runBackup',
  set_backup_paused: 'setBackupPaused',
  get_settings: 'getSettings',
  save_settings: 'saveSettings',
  pick_upload_paths: 'pickUploadPaths',
  pick_directory: 'pickDirectory',
  serve_status: 'serveStatus',
  set_serve: 'setServe',
  stream_link: 'streamLink',
  export_strm: 'exportStrm',
  mount_drive: 'mountDrive',
} as const satisfies Record<CommandName, keyof Commands>;

/** The commands as methods: `listFolder(folderId, force?)` calls `list_folder`. */
export interface Commands {
  getSession(): Promise<SessionState>;
  /**
   * Checks the key with 1fichier, stores it in the OS keychain (or keeps it for this
   * session only) as the default account's, and opens the account. The key never comes
   * back to the window.
   */
  saveApiKey(key: string, sessionOnly: boolean): Promise<AccountInfo>;
  startDemo(): Promise<void>;
  /**
   * Removes the shown account's key from the keychain and closes it (see
   * `remove_account`, which this is for the account shown).
   */
  forgetKey(): Promise<void>;
  /**
   * Closes the account shown (leaving the demo, or a key kept for this session only); the
   * keychain is left as it is. The window shows another open account, or the start screen.
   */
  signOut(): Promise<void>;
  getAccount(): Promise<AccountInfo>;
  /**
   * Turns 1fichier's "use CDN credit" setting on or off (one account call per 5 minutes:
   * this may wait, and the pacer says so while it does).
   */
  setUseCdn(on: boolean): Promise<AccountInfo>;
  /** The account's FTP sub-accounts. */
  listFtpAccounts(): Promise<Array<FtpAccount>>;
  /**
   * Creates an FTP sub-account whose uploads land in `folder_id`; the password goes to
   * 1fichier and is not kept.
   */
  addFtpAccount(user: string, password: string, folderId: number): Promise<Array<FtpAccount>>;
  removeFtpAccount(user: string): Promise<Array<FtpAccount>>;
  /**
   * Finds the 1fichier links in pasted text and checks each through the website's mass
   * check (100 per request, no API call).
   */
  checkLinks(text: string): Promise<Array<LinkReport>>;
  /**
   * The text of files dropped on the link checker (only paths the user dropped or picked
   * in this run; folders and files that are not text are refused by name).
   */
  readTextFiles(paths: Array<string>): Promise<string>;
  /**
   * Every account of this computer that has a key or is open, then the demo last. Each
   * open one keeps its transfers and backups going, whichever the window shows.
   */
  listAccounts(): Promise<Array<AccountSummary>>;
  /**
   * Shows the account `id`, opening it with its stored key (or starting the demo) when it
   * is not open yet. The account shown before keeps running.
   */
  switchAccount(id: string): Promise<SessionState>;
  /**
   * Adds the account `name` with `key`: checked with 1fichier, stored in the keychain
   * under its own entry (or kept for this session only), opened and shown.
   */
  addAccount(name: string, key: string, sessionOnly: boolean): Promise<AccountInfo>;
  /**
   * Removes the account `id`: its transfers stop (its queue file stays, so adding it again
   * resumes them), its key leaves the keychain and its name the list. The first account
   * keeps its place in the list with no key. Removing the demo ends it. When the keychain
   * can't be changed nothing is: the error says why.
   */
  removeAccount(id: string): Promise<SessionState>;
  /**
   * `force` comes from the refresh button; 1fichier's one-listing-per-30-s rule applies
   * either way, and `fromCache` tells the window when it did.
   */
  listFolder(folderId: number, force?: boolean): Promise<FolderListing>;
  createFolder(parentId: number, name: string): Promise<SubFolder>;
  renameFolder(folderId: number, name: string): Promise<void>;
  moveFolder(folderId: number, destinationId: number): Promise<void>;
  deleteFolder(folderId: number): Promise<void>;
  renameFile(url: string, filename: string): Promise<void>;
  moveFiles(urls: Array<string>, destinationId: number): Promise<void>;
  copyFiles(urls: Array<string>, destinationId: number): Promise<void>;
  deleteFiles(urls: Array<string>): Promise<void>;
  setFileAttributes(urls: Array<string>, attributes: FileAttributes): Promise<void>;
  getFileInfo(url: string): Promise<FileDetails>;
  shareFolder(folderId: number, share: boolean, password?: string): Promise<ShareResult>;
  getDownloadLink(url: string): Promise<DownloadLink>;
  /**
   * The queue of every open account, each transfer labelled with its account: what is
   * queued, running or paused, and failures not cleared yet. Finished transfers are read
   * from the history a page at a time (`list_history`).
   */
  listTransfers(): Promise<Array<Transfer>>;
  /**
   * `limit` (at most [`HISTORY_PAGE_MAX`]) finished transfers of every open account from
   * the `offset`-th most recent, with the size of the whole history.
   */
  listHistory(offset: number, limit: number): Promise<HistoryPage>;
  /** Only paths picked in a dialog or dropped onto the window are accepted. */
  uploadPaths(paths: Array<string>, folderId: number, password?: string): Promise<Array<Transfer>>;
  /**
   * Whether the largest of these files would finish within 1fichier's 4-hour upload
   * window at the upload speed measured recently (asked before a large upload starts).
   */
  uploadTimeCheck(paths: Array<string>): Promise<UploadTimeCheck>;
  /** Into `destDir` (picked in the dialog), or the download folder of the settings. */
  downloadFiles(urls: Array<string>, destDir?: string): Promise<Array<Transfer>>;
  pauseTransfer(id: string): Promise<void>;
  resumeTransfer(id: string): Promise<void>;
  cancelTransfer(id: string): Promise<void>;
  retryTransfer(id: string): Promise<void>;
  /** Pauses the transfers of every open account (the list shows them all). */
  pauseAll(): Promise<void>;
  resumeAll(): Promise<void>;
  clearFinished(): Promise<void>;
  /** Opens the system file manager on a finished download (or an upload's source). */
  showInFolder(id: string): Promise<void>;
  /** The window's event stream: progress, states, pacer waits and remote-upload results. */
  subscribeEvents(onEvent: Channel<TransferEvent>): Promise<void>;
  remoteUpload(urls: Array<string>, folderId: number, headers?: { [key in string]?: string }): Promise<RemoteJob>;
  /**
   * The account's remote uploads: this app's, and (looked up at most once a minute) those
   * made elsewhere, read from 1fichier.
   */
  listRemoteJobs(): Promise<Array<RemoteJob>>;
  /** Takes a remote upload off the list. */
  forgetRemoteJob(id: number): Promise<void>;
  /** Asks 1fichier again for what a remote upload could not fetch. */
  retryRemoteJob(id: number): Promise<RemoteJob>;
  /** Backups: a local folder kept on 1fichier, by schedule, watcher or "run now". */
  listBackups(): Promise<Array<BackupJob>>;
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
  getSettings(): Promise<Settings>;
  saveSettings(settings: Settings): Promise<Settings>;
  /** Native file (or folder) picker; null when cancelled. What is picked may be uploaded. */
  pickUploadPaths(folders: boolean): Promise<Array<string> | null>;
  /**
   * Native directory picker; null when cancelled. A folder picked to back up may be read,
   * any other may be written to.
   */
  pickDirectory(purpose?: DirectoryPurpose): Promise<string | null>;
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
}

/** The commands over an `invoke`, each passing its arguments by name. */
export function commandsOver(invoke: (command: CommandName, args: Record<string, unknown>) => Promise<unknown>): Commands {
  return {
    getSession: () => invoke('get_session', {}) as Promise<SessionState>,
    saveApiKey: (key: string, sessionOnly: boolean) => invoke('save_api_key', { key, sessionOnly }) as Promise<AccountInfo>,
    startDemo: () => invoke('start_demo', {}) as Promise<void>,
    forgetKey: () => invoke('forget_key', {}) as Promise<void>,
    signOut: () => invoke('sign_out', {}) as Promise<void>,
    getAccount: () => invoke('get_account', {}) as Promise<AccountInfo>,
    setUseCdn: (on: boolean) => invoke('set_use_cdn', { on }) as Promise<AccountInfo>,
    listFtpAccounts: () => invoke('list_ftp_accounts', {}) as Promise<Array<FtpAccount>>,
    addFtpAccount: (user: string, password: string, folderId: number) => invoke('add_ftp_account', { user, password, folderId }) as Promise<Array<FtpAccount>>,
    removeFtpAccount: (user: string) => invoke('remove_ftp_account', { user }) as Promise<Array<FtpAccount>>,
    checkLinks: (text: string) => invoke('check_links', { text }) as Promise<Array<LinkReport>>,
    readTextFiles: (paths: Array<string>) => invoke('read_text_files', { paths }) as Promise<string>,
    listAccounts: () => invoke('list_accounts', {}) as Promise<Array<AccountSummary>>,
    switchAccount: (id: string) => invoke('switch_account', { id }) as Promise<SessionState>,
    addAccount: (name: string, key: string, sessionOnly: boolean) => invoke('add_account', { name, key, sessionOnly }) as Promise<AccountInfo>,
    removeAccount: (id: string) => invoke('remove_account', { id }) as Promise<SessionState>,
    listFolder: (folderId: number, force?: boolean) => invoke('list_folder', { folderId, force }) as Promise<FolderListing>,
    createFolder: (parentId: number, name: string) => invoke('create_folder', { parentId, name }) as Promise<SubFolder>,
    renameFolder: (folderId: number, name: string) => invoke('rename_folder', { folderId, name }) as Promise<void>,
    moveFolder: (folderId: number, destinationId: number) => invoke('move_folder', { folderId, destinationId }) as Promise<void>,
    deleteFolder: (folderId: number) => invoke('delete_folder', { folderId }) as Promise<void>,
    renameFile: (url: string, filename: string) => invoke('rename_file', { url, filename }) as Promise<void>,
    moveFiles: (urls: Array<string>, destinationId: number) => invoke('move_files', { urls, destinationId }) as Promise<void>,
    copyFiles: (urls: Array<string>, destinationId: number) => invoke('copy_files', { urls, destinationId }) as Promise<void>,
    deleteFiles: (urls: Array<string>) => invoke('delete_files', { urls }) as Promise<void>,
    setFileAttributes: (urls: Array<string>, attributes: FileAttributes) => invoke('set_file_attributes', { urls, attributes }) as Promise<void>,
    getFileInfo: (url: string) => invoke('get_file_info', { url }) as Promise<FileDetails>,
    shareFolder: (folderId: number, share: boolean, password?: string) => invoke('share_folder', { folderId, share, password }) as Promise<ShareResult>,
    getDownloadLink: (url: string) => invoke('get_download_link', { url }) as Promise<DownloadLink>,
    listTransfers: () => invoke('list_transfers', {}) as Promise<Array<Transfer>>,
    listHistory: (offset: number, limit: number) => invoke('list_history', { offset, limit }) as Promise<HistoryPage>,
    uploadPaths: (paths: Array<string>, folderId: number, password?: string) => invoke('upload_paths', { paths, folderId, password }) as Promise<Array<Transfer>>,
    uploadTimeCheck: (paths: Array<string>) => invoke('upload_time_check', { paths }) as Promise<UploadTimeCheck>,
    downloadFiles: (urls: Array<string>, destDir?: string) => invoke('download_files', { urls, destDir }) as Promise<Array<Transfer>>,
    pauseTransfer: (id: string) => invoke('pause_transfer', { id }) as Promise<void>,
    resumeTransfer: (id: string) => invoke('resume_transfer', { id }) as Promise<void>,
    cancelTransfer: (id: string) => invoke('cancel_transfer', { id }) as Promise<void>,
    retryTransfer: (id: string) => invoke('retry_transfer', { id }) as Promise<void>,
    pauseAll: () => invoke('pause_all', {}) as Promise<void>,
    resumeAll: () => invoke('resume_all', {}) as Promise<void>,
    clearFinished: () => invoke('clear_finished', {}) as Promise<void>,
    showInFolder: (id: string) => invoke('show_in_folder', { id }) as Promise<void>,
    subscribeEvents: (onEvent: Channel<TransferEvent>) => invoke('subscribe_events', { onEvent }) as Promise<void>,
    remoteUpload: (urls: Array<string>, folderId: number, headers?: { [key in string]?: string }) => invoke('remote_upload', { urls, folderId, headers }) as Promise<RemoteJob>,
    listRemoteJobs: () => invoke('list_remote_jobs', {}) as Promise<Array<RemoteJob>>,
    forgetRemoteJob: (id: number) => invoke('forget_remote_job', { id }) as Promise<void>,
    retryRemoteJob: (id: number) => invoke('retry_remote_job', { id }) as Promise<RemoteJob>,
    listBackups: () => invoke('list_backups', {}) as Promise<Array<BackupJob>>,
    addBackup: (spec: BackupSpec) => invoke('add_backup', { spec }) as Promise<BackupJob>,
    updateBackup: (id: string, spec: BackupSpec) => invoke('update_backup', { id, spec }) as Promise<BackupJob>,
    removeBackup: (id: string) => invoke('remove_backup', { id }) as Promise<void>,
    previewBackup: (id: string) => invoke('preview_backup', { id }) as Promise<RunReport>,
    runBackup: (id: string) => invoke('run_backup', { id }) as Promise<void>,
    setBackupPaused: (id: string, paused: boolean) => invoke('set_backup_paused', { id, paused }) as Promise<BackupJob>,
    getSettings: () => invoke('get_settings', {}) as Promise<Settings>,
    saveSettings: (settings: Settings) => invoke('save_settings', { settings }) as Promise<Settings>,
    pickUploadPaths: (folders: boolean) => invoke('pick_upload_paths', { folders }) as Promise<Array<string> | null>,
    pickDirectory: (purpose?: DirectoryPurpose) => invoke('pick_directory', { purpose }) as Promise<string | null>,
    serveStatus: () => invoke('serve_status', {}) as Promise<ServeStatus>,
    setServe: (options: ServeOptions) => invoke('set_serve', { options }) as Promise<ServeStatus>,
    streamLink: (url: string) => invoke('stream_link', { url }) as Promise<string>,
    exportStrm: (folderId: number, dir: string) => invoke('export_strm', { folderId, dir }) as Promise<ExportReport>,
    mountDrive: () => invoke('mount_drive', {}) as Promise<MountResult>,
  };
}
