// An in-memory Backend that behaves like the real one closely enough to build and test
// the UI without Tauri: a folder tree with files of many types, a listing cache with the
// 30-second rule, transfers that advance over time and honour the concurrency and
// bandwidth settings, a flood wait, remote uploads, backups, the local server (stream
// links, the drive, .strm exports), the account with its notices and FTP accounts, the
// link check, the upload time check, and the errors 1fichier gives.
//
// Several accounts can be open at once (fake/accounts.ts keeps their list): each has its
// own files, listing cache, remote uploads, backups and account facts, and the window
// shows one. Transfers are labelled with the account shown when they were made, and keep
// going whichever account is shown.
//
// The parts are modules of their own, joined here: state.ts (what they share), sessions.ts
// (the session and the accounts), files.ts (folders and files), transfers.ts, remote.ts,
// settings.ts (settings and dialogs), and beside them account.ts, backups.ts, serve.ts,
// links.ts and uploadTime.ts.
import type { Backend, DirectoryPurpose, DropSignal, Unsubscribe } from '../backend';
import type {
  AccountInfo,
  AccountSummary,
  AppEvent,
  BackupJob,
  BackupSpec,
  DownloadLink,
  ExportReport,
  FileAttributes,
  FileDetails,
  FileEntry,
  FolderListing,
  FtpAccount,
  HistoryPage,
  LinkReport,
  MountResult,
  RemoteJob,
  RunReport,
  ServeOptions,
  ServeStatus,
  SessionState,
  Settings,
  ShareResult,
  SubFolder,
  Transfer,
  UploadTimeCheck,
} from '../types';
import { MAIN_ID, MAIN_KEY, WORK_EMAIL, WORK_KEY } from './accounts';
import { notGranted } from './grants';
import { FakeServe, type ExportFile } from './serve';
import type { FakeAccount } from './account';
import { checkText } from './links';
import { FakeState, type FakeOptions, err } from './state';
import { FakeSessions } from './sessions';
import { FakeFiles } from './files';
import { FakeTransfers } from './transfers';
import { FakeRemote } from './remote';
import { FakeSettings } from './settings';

export type { FakeOptions } from './state';
export { sizeFromName } from './names';

export class FakeBackend implements Backend {
  readonly kind = 'fake' as const;
  private dropHandlers = new Set<(s: DropSignal) => void>();
  /** What the parts share: the options, the open accounts and the shown one, the settings, the flood wait. */
  private readonly s: FakeState;
  private readonly sessions: FakeSessions;
  private readonly files: FakeFiles;
  private readonly transfers: FakeTransfers;
  private readonly remote: FakeRemote;
  /** The settings and the file dialogs. */
  private readonly prefs: FakeSettings;
  /** The local server; tests and the harness drive it directly (`takePort`, `addStream`…). */
  readonly serve: FakeServe;

  constructor(options: FakeOptions = {}) {
    this.s = new FakeState(options);
    this.transfers = new FakeTransfers(this.s);
    this.sessions = new FakeSessions(this.s, this.transfers, options.keychainAvailable ?? true);
    this.files = new FakeFiles(this.s);
    this.remote = new FakeRemote(this.s);
    this.prefs = new FakeSettings(this.s, this.transfers);
    this.serve = new FakeServe(() => this.s.floodUntil);
    if (options.signedIn) {
      const main = this.sessions.registry.get(MAIN_ID)!;
      Object.assign(main, { key: MAIN_KEY, stored: true, email: 'demo@example.org' });
      this.sessions.openWorld(MAIN_ID);
    }
    if ((options.accounts ?? 1) >= 2) {
      this.sessions.registry.keep({ id: 'work', name: 'Work', email: WORK_EMAIL, key: WORK_KEY, stored: true });
      // Every account with a stored key opens at start; the first one is shown.
      this.sessions.openWorld('work', !options.signedIn);
    }
  }

