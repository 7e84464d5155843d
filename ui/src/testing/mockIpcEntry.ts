// Entry of mock-ipc.html, used by the browser test suite only. It fakes the Tauri
// runtime with `mockIPC`, answering each command from the in-memory FakeBackend, so the
// app runs its real TauriBackend (invoke, Channel, listen) end to end.
import { mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import { FakeBackend } from '../lib/backend/fake/fakeBackend';
import type { DirectoryPurpose } from '../lib/backend';
import type { AppEvent } from '../lib/backend/types';

type Args = Record<string, any>;

const params = new URLSearchParams(window.location.search);
const fake = new FakeBackend({
  signedIn: params.has('signedIn'),
  keychainAvailable: params.get('keychain') !== 'off',
  // `?accounts=2`: a second account, "Work", with files of its own, has its key stored.
  accounts: Number(params.get('accounts') ?? 1),
  latency: [5, 20],
  autoFlood: false,
  baseSpeedBps: Number(params.get('speed') ?? 1_500_000),
});
const large = Number(params.get('large') ?? 0);
const past = Number(params.get('history') ?? 0);
if (past > 0) fake.addHistory(past);
const largeId = large > 0 ? fake.addLargeFolder(`Large folder (${large})`, large) : null;
// `?streams`: the local server is on and two players are reading from it.
if (params.has('streams')) {
  fake.serve.set({ enabled: true, lan: false, readOnly: false, port: 0 });
  fake.serve.addStream('conference-talk.mkv', '127.0.0.1 · VLC/3.0.20 LibVLC/3.0.20', 3_100_000, 612_000_000);
  fake.serve.addStream('01 - Overture.flac', '192.168.1.34 · Kodi/21.0 (Linux; Android 12)', 180_000, 9_400_000);
}

const commands: Record<string, (a: Args) => unknown> = {
  get_session: () => fake.getSession(),
  save_api_key: (a) => fake.saveApiKey(a.key, a.sessionOnly),
  start_demo: () => fake.startDemo(),
  forget_key: () => fake.forgetKey(),
  sign_out: () => fake.leaveDemo(),
  list_accounts: () => fake.listAccounts(),
  switch_account: (a) => fake.switchAccount(a.id),
  add_account: (a) => fake.addAccount(a.name, a.key, a.sessionOnly),
  remove_account: (a) => fake.removeAccount(a.id),
  get_account: () => fake.getAccount(),
  set_use_cdn: (a) => fake.setUseCdn(a.on),
  list_ftp_accounts: () => fake.listFtpAccounts(),
  add_ftp_account: (a) => fake.addFtpAccount(a.user, a.password, a.folderId),
  remove_ftp_account: (a) => fake.removeFtpAccount(a.user),
  check_links: (a) => fake.checkLinks(a.text),
  read_text_files: (a) => fake.readTextFiles(a.paths),
  upload_time_check: (a) => fake.uploadTimeCheck(a.paths),
  list_folder: (a) => fake.listFolder(a.folderId, a.force),
  create_folder: (a) => fake.createFolder(a.parentId, a.name),
  rename_folder: (a) => fake.renameFolder(a.folderId, a.name),
  move_folder: (a) => fake.moveFolder(a.folderId, a.destinationId),
  delete_folder: (a) => fake.deleteFolder(a.folderId),
  rename_file: (a) => fake.renameFile(a.url, a.filename),
  move_files: (a) => fake.moveFiles(a.urls, a.destinationId),
  copy_files: (a) => fake.copyFiles(a.urls, a.destinationId),
  delete_files: (a) => fake.deleteFiles(a.urls),
  set_file_attributes: (a) => fake.setFileAttributes(a.urls, a.attributes),
  get_file_info: (a) => fake.getFileInfo(a.url),
  share_folder: (a) => fake.shareFolder(a.folderId, a.share, a.password),
  get_download_link: (a) => fake.getDownloadLink(a.url),
  list_transfers: () => fake.listTransfers(),
  list_history: (a) => fake.listHistory(a.offset, a.limit),
  upload_paths: (a) => fake.uploadPaths(a.paths, a.folderId, a.password),
  download_files: (a) => fake.downloadFiles(a.urls, a.destDir),
  pause_transfer: (a) => fake.pauseTransfer(a.id),
  resume_transfer: (a) => fake.resumeTransfer(a.id),
  cancel_transfer: (a) => fake.cancelTransfer(a.id),
  retry_transfer: (a) => fake.retryTransfer(a.id),
  pause_all: () => fake.pauseAll(),
  resume_all: () => fake.resumeAll(),
  clear_finished: () => fake.clearFinished(),
  show_in_folder: (a) => fake.showInFolder(a.id),
  remote_upload: (a) => fake.remoteUpload(a.urls, a.folderId, a.headers),
  list_remote_jobs: () => fake.listRemoteJobs(),
  retry_remote_job: (a) => fake.retryRemoteJob(a.id),
  forget_remote_job: (a) => fake.forgetRemoteJob(a.id),
  backup_list: () => fake.listBackups(),
  backup_add: (a) => fake.addBackup(a.spec),
  backup_update: (a) => fake.updateBackup(a.id, a.spec),
  backup_remove: (a) => fake.removeBackup(a.id),
  backup_preview: (a) => fake.previewBackup(a.id),
  backup_run: (a) => fake.runBackup(a.id),
  backup_set_paused: (a) => fake.setBackupPaused(a.id, a.paused),
  serve_status: () => fake.serveStatus(),
  set_serve: (a) => fake.setServe(a.options),
  stream_link: (a) => fake.streamLink(a.url),
  export_strm: (a) => fake.exportStrm(a.folderId, a.dir),
  mount_drive: () => fake.mountDrive(),
  get_settings: () => fake.getSettings(),
  save_settings: (a) => fake.saveSettings(a.settings),
  pick_upload_paths: (a) => fake.pickUploadPaths(a.folders),
  pick_directory: (a) => fake.pickDirectory((a as { purpose?: DirectoryPurpose } | undefined)?.purpose),
  subscribe_events: (a) => {
    const channel = a.onEvent as { id: number };
    let index = 0;
    const internals = (window as any).__TAURI_INTERNALS__;
    return fake.subscribe((message: AppEvent) => {
      internals.runCallback(channel.id, { message, index: index++ });
    }).then(() => null);
  },
};

const calls: { cmd: string; args: Args }[] = [];

/**
 * Commands held back, as 1fichier (or the pacer spacing the calls) can keep one waiting:
 * `hold(cmd)` makes its next calls wait until `release(cmd)`, which runs them, or
 * `release(cmd, error)`, which makes them fail with that error instead.
 */
const held = new Map<string, { gate: Promise<unknown>; open: (error?: unknown) => void }>();
function hold(cmd: string): void {
  if (held.has(cmd)) return;
  let open: (error?: unknown) => void = () => {};
  const gate = new Promise<unknown>((resolve) => { open = resolve; });
  held.set(cmd, { gate, open });
}
function release(cmd: string, error?: unknown): void {
  held.get(cmd)?.open(error);
  held.delete(cmd);
}

mockWindows('main');
mockIPC(
  (cmd, args) => {
    calls.push({ cmd, args: (args ?? {}) as Args });
    const handler = commands[cmd];
    if (!handler) return Promise.reject({ code: 'protocol', message: `unknown command ${cmd}`, retryable: false });
    const waiting = held.get(cmd);
    if (waiting) {
      return waiting.gate.then((error) => (error ? Promise.reject(error) : handler((args ?? {}) as Args)));
    }
    return handler((args ?? {}) as Args);
  },
  { shouldMockEvents: true },
);

function emit(event: string, payload: unknown) {
  return (window as any).__TAURI_INTERNALS__.invoke('plugin:event|emit', { event, payload });
}

/** Test controls: what Rust would do on its own (window events, flood waits). */
(window as any).__harness = {
  fake,
  largeId,
  calls,
  dragEnter: (x: number, y: number, paths: string[]) => emit('tauri://drag-enter', { paths, position: { x, y } }),
  dragOver: (x: number, y: number) => emit('tauri://drag-over', { position: { x, y } }),
  // As the shell does, the dropped paths are granted before the window hears of the drop.
  drop: (x: number, y: number, paths: string[]) => {
    fake.grantDropped(paths);
    return emit('tauri://drag-drop', { paths, position: { x, y } });
  },
  dragLeave: () => emit('tauri://drag-leave', null),
  flood: (seconds: number) => fake.triggerFlood(seconds),
  hold,
  release,
};

await import('../main');
