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
import type { Backend, DirectoryPurpose, DropSignal, Unsubscribe } from '../backend';
import type {
  AccountInfo,
  AccountSummary,
  AppError,
  AppEvent,
  BackupJob,
  BackupSpec,
  DownloadLink,
  ErrorCode,
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
import { toFichierDate } from '../../time';
import { seedDemoTree, seedWorkTree, type FakeFolder, fakeUrl, contentTypeFor, fakeChecksum, Rng } from './seed';
import { DEMO_ID, FakeRegistry, MAIN_ID, MAIN_KEY, WORK_EMAIL, WORK_KEY, checkedKey, emailForKey } from './accounts';
import { FakeGrants, notGranted } from './grants';
import { beyondBounds, historyPage, isFinishedState, pastTransfers } from './history';
import { FakeBackups } from './backups';
import { FakeServe, type ExportFile } from './serve';
import { FakeAccount } from './account';
import { checkText } from './links';
import { checkSizes, recentUploadSpeed } from './uploadTime';
import { LIMITS } from '../types';

/** A remote upload made in the web console months ago: one URL fetched, one refused. */
const ACCOUNT_JOB: RemoteJob = {
  id: 3_100_007,
  folderId: 0,
  requestDate: '2024-11-02 09:14:03',
  executionDate: '2024-11-02 09:15:40',
  urls: ['https://mirror.example.org/iso/debian-12.5.0-amd64-netinst.iso', 'https://old.example.net/missing/archive.tar'],
  results: [
    { url: 'https://mirror.example.org/iso/debian-12.5.0-amd64-netinst.iso', status: 'ok', downloadLink: 'https://1fichier.com/?demo0000remote00001' },
    { url: 'https://old.example.net/missing/archive.tar', status: 'ko', message: 'Remote server answered 404' },
  ],
};

export interface FakeOptions {
  /** Start with a key already saved (skips onboarding). */
  signedIn?: boolean;
  keychainAvailable?: boolean;
  /** Milliseconds added to every command (a range: [min, max]). */
  latency?: [number, number];
  /** Simulated wall-clock tick for transfers, in ms. */
  tickMs?: number;
  /** A flood wait a few seconds after the first upload batch (the browser demo). */
  autoFlood?: boolean;
  /** Base speed of a transfer in bytes per second. */
  baseSpeedBps?: number;
  /** 2: a second account ("Work", with files of its own) has its key stored too. */
  accounts?: number;
}

/** What belongs to one open account. */
interface World {
  id: string;
  folders: Map<number, FakeFolder>;
  listedAt: Map<number, number>;
  /**
   * Folders made here that their parent's listing shows without a date: as in the app,
   * where 1fichier's mkdir answer has none and the cached listing gets the new folder
   * without one, until the parent is listed from 1fichier again.
   */
  undated: Set<number>;
  remoteJobs: RemoteJob[];
  accountJobsListed: boolean;
  forgottenRemote: Set<number>;
  backups: FakeBackups;
  account: FakeAccount;
}

const LISTING_INTERVAL_S = 30;

function err(code: ErrorCode, message: string, retryable = false, retryAfter?: number): AppError {
  return { code, message, retryable, retryAfter };
}

interface TransferSim extends Transfer {
  /** Its account is closed: kept for when it opens again, listed and run by nobody. */
  parked?: boolean;
  /** Fails with this error when progress passes this fraction. */
  failAt?: { fraction: number; error: AppError };
  password?: string;
  verifyLeftMs?: number;
  /** Cleared from the list, still in the history. */
  hidden?: boolean;
}

export class FakeBackend implements Backend {
  readonly kind = 'fake' as const;
  private nextFolderId = 30_000_000;
  private transfers = new Map<string, TransferSim>();
  private nextTransfer = 1;
  private handlers = new Set<(e: AppEvent) => void>();
  private dropHandlers = new Set<(s: DropSignal) => void>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private floodUntil = 0;
  private floodTimer: ReturnType<typeof setTimeout> | null = null;
  private autoFloodDone = false;
  private rng = new Rng(7);
  private grants = new FakeGrants();
  private keychainAvailable: boolean;
  /** The accounts of this computer. */
  private registry = new FakeRegistry();
  /** The open accounts, by id, in the order they were opened. */
  private worlds = new Map<string, World>();
  /** The account the window shows. */
  private shownId: string | null = null;
  /** What the window sees with no account open. */
  private none: World | null = null;
  /** The local server; tests and the harness drive it directly (`takePort`, `addStream`…). */
  readonly serve: FakeServe;
  private settings: Settings = {
    downloadDir: '/home/demo/Downloads',
    concurrency: LIMITS.defaultConcurrency,
    connections: LIMITS.defaultConnections,
    bandwidthLimitBps: null,
    notifications: true,
    theme: 'system',
    language: 'en',
    historyMaxItems: 1000,
    historyMaxDays: 90,
  };

  constructor(private options: FakeOptions = {}) {
    this.keychainAvailable = options.keychainAvailable ?? true;
    this.serve = new FakeServe(() => this.floodUntil);
    if (options.signedIn) {
      const main = this.registry.get(MAIN_ID)!;
      Object.assign(main, { key: MAIN_KEY, stored: true, email: 'demo@example.org' });
      this.openWorld(MAIN_ID);
    }
    if ((options.accounts ?? 1) >= 2) {
      this.registry.keep({ id: 'work', name: 'Work', email: WORK_EMAIL, key: WORK_KEY, stored: true });
      // Every account with a stored key opens at start; the first one is shown.
      this.openWorld('work', !options.signedIn);
    }
  }

  // ——— the shown account's parts ———

  private get world(): World {
    const shown = this.shownId ? this.worlds.get(this.shownId) : undefined;
    if (shown) return shown;
    this.none ??= this.makeWorld('', []);
    return this.none;
  }

  /** The shown account, its notices and FTP accounts; tests and the harness set its flags (`set`). */
  get account(): FakeAccount { return this.world.account; }
  private get folders() { return this.world.folders; }
  private get listedAt() { return this.world.listedAt; }
  private get undated() { return this.world.undated; }
  private get backups() { return this.world.backups; }
  private get remoteJobs() { return this.world.remoteJobs; }
  private set remoteJobs(jobs: RemoteJob[]) { this.world.remoteJobs = jobs; }
  private get accountJobsListed() { return this.world.accountJobsListed; }
  private set accountJobsListed(v: boolean) { this.world.accountJobsListed = v; }
  private get forgottenRemote() { return this.world.forgottenRemote; }

  /** The first account and the demo have the demo's files; any other the studio's. */
  private makeWorld(id: string, seed: FakeFolder[], other?: ConstructorParameters<typeof FakeAccount>[3]): World {
    const folders = new Map(seed.map((f) => [f.id, f]));
    const demoLike = !other;
    const usedBytes = () => {
      let used = 0;
      for (const f of folders.values()) for (const file of f.files) used += file.size;
      return used;
    };
    return {
      id,
      folders,
      listedAt: new Map(),
      undated: new Set(),
      remoteJobs: [],
      // Only the demo's account has a job made elsewhere.
      accountJobsListed: !demoLike,
      forgottenRemote: new Set(),
      backups: new FakeBackups((job) => this.emit({ type: 'backup', job }), this.options.tickMs ?? 250, demoLike),
      account: new FakeAccount(usedBytes, (fid) => folders.has(fid), Date.now(), other),
    };
  }

  /** Opens the account `id` (its transfers left parked go on) and shows it unless told not to. */
  private openWorld(id: string, show = true): World {
    let world = this.worlds.get(id);
    if (!world) {
      const entry = this.registry.get(id);
      const other = id === MAIN_ID || id === DEMO_ID
        ? undefined
        : {
            facts: {
              email: entry?.email ?? WORK_EMAIL, offer: 'gold' as const, coldStorageTotal: 20 * 1024 ** 4, hotStorageUsed: 410 * 1024 ** 3,
              cdnCreditGb: 0, subscriptionEnd: toFichierDate(Date.now() + 200 * 86_400_000),
            },
            ftp: [{ user: 'editing-suite', folderId: 31000004 }],
          };
      world = this.makeWorld(id, other ? seedWorkTree() : seedDemoTree(), other);
      this.worlds.set(id, world);
      for (const t of this.transfers.values()) if (t.account === id) t.parked = false;
      this.schedule();
    }
    if (show) this.shownId = id;
    return world;
  }

  /**
   * Closes the account `id`: its transfers stop and wait for it to open again (the demo's
   * are gone with it). The window then shows another open account, real ones first.
   */
  private closeWorld(id: string): void {
    const world = this.worlds.get(id);
    if (!world) return;
    world.backups.stopAll();
    this.worlds.delete(id);
    for (const t of [...this.transfers.values()]) {
      if (t.account !== id) continue;
      if (id === DEMO_ID) {
        this.transfers.delete(t.id);
        continue;
      }
      if (t.state === 'running') {
        // 1fichier has no partial upload: it starts again from zero.
        if (t.kind === 'upload') t.bytesDone = 0;
        t.state = 'queued';
      }
      t.phase = undefined;
      t.speedBps = 0;
      t.etaSeconds = undefined;
      t.parked = true;
    }
    if (this.shownId === id) {
      const open = [...this.worlds.keys()];
      this.shownId = open.find((x) => x !== DEMO_ID) ?? open[0] ?? null;
    }
    this.schedule();
  }

  /** Transfers of the open accounts. */
  private live(): TransferSim[] {
    return [...this.transfers.values()].filter((t) => !t.parked);
  }

  // ——— test and demo hooks (not part of Backend) ———

  /** Starts a flood wait now, as if 1fichier had answered "Flood detected". */
  triggerFlood(seconds: number): void {
    this.floodUntil = Date.now() + seconds * 1000;
    this.emit({ type: 'pacerWait', reason: 'flood', waitSeconds: seconds });
    for (const t of this.live()) {
      if (t.state === 'queued' || (t.state === 'running' && t.bytesDone === 0)) this.setPhase(t, 'waitingFlood');
    }
    if (this.floodTimer) clearTimeout(this.floodTimer);
    this.floodTimer = setTimeout(() => {
      this.floodUntil = 0;
      this.emit({ type: 'pacerWait', reason: 'flood', waitSeconds: 0 });
      for (const t of this.live()) if (t.phase === 'waitingFlood') this.setPhase(t, undefined);
      this.schedule();
    }, seconds * 1000);
  }

  /** The account's offer from now on (a free account cannot ask for remote uploads). */
  setOffer(offer: AccountInfo['offer']): void {
    this.account.set({ offer });
  }

  /** Creates a folder holding `count` files under the root and returns its id. */
  addLargeFolder(name: string, count: number): number {
    const id = this.nextFolderId++;
    const files: FileEntry[] = [];
    const rng = new Rng(count);
    const exts = ['jpg', 'png', 'mp4', 'pdf', 'zip', 'txt', 'mkv', 'flac', 'docx', 'iso'];
    for (let i = 0; i < count; i++) {
      const ext = exts[i % exts.length];
      const filename = `item-${String(i + 1).padStart(5, '0')}.${ext}`;
      files.push(this.makeFile(filename, Math.floor(rng.next() * 2e9), toFichierDate(Date.UTC(2024, 0, 1) + i * 3_600_000), rng));
    }
    this.folders.set(id, { id, name, parentId: 0, createDate: '2024-01-01 10:00:00', pass: false, files });
    return id;
  }

  /** Simulates OS files dragged over the window (browser demo and tests). */
  simulateDrop(signal: DropSignal): void {
    if (signal.kind === 'drop') this.grantDropped(signal.paths);
    for (const h of this.dropHandlers) h(signal);
  }

  /** What the shell records when files are dropped onto the window. */
  grantDropped(paths: string[]): void {
    this.grants.allowRead(paths);
  }

  /** Adds `count` finished transfers to the history, as a long-used queue has. */
  addHistory(count: number): void {
    for (const t of pastTransfers(count)) this.transfers.set(t.id, { ...t, hidden: true, account: this.shownId ?? undefined });
    this.trimHistory();
  }

  // ——— session ———

  async getSession(): Promise<SessionState> {
    await this.delay();
    return this.sessionNow();
  }

  private sessionNow(): SessionState {
    const shown = this.shownId;
    return {
      hasKey: shown != null,
      demo: shown === DEMO_ID,
      keychainAvailable: this.keychainAvailable,
      ...(shown != null ? { account: shown } : {}),
    };
  }

  /** Onboarding: the key becomes the first account's, which opens and shows. */
  async saveApiKey(key: string, sessionOnly: boolean): Promise<AccountInfo> {
    await this.delay(300, 700);
    const k = checkedKey(key);
    if (!sessionOnly && !this.keychainAvailable) {
      throw err('keychain_unavailable', 'The system keychain is locked or unavailable');
    }
    const main = this.registry.get(MAIN_ID)!;
    Object.assign(main, { key: k, stored: !sessionOnly || main.stored, email: 'demo@example.org' });
    // A new key for an open account: its session starts again with it.
    if (this.worlds.has(MAIN_ID)) this.shownId = MAIN_ID;
    else this.openWorld(MAIN_ID);
    return this.getAccountNow();
  }

  async startDemo(): Promise<void> {
    await this.delay();
    this.openWorld(DEMO_ID);
  }

  /** Removes the shown account (as `removeAccount` of it). */
  async forgetKey(): Promise<void> {
    await this.delay();
    if (this.shownId) this.dropAccount(this.shownId);
  }

  /** The shell's `sign_out`: the shown account closes, no stored key is removed. */
  async leaveDemo(): Promise<void> {
    await this.delay();
    if (this.shownId) this.closeWorld(this.shownId);
  }

  // ——— accounts ———

  async listAccounts(): Promise<AccountSummary[]> {
    await this.delay(10, 40);
    const line = (id: string, name: string, email: string | undefined, demo: boolean): AccountSummary => {
      const mine = this.live().filter((t) => t.account === id && !t.hidden && !isFinishedState(t.state));
      return {
        id, name, ...(email ? { email } : {}), demo, open: this.worlds.has(id), shown: this.shownId === id,
        transfers: mine.length, running: mine.filter((t) => t.state === 'running').length,
      };
    };
    return [
      ...this.registry.entries.filter((e) => e.stored || this.worlds.has(e.id)).map((e) => line(e.id, e.name, e.email, false)),
      line(DEMO_ID, 'Demo', undefined, true),
    ];
  }

  async switchAccount(id: string): Promise<SessionState> {
    await this.delay(40, 120);
    if (id !== DEMO_ID && !this.worlds.has(id)) {
      const entry = this.registry.get(id);
      if (!entry) throw err('not_found', `No account "${id}" on this computer.`);
      if (!entry.stored) {
        throw err('key_missing', `No API key is stored for "${entry.name}" any more. Remove the account and add it again with its key.`);
      }
    }
    this.openWorld(id);
    return this.sessionNow();
  }

  async addAccount(name: string, key: string, sessionOnly: boolean): Promise<AccountInfo> {
    await this.delay(300, 700);
    const k = checkedKey(key);
    const entry = this.registry.make(name);
    const same = this.registry.holding(k, emailForKey(k));
    if (same) {
      const email = same.email ?? emailForKey(k);
      throw err('name_conflict', `This key is the account "${same.name}" (${email}), already in the list.`);
    }
    if (!sessionOnly && !this.keychainAvailable) {
      throw err('keychain_unavailable', 'The system keychain is locked or unavailable');
    }
    Object.assign(entry, { key: k, stored: !sessionOnly, email: emailForKey(k) });
    this.registry.keep(entry);
    this.openWorld(entry.id);
    return this.getAccountNow();
  }

  async removeAccount(id: string): Promise<SessionState> {
    await this.delay(40, 120);
    if (id !== DEMO_ID && !this.registry.get(id)) throw err('not_found', `No account "${id}" on this computer.`);
    this.dropAccount(id);
    return this.sessionNow();
  }

  private dropAccount(id: string): void {
    this.closeWorld(id);
    if (id !== DEMO_ID) this.registry.remove(id);
  }

  async getAccount(): Promise<AccountInfo> {
    await this.delay();
    this.requireKey();
    return this.getAccountNow();
  }

  private getAccountNow(): AccountInfo {
    return this.account.info();
  }

  async setUseCdn(on: boolean): Promise<AccountInfo> {
    await this.delay();
    this.requireKey();
    // The shell waits for the 5-minute rule; the fake for a moment only.
    await new Promise((r) => setTimeout(r, this.account.cdnDelayMs));
    return this.account.setUseCdn(on);
  }

  async listFtpAccounts(): Promise<FtpAccount[]> {
    await this.delay();
    this.requireKey();
    return this.account.listFtp();
  }

  async addFtpAccount(user: string, password: string, folderId: number): Promise<FtpAccount[]> {
    await this.delay(150, 400);
    this.requireKey();
    return this.account.addFtp(user, password, folderId);
  }

  async removeFtpAccount(user: string): Promise<FtpAccount[]> {
    await this.delay(150, 400);
    this.requireKey();
    return this.account.removeFtp(user);
  }

  // ——— link check ———

  async checkLinks(text: string): Promise<LinkReport[]> {
    // The website answers 100 links a request.
    await this.delay(200, 500);
    this.requireKey();
    if (this.floodUntil > Date.now()) {
      throw err('flood', 'Flood detected: IP Locked #374', true, Math.ceil((this.floodUntil - Date.now()) / 1000));
    }
    const files = new Map<string, FileEntry>();
    for (const f of this.folders.values()) for (const file of f.files) files.set(file.url, file);
    return checkText(text, files);
  }

  async readTextFiles(paths: string[]): Promise<string> {
    await this.delay(20, 60);
    if (!paths.every((p) => this.grants.canRead(p))) throw notGranted();
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

  async listFolder(folderId: number, force = false): Promise<FolderListing> {
    await this.delay(120, 400);
    this.requireKey();
    await this.waitFlood();
    const folder = this.folder(folderId);
    const now = Date.now();
    const last = this.listedAt.get(folderId);
    let fromCache = false;
    let ageSeconds = 0;
    if (last != null && now - last < LISTING_INTERVAL_S * 1000) {
      // One listing per folder per 30 s: a refresh inside that window is served from cache.
      // As in the app, our own changes (renames, moves, new folders, uploads…) are folded
      // into the cached listing rather than starting a new window: the answer shows them
      // and still says it came from the cache.
      fromCache = true;
      ageSeconds = Math.floor((now - last) / 1000);
      if (force) this.emit({ type: 'pacerWait', reason: 'listing', waitSeconds: 0 });
    } else {
      this.listedAt.set(folderId, now);
      if (force) for (const c of this.children(folderId)) this.undated.delete(c.id);
    }
    return {
      folder: {
        id: folder.id, name: folder.name, parentId: folder.parentId, createDate: folder.createDate,
        shared: folder.shared, pass: folder.pass,
      },
      subFolders: this.children(folderId).map((c) => ({ id: c.id, name: c.name, createDate: this.undated.has(c.id) ? '' : c.createDate, pass: c.pass })),
      files: folder.files.map((f) => ({ ...f })),
      fromCache,
      ageSeconds,
    };
  }

  async createFolder(parentId: number, name: string): Promise<SubFolder> {
    await this.delay();
    this.requireKey();
    this.folder(parentId);
    const clean = checkedName(name);
    if (this.children(parentId).some((c) => c.name === clean)) throw err('name_conflict', 'Folder already exists');
    const id = this.nextFolderId++;
    const createDate = toFichierDate(Date.now());
    this.folders.set(id, { id, name: clean, parentId, createDate, pass: false, files: [] });
    this.undated.add(id);
    return { id, name: clean, createDate: '', pass: false };
  }

  async renameFolder(folderId: number, name: string): Promise<void> {
    await this.delay();
    const f = this.folder(folderId);
    const clean = checkedName(name);
    if (this.children(f.parentId ?? 0).some((c) => c.name === clean && c.id !== folderId)) {
      throw err('name_conflict', 'Folder already exists');
    }
    f.name = clean;
  }

  async moveFolder(folderId: number, destinationId: number): Promise<void> {
    await this.delay();
    const f = this.folder(folderId);
    this.folder(destinationId);
    for (let p: number | undefined = destinationId; p != null; p = this.folders.get(p)?.parentId) {
      if (p === folderId) throw err('not_allowed', 'Cannot move a folder into itself');
    }
    if (this.children(destinationId).some((c) => c.name === f.name)) throw err('name_conflict', 'Folder already exists');
    const from = f.parentId ?? 0;
    f.parentId = destinationId;
  }

  async deleteFolder(folderId: number): Promise<void> {
    await this.delay();
    const f = this.folder(folderId);
    if (folderId === 0) throw err('not_allowed', 'Resource not allowed #631');
    if (f.files.length > 0 || this.children(folderId).length > 0) {
      throw err('folder_not_empty', 'Folder is not empty');
    }
    this.folders.delete(folderId);
  }

  async renameFile(url: string, filename: string): Promise<void> {
    await this.delay();
    const { file, folder } = this.findFile(url);
    const clean = checkedName(filename);
    if (clean === file.filename) throw err('protocol', 'No file has been renamed #312');
    file.filename = clean;
    file.contentType = contentTypeFor(clean);
  }

  async moveFiles(urls: string[], destinationId: number): Promise<void> {
    await this.delay();
    const dest = this.folder(destinationId);
    for (const url of urls) {
      const { file, folder } = this.findFile(url);
      if (folder.id === destinationId) continue;
      folder.files = folder.files.filter((f) => f !== file);
      dest.files.push(file);
    }
  }

  async copyFiles(urls: string[], destinationId: number): Promise<void> {
    await this.delay();
    const dest = this.folder(destinationId);
    for (const url of urls) {
      const { file } = this.findFile(url);
      dest.files.push({ ...file, url: fakeUrl(this.rng), date: toFichierDate(Date.now()) });
    }
  }

  async deleteFiles(urls: string[]): Promise<void> {
    await this.delay();
    for (const url of urls) {
      const { folder, file } = this.findFile(url);
      folder.files = folder.files.filter((f) => f !== file);
    }
  }

  async setFileAttributes(urls: string[], attributes: FileAttributes): Promise<void> {
    await this.delay();
    if (attributes.password && attributes.password.length < LIMITS.minPasswordChars) {
      throw err('invalid_request', `a password needs at least ${LIMITS.minPasswordChars} characters`);
    }
    for (const url of urls) {
      const { file, folder } = this.findFile(url);
      if (attributes.password !== undefined) file.pass = attributes.password !== '';
      if (attributes.description !== undefined) (file as FileEntry & { description?: string }).description = attributes.description;
    }
  }

  async getFileInfo(url: string): Promise<FileDetails> {
    await this.delay();
    const { file, folder } = this.findFile(url);
    if (file.filename.includes('owner-locked')) throw err('owner_locked', 'Owner locked #620');
    return {
      ...file,
      folderId: folder.id,
      path: this.pathOf(folder.id),
      description: (file as FileEntry & { description?: string }).description ?? '',
      inline: false,
      noSsl: false,
    };
  }

  async shareFolder(folderId: number, share: boolean, password?: string): Promise<ShareResult> {
    await this.delay();
    const f = this.folder(folderId);
    if (password && password.length < LIMITS.minPasswordChars) throw err('invalid_request', `a password needs at least ${LIMITS.minPasswordChars} characters`);
    f.shared = share ? `https://1fichier.com/dir/${fakeUrl(this.rng).slice(-8)}` : undefined;
    f.pass = share && !!password;
    return { url: f.shared };
  }

  async getDownloadLink(url: string): Promise<DownloadLink> {
    await this.delay();
    const { file } = this.findFile(url);
    if (this.account.offer === 'free') throw err('not_customer', 'Must be a customer (Premium, Access) #200');
    if (file.filename.includes('owner-locked')) throw err('owner_locked', 'Owner locked #620');
    return { url: `https://a-7.1fichier.com/c${Math.floor(this.rng.next() * 1e9)}`, expiresInSeconds: 300 };
  }

  // ——— transfers ———

  async listTransfers(): Promise<Transfer[]> {
    await this.delay(20, 60);
    return this.live()
      .filter((t) => !t.hidden && (!isFinishedState(t.state) || t.state === 'failed'))
      .map(publicTransfer);
  }

  async listHistory(offset: number, limit: number): Promise<HistoryPage> {
    await this.delay(20, 60);
    this.requireKey();
    return historyPage(this.live(), offset, limit, publicTransfer);
  }

  async uploadPaths(paths: string[], folderId: number, password?: string): Promise<Transfer[]> {
    await this.delay();
    this.requireKey();
    this.folder(folderId);
    if (password && password.length < LIMITS.minPasswordChars) throw err('invalid_request', `a password needs at least ${LIMITS.minPasswordChars} characters`);
    if (paths.length === 0) throw err('not_allowed', 'Nothing to upload.');
    if (!paths.every((p) => this.grants.canRead(p))) throw notGranted();
    const created: Transfer[] = [];
    for (const path of expandPaths(paths)) {
      const name = path.split(/[\\/]/).pop() || path;
      const size = sizeFromName(name);
      const t: TransferSim = {
        id: `t${this.nextTransfer++}`, kind: 'upload', name, folderId, localPath: path,
        state: 'queued', bytesDone: 0, bytesTotal: size, speedBps: 0, password, account: this.shownId ?? undefined,
      };
      if (size === 0) t.failAt = { fraction: 0, error: err('file_empty', 'The file is empty') };
      if (/unstable|flaky/i.test(name)) t.failAt = { fraction: 0.55, error: err('network', 'Connection reset by peer', true) };
      if (/huge/i.test(name)) t.failAt = { fraction: 0, error: err('file_too_large', 'File larger than the 300 GB limit') };
      this.transfers.set(t.id, t);
      this.emit({ type: 'state', transfer: publicTransfer(t) });
      created.push(publicTransfer(t));
    }
    this.schedule();
    if (this.options.autoFlood && !this.autoFloodDone) {
      this.autoFloodDone = true;
      setTimeout(() => this.triggerFlood(20), 4000);
    }
    return created;
  }

  /** At the speed measured on the fake's uploads, or else the speed its line is simulated at. */
  async uploadTimeCheck(paths: string[]): Promise<UploadTimeCheck> {
    await this.delay(20, 80);
    this.requireKey();
    if (paths.length === 0) throw err('not_allowed', 'Nothing to upload.');
    if (!paths.every((p) => this.grants.canRead(p))) throw notGranted();
    const files = expandPaths(paths).map((path) => ({ path, size: sizeFromName(path.split(/[\\/]/).pop() || path) }));
    const line = Math.min(this.options.baseSpeedBps ?? 6 * 1024 * 1024, this.settings.bandwidthLimitBps ?? Infinity);
    return checkSizes(files, recentUploadSpeed(this.live()) ?? line);
  }

  async downloadFiles(urls: string[], destDir?: string): Promise<Transfer[]> {
    await this.delay();
    this.requireKey();
    const created: Transfer[] = [];
    const dir = destDir || this.settings.downloadDir;
    if (!this.grants.canWrite(dir, this.settings.downloadDir)) throw notGranted();
    for (const url of urls) {
      const { file, folder } = this.findFile(url);
      const t: TransferSim = {
        id: `t${this.nextTransfer++}`, kind: 'download', name: file.filename, folderId: folder.id, url,
        localPath: `${dir}/${file.filename}`, state: 'queued', bytesDone: 0, bytesTotal: file.size, speedBps: 0,
        account: this.shownId ?? undefined,
      };
      if (file.pass) t.failAt = { fraction: 0, error: err('password_required', 'Password not provided. Resource not allowed #631') };
      if (file.filename.includes('owner-locked')) t.failAt = { fraction: 0, error: err('owner_locked', 'Owner locked #620') };
      this.transfers.set(t.id, t);
      this.emit({ type: 'state', transfer: publicTransfer(t) });
      created.push(publicTransfer(t));
    }
    this.schedule();
    return created;
  }

  async pauseTransfer(id: string): Promise<void> {
    await this.delay(20, 80);
    const t = this.transfer(id);
    if (t.state === 'queued' || t.state === 'running') this.setState(t, 'paused');
    this.schedule();
  }

  async resumeTransfer(id: string): Promise<void> {
    await this.delay(20, 80);
    const t = this.transfer(id);
    if (t.state === 'paused') {
      // 1fichier has no partial upload: a paused upload starts again from zero.
      if (t.kind === 'upload') t.bytesDone = 0;
      this.setState(t, 'queued');
    }
    this.schedule();
  }

  async cancelTransfer(id: string): Promise<void> {
    await this.delay(20, 80);
    const t = this.transfer(id);
    if (t.state !== 'done' && t.state !== 'cancelled') {
      t.finishedAt = Date.now();
      this.setState(t, 'cancelled');
    }
    this.schedule();
  }

  async retryTransfer(id: string): Promise<void> {
    await this.delay(20, 80);
    const t = this.transfer(id);
    if (t.state === 'failed' || t.state === 'cancelled') {
      t.error = undefined;
      t.failAt = undefined;
      t.finishedAt = undefined;
      t.hidden = false;
      if (t.kind === 'upload') t.bytesDone = 0;
      this.setState(t, 'queued');
    }
    this.schedule();
  }

  async pauseAll(): Promise<void> {
    await this.delay(20, 80);
    for (const t of this.live()) if (t.state === 'queued' || t.state === 'running') this.setState(t, 'paused');
  }

  async resumeAll(): Promise<void> {
    await this.delay(20, 80);
    for (const t of this.live()) {
      if (t.state === 'paused') {
        if (t.kind === 'upload') t.bytesDone = 0;
        this.setState(t, 'queued');
      }
    }
    this.schedule();
  }

  async clearFinished(): Promise<void> {
    await this.delay(20, 80);
    // Off the list; they stay in the history.
    const ids: string[] = [];
    for (const t of this.live()) {
      if (isFinishedState(t.state) && !t.hidden) {
        t.hidden = true;
        ids.push(t.id);
      }
    }
    if (ids.length) this.emit({ type: 'removed', ids });
  }

  async showInFolder(id: string): Promise<void> {
    await this.delay(20, 80);
    this.transfer(id);
  }

  // ——— remote upload ———

  async remoteUpload(urls: string[], folderId: number, headers?: Record<string, string>): Promise<RemoteJob> {
    await this.delay();
    this.requireKey();
    // 1fichier takes remote uploads from paying accounts only ("Must be a customer").
    if (this.account.offer === 'free') {
      throw err('not_customer', 'This needs a paying 1fichier account (Premium, Access or CDN credit). Upgrade your account or use a key from a premium account.');
    }
    this.folder(folderId);
    void headers;
    const clean = urls.map((u) => u.trim()).filter(Boolean);
    if (clean.length === 0) throw err('invalid_request', 'give at least one URL to fetch');
    const job: RemoteJob = {
      id: 4_000_000 + this.remoteJobs.length + 1,
      folderId,
      requestDate: toFichierDate(Date.now()),
      urls: clean,
      results: clean.map((url) => ({ url, status: 'pending' })),
    };
    this.remoteJobs.unshift(job);
    setTimeout(() => this.runRemote(job), 2500);
    return structuredClone(job);
  }

  private runRemote(job: RemoteJob): void {
    job.executionDate = toFichierDate(Date.now());
    const dest = this.folders.get(job.folderId) ?? this.folder(0);
    job.results = job.urls.map((url) => {
      if (!/^https?:\/\/[^\s/]+\.[^\s]+/.test(url)) return { url, status: 'ko', message: 'Invalid URL' };
      if (/404|missing|fail/i.test(url)) return { url, status: 'ko', message: 'Remote server answered 404' };
      const name = decodeURIComponent(url.split('?')[0].split('/').pop() || 'download.bin') || 'download.bin';
      const file = this.makeFile(name, sizeFromName(name), toFichierDate(Date.now()), this.rng);
      dest.files.push(file);
      return { url, status: 'ok', downloadLink: file.url };
    });
    this.emit({ type: 'remoteResult', job: structuredClone(job) });
  }

  async listRemoteJobs(): Promise<RemoteJob[]> {
    await this.delay();
    this.requireKey();
    // The account's jobs made elsewhere (here: the one the demo ran long ago) are listed too.
    if (!this.accountJobsListed) {
      this.accountJobsListed = true;
      if (!this.forgottenRemote.has(ACCOUNT_JOB.id)) this.remoteJobs.push(structuredClone(ACCOUNT_JOB));
    }
    return structuredClone(this.remoteJobs);
  }

  async retryRemoteJob(id: number): Promise<RemoteJob> {
    await this.delay();
    const job = this.remoteJobs.find((j) => j.id === id);
    if (!job) throw err('invalid_request', `no remote upload ${id}`);
    const failed = job.results.filter((r) => r.status === 'ko').map((r) => r.url);
    const again = await this.remoteUpload(failed.length ? failed : job.urls, job.folderId);
    await this.forgetRemoteJob(id);
    return again;
  }

  async forgetRemoteJob(id: number): Promise<void> {
    await this.delay();
    this.forgottenRemote.add(id);
    this.remoteJobs = this.remoteJobs.filter((j) => j.id !== id);
  }

  // ——— backups ———

  async listBackups(): Promise<BackupJob[]> {
    await this.delay(20, 80);
    this.requireKey();
    return this.backups.list();
  }

  async addBackup(spec: BackupSpec): Promise<BackupJob> {
    await this.delay();
    this.requireKey();
    return this.backups.add(spec);
  }

  async updateBackup(id: string, spec: BackupSpec): Promise<BackupJob> {
    await this.delay();
    this.requireKey();
    return this.backups.update(id, spec);
  }

  async removeBackup(id: string): Promise<void> {
    await this.delay();
    this.backups.remove(id);
  }

  async previewBackup(id: string): Promise<RunReport> {
    // Reading the folder and comparing with 1fichier takes a moment.
    await this.delay(300, 600);
    this.requireKey();
    return this.backups.preview(id);
  }

  async runBackup(id: string): Promise<void> {
    await this.delay(20, 80);
    this.requireKey();
    this.backups.run(id);
  }

  async setBackupPaused(id: string, paused: boolean): Promise<BackupJob> {
    await this.delay(20, 80);
    return this.backups.setPaused(id, paused);
  }

  // ——— the local server ———

  async serveStatus(): Promise<ServeStatus> {
    await this.delay(5, 20);
    return this.serve.status();
  }

  async setServe(options: ServeOptions): Promise<ServeStatus> {
    // Binding a port (or letting it go) takes a moment.
    await this.delay(40, 120);
    return this.serve.set(options);
  }

  async streamLink(url: string): Promise<string> {
    await this.delay(10, 40);
    const { file } = this.findFile(url);
    return this.serve.link(url, file.filename);
  }

  async exportStrm(folderId: number, dir: string): Promise<ExportReport> {
    await this.delay(200, 500);
    this.requireKey();
    this.folder(folderId);
    if (!this.grants.canWrite(dir, this.settings.downloadDir)) throw notGranted();
    const files: ExportFile[] = [];
    let folders = 0;
    const walk = (id: number, path: string) => {
      const f = this.folder(id);
      folders++;
      for (const file of f.files) {
        files.push({ url: file.url, folderPath: path, media: /^(video|audio)\//.test(file.contentType) });
      }
      for (const c of this.children(id)) walk(c.id, path ? `${path}/${c.name}` : c.name);
    };
    walk(folderId, '');
    return this.serve.export(dir, folderId, files, folders);
  }

  async mountDrive(): Promise<MountResult> {
    await this.delay(150, 400);
    return this.serve.mount();
  }

  // ——— settings and dialogs ———

  async getSettings(): Promise<Settings> {
    await this.delay(10, 40);
    return { ...this.settings };
  }

  async saveSettings(settings: Settings): Promise<Settings> {
    await this.delay(10, 40);
    if (!(settings.concurrency >= 1 && settings.concurrency <= LIMITS.maxConcurrency)) throw err('invalid_request', `Run between 1 and ${LIMITS.maxConcurrency} transfers at once.`);
    if (!(settings.connections >= 1 && settings.connections <= LIMITS.maxConnections)) throw err('invalid_request', `Use between 1 and ${LIMITS.maxConnections} connections per download.`);
    const dir = settings.downloadDir;
    if (dir !== this.settings.downloadDir && dir !== '' && !this.grants.canWrite(dir, this.settings.downloadDir)) throw notGranted();
    const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(v) || lo));
    this.settings = {
      ...settings,
      historyMaxItems: clamp(settings.historyMaxItems, 10, 100_000),
      historyMaxDays: clamp(settings.historyMaxDays, 1, 3650),
    };
    this.trimHistory();
    this.schedule();
    return { ...this.settings };
  }

  async pickUploadPaths(folders: boolean): Promise<string[] | null> {
    await this.delay(10, 40);
    const picked = folders
      ? ['/home/demo/Pictures/Holidays 2024']
      : ['/home/demo/Documents/report-q3.pdf', '/home/demo/Videos/family-dinner.mp4', '/home/demo/Music/set-list.flac'];
    this.grants.allowRead(picked);
    return picked;
  }

  async pickDirectory(purpose?: DirectoryPurpose): Promise<string | null> {
    await this.delay(10, 40);
    const picked = purpose === 'export' ? '/home/demo/Media/1fichier' : '/home/demo/Downloads/Fichier';
    if (purpose === 'backup') this.grants.allowRead([picked]);
    else this.grants.allowWrite(picked);
    return picked;
  }

  // ——— events ———

  async subscribe(handler: (event: AppEvent) => void): Promise<Unsubscribe> {
    this.handlers.add(handler);
    if (this.floodUntil > Date.now()) {
      handler({ type: 'pacerWait', reason: 'flood', waitSeconds: Math.ceil((this.floodUntil - Date.now()) / 1000) });
    }
    return () => this.handlers.delete(handler);
  }

  async onDrop(handler: (signal: DropSignal) => void): Promise<Unsubscribe> {
    this.dropHandlers.add(handler);
    return () => this.dropHandlers.delete(handler);
  }

  // ——— internals ———

  private emit(e: AppEvent): void {
    for (const h of this.handlers) h(e);
  }

  private delay(min?: number, max?: number): Promise<void> {
    // A configured latency (tests) wins over the per-command defaults.
    const [a, b] = this.options.latency ?? (min != null ? [min, max ?? min] : [60, 180]);
    const ms = a + Math.random() * (b - a);
    return new Promise((r) => setTimeout(r, ms));
  }

  private async waitFlood(): Promise<void> {
    while (this.floodUntil > Date.now()) {
      await new Promise((r) => setTimeout(r, Math.min(500, this.floodUntil - Date.now())));
    }
  }

  private requireKey(): void {
    if (this.shownId == null) throw err('invalid_key', 'Not authenticated #247');
  }

  private folder(id: number): FakeFolder {
    const f = this.folders.get(id);
    if (!f) throw err('not_found', 'Resource not found #469');
    return f;
  }

  private children(id: number): FakeFolder[] {
    return [...this.folders.values()].filter((f) => f.parentId === id && f.id !== id);
  }

  private pathOf(id: number): string {
    const parts: string[] = [];
    for (let f = this.folders.get(id); f && f.id !== 0; f = this.folders.get(f.parentId ?? 0)) parts.unshift(f.name);
    return parts.join('/');
  }

  private findFile(url: string): { file: FileEntry; folder: FakeFolder } {
    for (const folder of this.folders.values()) {
      const file = folder.files.find((f) => f.url === url);
      if (file) return { file, folder };
    }
    throw err('not_found', 'Resource not found #469');
  }

  private transfer(id: string): TransferSim {
    const t = this.transfers.get(id);
    if (!t || t.parked) throw err('not_found', 'That transfer is no longer in the list.');
    return t;
  }

  private makeFile(filename: string, size: number, date: string, rng: Rng): FileEntry {
    return {
      url: fakeUrl(rng), filename, size, date, checksum: fakeChecksum(rng),
      contentType: contentTypeFor(filename), pass: false, acl: false, cdn: false,
    };
  }

  private setState(t: TransferSim, state: Transfer['state']): void {
    t.state = state;
    if (state !== 'running') t.speedBps = 0;
    if (state === 'paused' || state === 'cancelled' || state === 'done' || state === 'failed') t.phase = undefined;
    t.etaSeconds = undefined;
    this.emit({ type: 'state', transfer: publicTransfer(t) });
    if (isFinishedState(state)) this.trimHistory();
  }

  /** Forgets finished transfers beyond the history's bounds. */
  private trimHistory(): void {
    const gone = beyondBounds(this.transfers.values(), this.settings.historyMaxItems, this.settings.historyMaxDays);
    const listed = gone.filter((id) => !this.transfers.get(id)?.hidden);
    for (const id of gone) this.transfers.delete(id);
    if (listed.length) this.emit({ type: 'removed', ids: listed });
  }

  private setPhase(t: TransferSim, phase: Transfer['phase']): void {
    t.phase = phase;
    this.emit({ type: 'state', transfer: publicTransfer(t) });
  }

  /** Starts queued transfers up to the concurrency and runs the clock while any is active. */
  private schedule(): void {
    const flooding = this.floodUntil > Date.now();
    const live = this.live();
    let running = live.filter((t) => t.state === 'running').length;
    for (const t of live) {
      if (running >= this.settings.concurrency) break;
      if (t.state !== 'queued') continue;
      if (flooding) {
        if (t.phase !== 'waitingFlood') this.setPhase(t, 'waitingFlood');
        continue;
      }
      t.startedAt = Date.now();
      t.phase = 'connecting';
      this.setState(t, 'running');
      running++;
    }
    const active = live.some((t) => t.state === 'running' || t.state === 'queued');
    if (active && !this.timer) {
      this.timer = setInterval(() => this.tick(), this.options.tickMs ?? 250);
    } else if (!active && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private tick(): void {
    const dt = (this.options.tickMs ?? 250) / 1000;
    const running = this.live().filter((t) => t.state === 'running');
    const base = this.options.baseSpeedBps ?? 6 * 1024 * 1024;
    const limit = this.settings.bandwidthLimitBps;
    const share = limit ? limit / Math.max(1, running.length) : Infinity;
    for (const t of running) {
      if (t.failAt && t.bytesDone >= t.failAt.fraction * t.bytesTotal) {
        t.error = t.failAt.error;
        t.failAt = undefined;
        t.finishedAt = Date.now();
        this.setState(t, 'failed');
        continue;
      }
      if (t.phase === 'connecting') {
        this.setPhase(t, undefined);
        continue;
      }
      if (t.phase === 'verifying') {
        t.verifyLeftMs = (t.verifyLeftMs ?? 0) - dt * 1000;
        if (t.verifyLeftMs <= 0) this.finish(t);
        continue;
      }
      const jitter = 0.75 + this.rng.next() * 0.5;
      const speed = Math.min(base * jitter, share);
      t.speedBps = speed;
      t.bytesDone = Math.min(t.bytesTotal, t.bytesDone + speed * dt);
      t.etaSeconds = speed > 0 ? (t.bytesTotal - t.bytesDone) / speed : undefined;
      if (t.bytesDone >= t.bytesTotal) {
        t.speedBps = 0;
        t.etaSeconds = undefined;
        t.verifyLeftMs = 900;
        this.setPhase(t, 'verifying');
      } else {
        this.emit({ type: 'progress', id: t.id, bytesDone: Math.floor(t.bytesDone), bytesTotal: t.bytesTotal, speedBps: Math.round(speed), etaSeconds: t.etaSeconds });
      }
    }
    this.schedule();
  }

  private finish(t: TransferSim): void {
    t.bytesDone = t.bytesTotal;
    t.finishedAt = Date.now();
    if (t.kind === 'upload' && t.folderId != null) {
      const own = t.account != null ? this.worlds.get(t.account) : this.world;
      const folder = own?.folders.get(t.folderId);
      if (folder) {
        const file = this.makeFile(t.name, t.bytesTotal, toFichierDate(Date.now()), this.rng);
        file.pass = !!t.password;
        folder.files.push(file);
        t.url = file.url;
      }
    }
    this.setState(t, 'done');
  }
}

function publicTransfer(t: TransferSim): Transfer {
  return {
    id: t.id, kind: t.kind, name: t.name, folderId: t.folderId, localPath: t.localPath, url: t.url,
    state: t.state, phase: t.phase, bytesDone: Math.floor(t.bytesDone), bytesTotal: t.bytesTotal,
    speedBps: Math.round(t.speedBps), etaSeconds: t.etaSeconds, error: t.error,
    startedAt: t.startedAt, finishedAt: t.finishedAt, ...(t.account != null ? { account: t.account } : {}),
  };
}

/** A path without an extension is taken as a folder holding a few files. */
function expandPaths(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const name = p.split(/[\\/]/).pop() ?? p;
    if (name.includes('.')) out.push(p);
    else for (const child of ['IMG_0001.jpg', 'IMG_0002.jpg', 'notes.txt']) out.push(`${p}/${child}`);
  }
  return out;
}

/** The name rule the app's core applies (crates/fichier-core/src/names.rs, check_name). */
function checkedName(name: string): string {
  const clean = name.trim();
  const count = [...clean].length;
  if (count === 0) throw err('invalid_request', "a name can't be empty");
  if (count > LIMITS.maxNameChars) throw err('invalid_request', `a name has at most ${LIMITS.maxNameChars} characters; this one has ${count}`);
  if (clean.includes('/')) throw err('invalid_request', 'a name can’t contain “/”');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(clean)) throw err('invalid_request', "a name can't contain control characters");
  return clean;
}

/**
 * A stable, plausible size for a file name (so tests see the same numbers each run); a
 * size written in the name ("raw-footage-80GB.mov", "disk-1.5TiB.img") is taken as it is.
 */
export function sizeFromName(name: string): number {
  if (/empty/i.test(name)) return 0;
  const written = /(\d+(?:\.\d+)?)\s?([GT])(i?)B(?![a-z])/i.exec(name);
  if (written) {
    const power = written[2].toUpperCase() === 'G' ? 3 : 4;
    return Math.round(Number(written[1]) * (written[3] ? 1024 : 1000) ** power);
  }
  let h = 2166136261;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const ext = name.split('.').pop()?.toLowerCase() ?? '';
  const scale: Record<string, number> = { mp4: 180e6, mkv: 400e6, iso: 700e6, zip: 90e6, flac: 35e6, jpg: 4e6, txt: 20e3, pdf: 3e6 };
  const base = scale[ext] ?? 12e6;
  return Math.floor(base * (0.4 + (h % 1000) / 1000));
}