  /** The shown account, its notices and FTP accounts; tests and the harness set its flags (`set`). */
  get account(): FakeAccount { return this.s.account; }

  // ——— test and demo hooks (not part of Backend) ———

  /** Starts a flood wait now, as if 1fichier had answered "Flood detected". */
  triggerFlood(seconds: number): void { this.transfers.triggerFlood(seconds); }

  /** The account's offer from now on (a free account cannot ask for remote uploads). */
  setOffer(offer: AccountInfo['offer']): void {
    this.account.set({ offer });
  }

  /** Creates a folder holding `count` files under the root and returns its id. */
  addLargeFolder(name: string, count: number): number { return this.files.addLargeFolder(name, count); }

  /** Simulates OS files dragged over the window (browser demo and tests). */
  simulateDrop(signal: DropSignal): void {
    if (signal.kind === 'drop') this.grantDropped(signal.paths);
    for (const h of this.dropHandlers) h(signal);
  }

  /** What the shell records when files are dropped onto the window. */
  grantDropped(paths: string[]): void {
    this.s.grants.allowRead(paths);
  }

  /** Adds `count` finished transfers to the history, as a long-used queue has. */
  addHistory(count: number): void { this.transfers.addHistory(count); }

  // ——— session ———

  getSession(): Promise<SessionState> { return this.sessions.getSession(); }
  saveApiKey(key: string, sessionOnly: boolean): Promise<AccountInfo> { return this.sessions.saveApiKey(key, sessionOnly); }
  startDemo(): Promise<void> { return this.sessions.startDemo(); }
  forgetKey(): Promise<void> { return this.sessions.forgetKey(); }
  signOut(): Promise<void> { return this.sessions.signOut(); }

  // ——— accounts ———

  listAccounts(): Promise<AccountSummary[]> { return this.sessions.listAccounts(); }
  switchAccount(id: string): Promise<SessionState> { return this.sessions.switchAccount(id); }
  addAccount(name: string, key: string, sessionOnly: boolean): Promise<AccountInfo> {
    return this.sessions.addAccount(name, key, sessionOnly);
  }
  removeAccount(id: string): Promise<SessionState> { return this.sessions.removeAccount(id); }

  async getAccount(): Promise<AccountInfo> {
    await this.s.delay();
    this.s.requireKey();
    return this.sessions.getAccountNow();
  }

  async setUseCdn(on: boolean): Promise<AccountInfo> {
    await this.s.delay();
    this.s.requireKey();
    // The shell waits for the 5-minute rule; the fake for a moment only.
    await new Promise((r) => setTimeout(r, this.account.cdnDelayMs));
    return this.account.setUseCdn(on);
  }

  async listFtpAccounts(): Promise<FtpAccount[]> {
    await this.s.delay();
    this.s.requireKey();
    return this.account.listFtp();
  }

  async addFtpAccount(user: string, password: string, folderId: number): Promise<FtpAccount[]> {
    await this.s.delay(150, 400);
    this.s.requireKey();
    return this.account.addFtp(user, password, folderId);
  }

  async removeFtpAccount(user: string): Promise<FtpAccount[]> {
    await this.s.delay(150, 400);
    this.s.requireKey();
    return this.account.removeFtp(user);
  }

  // ——— link check ———

  async checkLinks(text: string): Promise<LinkReport[]> {
    // The website answers 100 links a request.
    await this.s.delay(200, 500);
    this.s.requireKey();
    if (this.s.floodUntil > Date.now()) {
      throw err('flood', 'Flood detected: IP Locked #374', true, Math.ceil((this.s.floodUntil - Date.now()) / 1000));
    }
    const files = new Map<string, FileEntry>();
    for (const f of this.s.folders.values()) for (const file of f.files) files.set(file.url, file);
    return checkText(text, files);
  }

