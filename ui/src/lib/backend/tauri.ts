// The Backend over Tauri IPC: commands through `invoke`, the event stream through a
// `Channel` (high rate), drag-and-drop through the window's `tauri://drag-*` events.
import { Channel, invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { Backend, DirectoryPurpose, DropSignal, Unsubscribe } from './backend';
import { toAppError } from './backend';
import type {
  AccountInfo,
  AccountSummary,
  AppEvent,
  BackupJob,
  BackupSpec,
  RunReport,
  DownloadLink,
  DragDropPayload,
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
  ExportReport,
  MountResult,
  ServeOptions,
  ServeStatus,
  UploadTimeCheck,
} from './types';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toAppError(e);
  }
}

function toCss(p: DragDropPayload): { x: number; y: number } {
  const ratio = window.devicePixelRatio || 1;
  return { x: (p.position?.x ?? 0) / ratio, y: (p.position?.y ?? 0) / ratio };
}

export class TauriBackend implements Backend {
  readonly kind = 'tauri' as const;

  getSession() { return call<SessionState>('get_session'); }
  saveApiKey(key: string, sessionOnly: boolean) { return call<AccountInfo>('save_api_key', { key, sessionOnly }); }
  startDemo() { return call<void>('start_demo'); }
  forgetKey() { return call<void>('forget_key'); }
  // `sign_out` closes the session only: whatever the keychain holds stays there.
  leaveDemo() { return call<void>('sign_out'); }
  listAccounts() { return call<AccountSummary[]>('list_accounts'); }
  switchAccount(id: string) { return call<SessionState>('switch_account', { id }); }
  addAccount(name: string, key: string, sessionOnly: boolean) { return call<AccountInfo>('add_account', { name, key, sessionOnly }); }
  removeAccount(id: string) { return call<SessionState>('remove_account', { id }); }
  getAccount() { return call<AccountInfo>('get_account'); }
  setUseCdn(on: boolean) { return call<AccountInfo>('set_use_cdn', { on }); }
  listFtpAccounts() { return call<FtpAccount[]>('list_ftp_accounts'); }
  addFtpAccount(user: string, password: string, folderId: number) { return call<FtpAccount[]>('add_ftp_account', { user, password, folderId }); }
  removeFtpAccount(user: string) { return call<FtpAccount[]>('remove_ftp_account', { user }); }
  checkLinks(text: string) { return call<LinkReport[]>('check_links', { text }); }
  readTextFiles(paths: string[]) { return call<string>('read_text_files', { paths }); }

  listFolder(folderId: number, force = false) { return call<FolderListing>('list_folder', { folderId, force }); }
  createFolder(parentId: number, name: string) { return call<SubFolder>('create_folder', { parentId, name }); }
  renameFolder(folderId: number, name: string) { return call<void>('rename_folder', { folderId, name }); }
  moveFolder(folderId: number, destinationId: number) { return call<void>('move_folder', { folderId, destinationId }); }
  deleteFolder(folderId: number) { return call<void>('delete_folder', { folderId }); }
  renameFile(url: string, filename: string) { return call<void>('rename_file', { url, filename }); }
  moveFiles(urls: string[], destinationId: number) { return call<void>('move_files', { urls, destinationId }); }
  copyFiles(urls: string[], destinationId: number) { return call<void>('copy_files', { urls, destinationId }); }
  deleteFiles(urls: string[]) { return call<void>('delete_files', { urls }); }
  setFileAttributes(urls: string[], attributes: FileAttributes) { return call<void>('set_file_attributes', { urls, attributes }); }
  getFileInfo(url: string) { return call<FileDetails>('get_file_info', { url }); }
  shareFolder(folderId: number, share: boolean, password?: string) { return call<ShareResult>('share_folder', { folderId, share, password }); }
  getDownloadLink(url: string) { return call<DownloadLink>('get_download_link', { url }); }