  async readTextFiles(paths: string[]): Promise<string> {
    await this.s.delay(20, 60);
    if (!paths.every((p) => this.s.grants.canRead(p))) throw notGranted();
    // No disk here: a dropped `.txt` file holds one link named after it.
    return paths
      .map((p) => {
        const name = p.split('/').pop() ?? p;
        if (!/\.(txt|csv|md|list)$/i.test(name)) {
          throw err('invalid_request', `${name} is not a text file`);
        }
        const id = name.replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9]/g, '').padEnd(5, '0').slice(0, 20);
        return `https://1fichier.com/?${id}\n`;
      })
      .join('');
  }

  // ——— folders and files ———

  listFolder(folderId: number, force = false): Promise<FolderListing> { return this.files.listFolder(folderId, force); }
  createFolder(parentId: number, name: string): Promise<SubFolder> { return this.files.createFolder(parentId, name); }
  renameFolder(folderId: number, name: string): Promise<void> { return this.files.renameFolder(folderId, name); }
  moveFolder(folderId: number, destinationId: number): Promise<void> {
    return this.files.moveFolder(folderId, destinationId);
  }
  deleteFolder(folderId: number): Promise<void> { return this.files.deleteFolder(folderId); }
  renameFile(url: string, filename: string): Promise<void> { return this.files.renameFile(url, filename); }
  moveFiles(urls: string[], destinationId: number): Promise<void> { return this.files.moveFiles(urls, destinationId); }
  copyFiles(urls: string[], destinationId: number): Promise<void> { return this.files.copyFiles(urls, destinationId); }
  deleteFiles(urls: string[]): Promise<void> { return this.files.deleteFiles(urls); }
  setFileAttributes(urls: string[], attributes: FileAttributes): Promise<void> {
    return this.files.setFileAttributes(urls, attributes);
  }
  getFileInfo(url: string): Promise<FileDetails> { return this.files.getFileInfo(url); }
  shareFolder(folderId: number, share: boolean, password?: string): Promise<ShareResult> {
    return this.files.shareFolder(folderId, share, password);
  }
  getDownloadLink(url: string): Promise<DownloadLink> { return this.files.getDownloadLink(url); }

  // ——— transfers ———

  listTransfers(): Promise<Transfer[]> { return this.transfers.listTransfers(); }
  listHistory(offset: number, limit: number): Promise<HistoryPage> { return this.transfers.listHistory(offset, limit); }
  uploadPaths(paths: string[], folderId: number, password?: string): Promise<Transfer[]> {
    return this.transfers.uploadPaths(paths, folderId, password);
  }
  uploadTimeCheck(paths: string[]): Promise<UploadTimeCheck> { return this.transfers.uploadTimeCheck(paths); }
  downloadFiles(urls: string[], destDir?: string): Promise<Transfer[]> {
    return this.transfers.downloadFiles(urls, destDir);
  }
  pauseTransfer(id: string): Promise<void> { return this.transfers.pauseTransfer(id); }
  resumeTransfer(id: string): Promise<void> { return this.transfers.resumeTransfer(id); }
  cancelTransfer(id: string): Promise<void> { return this.transfers.cancelTransfer(id); }
  retryTransfer(id: string): Promise<void> { return this.transfers.retryTransfer(id); }
  pauseAll(): Promise<void> { return this.transfers.pauseAll(); }
  resumeAll(): Promise<void> { return this.transfers.resumeAll(); }
  clearFinished(): Promise<void> { return this.transfers.clearFinished(); }
  showInFolder(id: string): Promise<void> { return this.transfers.showInFolder(id); }

  // ——— remote upload ———

  remoteUpload(urls: string[], folderId: number, headers?: Record<string, string>): Promise<RemoteJob> {
    return this.remote.remoteUpload(urls, folderId, headers);
  }
  listRemoteJobs(): Promise<RemoteJob[]> { return this.remote.listRemoteJobs(); }
  retryRemoteJob(id: number): Promise<RemoteJob> { return this.remote.retryRemoteJob(id); }
  forgetRemoteJob(id: number): Promise<void> { return this.remote.forgetRemoteJob(id); }

  // ——— backups ———

  async listBackups(): Promise<BackupJob[]> {
    await this.s.delay(20, 80);
    this.s.requireKey();
    return this.s.backups.list();
  }

  async addBackup(spec: BackupSpec): Promise<BackupJob> {
    await this.s.delay();
    this.s.requireKey();
    return this.s.backups.add(spec);
  }

  async updateBackup(id: string, spec: BackupSpec): Promise<BackupJob> {
    await this.s.delay();
    this.s.requireKey();
    return this.s.backups.update(id, spec);
  }

  async removeBackup(id: string): Promise<void> {
    await this.s.delay();
    this.s.backups.remove(id);
  }

  async previewBackup(id: string): Promise<RunReport> {
    // Reading the folder and comparing with 1fichier takes a moment.
    await this.s.delay(300, 600);
    this.s.requireKey();
    return this.s.backups.preview(id);
  }

  async runBackup(id: string): Promise<void> {
    await this.s.delay(20, 80);
    this.s.requireKey();
    this.s.backups.run(id);
  }

  async setBackupPaused(id: string, paused: boolean): Promise<BackupJob> {
    await this.s.delay(20, 80);
    return this.s.backups.setPaused(id, paused);
  }

  // ——— the local server ———

  async serveStatus(): Promise<ServeStatus> {
    await this.s.delay(5, 20);
    return this.serve.status();
  }

  async setServe(options: ServeOptions): Promise<ServeStatus> {
    // Binding a port (or letting it go) takes a moment.
    await this.s.delay(40, 120);
    return this.serve.set(options);
  }

  async streamLink(url: string): Promise<string> {
    await this.s.delay(10, 40);
    const { file } = this.s.findFile(url);
    return this.serve.link(url, file.filename);
  }

  async exportStrm(folderId: number, dir: string): Promise<ExportReport> {
    await this.s.delay(200, 500);
    this.s.requireKey();
    this.s.folder(folderId);
    if (!this.s.grants.canWrite(dir, this.s.settings.downloadDir)) throw notGranted();
    const files: ExportFile[] = [];
    let folders = 0;
    const walk = (id: number, path: string) => {
      const f = this.s.folder(id);
      folders++;
      for (const file of f.files) {
        files.push({ url: file.url, folderPath: path, media: /^(video|audio)\//.test(file.contentType) });
      }
      for (const c of this.s.children(id)) walk(c.id, path ? `${path}/${c.name}` : c.name);
    };
    walk(folderId, '');
    return this.serve.export(dir, folderId, files, folders);
  }

  async mountDrive(): Promise<MountResult> {
    await this.s.delay(150, 400);
    return this.serve.mount();
  }

  // ——— settings and dialogs ———

  getSettings(): Promise<Settings> { return this.prefs.getSettings(); }
  saveSettings(settings: Settings): Promise<Settings> { return this.prefs.saveSettings(settings); }
  pickUploadPaths(folders: boolean): Promise<string[] | null> { return this.prefs.pickUploadPaths(folders); }
  pickDirectory(purpose?: DirectoryPurpose): Promise<string | null> { return this.prefs.pickDirectory(purpose); }

  // ——— events ———

  async subscribe(handler: (event: AppEvent) => void): Promise<Unsubscribe> {
    this.s.handlers.add(handler);
    if (this.s.floodUntil > Date.now()) {
      handler({ type: 'pacerWait', reason: 'flood', waitSeconds: Math.ceil((this.s.floodUntil - Date.now()) / 1000) });
    }
    return () => this.s.handlers.delete(handler);
  }

  async onDrop(handler: (signal: DropSignal) => void): Promise<Unsubscribe> {
    this.dropHandlers.add(handler);
    return () => this.dropHandlers.delete(handler);
  }
}