  listTransfers() { return call<Transfer[]>('list_transfers'); }
  listHistory(offset: number, limit: number) { return call<HistoryPage>('list_history', { offset, limit }); }
  uploadPaths(paths: string[], folderId: number, password?: string) { return call<Transfer[]>('upload_paths', { paths, folderId, password }); }
  uploadTimeCheck(paths: string[]) { return call<UploadTimeCheck>('upload_time_check', { paths }); }
  downloadFiles(urls: string[], destDir?: string) { return call<Transfer[]>('download_files', { urls, destDir }); }
  pauseTransfer(id: string) { return call<void>('pause_transfer', { id }); }
  resumeTransfer(id: string) { return call<void>('resume_transfer', { id }); }
  cancelTransfer(id: string) { return call<void>('cancel_transfer', { id }); }
  retryTransfer(id: string) { return call<void>('retry_transfer', { id }); }
  pauseAll() { return call<void>('pause_all'); }
  resumeAll() { return call<void>('resume_all'); }
  clearFinished() { return call<void>('clear_finished'); }
  showInFolder(id: string) { return call<void>('show_in_folder', { id }); }

  remoteUpload(urls: string[], folderId: number, headers?: Record<string, string>) { return call<RemoteJob>('remote_upload', { urls, folderId, headers }); }
  listRemoteJobs() { return call<RemoteJob[]>('list_remote_jobs'); }
  retryRemoteJob(id: number) { return call<RemoteJob>('retry_remote_job', { id }); }
  forgetRemoteJob(id: number) { return call<void>('forget_remote_job', { id }); }

  listBackups() { return call<BackupJob[]>('backup_list'); }
  addBackup(spec: BackupSpec) { return call<BackupJob>('backup_add', { spec }); }
  updateBackup(id: string, spec: BackupSpec) { return call<BackupJob>('backup_update', { id, spec }); }
  removeBackup(id: string) { return call<void>('backup_remove', { id }); }
  previewBackup(id: string) { return call<RunReport>('backup_preview', { id }); }
  runBackup(id: string) { return call<void>('backup_run', { id }); }
  setBackupPaused(id: string, paused: boolean) { return call<BackupJob>('backup_set_paused', { id, paused }); }

  serveStatus() { return call<ServeStatus>('serve_status'); }
  setServe(options: ServeOptions) { return call<ServeStatus>('set_serve', { options }); }
  streamLink(url: string) { return call<string>('stream_link', { url }); }
  exportStrm(folderId: number, dir: string) { return call<ExportReport>('export_strm', { folderId, dir }); }
  mountDrive() { return call<MountResult>('mount_drive'); }

  getSettings() { return call<Settings>('get_settings'); }
  saveSettings(settings: Settings) { return call<Settings>('save_settings', { settings }); }

  pickUploadPaths(folders: boolean) { return call<string[] | null>('pick_upload_paths', { folders }); }
  pickDirectory(purpose?: DirectoryPurpose) { return call<string | null>('pick_directory', { purpose }); }

  async subscribe(handler: (event: AppEvent) => void): Promise<Unsubscribe> {
    const channel = new Channel<AppEvent>();
    channel.onmessage = handler;
    await call<void>('subscribe_events', { onEvent: channel });
    return () => { channel.onmessage = () => {}; };
  }

  async onDrop(handler: (signal: DropSignal) => void): Promise<Unsubscribe> {
    const offs = await Promise.all([
      listen<DragDropPayload>('tauri://drag-enter', (e) => handler({ kind: 'enter', ...toCss(e.payload) })),
      listen<DragDropPayload>('tauri://drag-over', (e) => handler({ kind: 'over', ...toCss(e.payload) })),
      listen<DragDropPayload>('tauri://drag-drop', (e) =>
        handler({ kind: 'drop', ...toCss(e.payload), paths: e.payload.paths ?? [] }),
      ),
      listen('tauri://drag-leave', () => handler({ kind: 'leave' })),
    ]);
    return () => offs.forEach((off) => off());
  }
}
