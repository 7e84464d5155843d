// What the parts of the fake backend share: the options it was made with, the open
// accounts ("worlds", each with its own files, listing cache, remote uploads, backups and
// account facts) and the one the window shows, the settings, the flood wait, the event
// handlers, the paths the window was given, and the look-ups every part makes (a folder,
// a file, the shown account). The parts are the modules beside this one; fakeBackend.ts
// joins them into the Backend.
import type { AppError, AppEvent, ErrorCode, FileEntry, RemoteJob, Settings, Transfer } from '../types';
import { DEFAULT_SETTINGS } from '../types';
import { type FakeFolder, fakeUrl, contentTypeFor, fakeChecksum, Rng } from './seed';
import { FakeGrants } from './grants';
import { FakeBackups } from './backups';
import { FakeAccount } from './account';

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
export interface World {
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

export function err(code: ErrorCode, message: string, retryable = false, retryAfter?: number): AppError {
  return { code, message, retryable, retryAfter };
}

export interface TransferSim extends Transfer {
  /** Its account is closed: kept for when it opens again, listed and run by nobody. */
  parked?: boolean;
  /** Fails with this error when progress passes this fraction. */
  failAt?: { fraction: number; error: AppError };
  password?: string;
  verifyLeftMs?: number;
  /** Cleared from the list, still in the history. */
  hidden?: boolean;
}

export function makeFile(filename: string, size: number, date: string, rng: Rng): FileEntry {
  return {
    url: fakeUrl(rng), filename, size, date, checksum: fakeChecksum(rng),
    contentType: contentTypeFor(filename), pass: false, acl: false, cdn: false,
  };
}

export function publicTransfer(t: TransferSim): Transfer {
  return {
    id: t.id, kind: t.kind, name: t.name, folderId: t.folderId, localPath: t.localPath, url: t.url,
    state: t.state, phase: t.phase, bytesDone: Math.floor(t.bytesDone), bytesTotal: t.bytesTotal,
    speedBps: Math.round(t.speedBps), etaSeconds: t.etaSeconds, error: t.error,
    startedAt: t.startedAt, finishedAt: t.finishedAt, ...(t.account != null ? { account: t.account } : {}),
  };
}

export class FakeState {
  readonly handlers = new Set<(e: AppEvent) => void>();
  floodUntil = 0;
  readonly rng = new Rng(7);
  readonly grants = new FakeGrants();
  /** The open accounts, by id, in the order they were opened. */
  readonly worlds = new Map<string, World>();
  /** The account the window shows. */
  shownId: string | null = null;
  /** What the window sees with no account open. */
  none: World | null = null;
  /** Core's defaults, with the demo computer's download folder. */
  settings: Settings = { ...DEFAULT_SETTINGS, downloadDir: '/home/demo/Downloads' };

  constructor(readonly options: FakeOptions = {}) {}

  // ——— the shown account's parts ———

  get world(): World {
    const shown = this.shownId ? this.worlds.get(this.shownId) : undefined;
    if (shown) return shown;
    this.none ??= this.makeWorld('', []);
    return this.none;
  }

  get account(): FakeAccount { return this.world.account; }
  get folders() { return this.world.folders; }
  get listedAt() { return this.world.listedAt; }
  get undated() { return this.world.undated; }
  get backups() { return this.world.backups; }
  get remoteJobs() { return this.world.remoteJobs; }
  set remoteJobs(jobs: RemoteJob[]) { this.world.remoteJobs = jobs; }
  get accountJobsListed() { return this.world.accountJobsListed; }
  set accountJobsListed(v: boolean) { this.world.accountJobsListed = v; }
  get forgottenRemote() { return this.world.forgottenRemote; }

  /** The first account and the demo have the demo's files; any other the studio's. */
  makeWorld(id: string, seed: FakeFolder[], other?: ConstructorParameters<typeof FakeAccount>[3]): World {
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

  emit(e: AppEvent): void {
    for (const h of this.handlers) h(e);
  }

  delay(min?: number, max?: number): Promise<void> {
    // A configured latency (tests) wins over the per-command defaults.
    const [a, b] = this.options.latency ?? (min != null ? [min, max ?? min] : [60, 180]);
    const ms = a + Math.random() * (b - a);
    return new Promise((r) => setTimeout(r, ms));
  }

  async waitFlood(): Promise<void> {
    while (this.floodUntil > Date.now()) {
      await new Promise((r) => setTimeout(r, Math.min(500, this.floodUntil - Date.now())));
    }
  }

  requireKey(): void {
    if (this.shownId == null) throw err('invalid_key', 'Not authenticated #247');
  }

  folder(id: number): FakeFolder {
    const f = this.folders.get(id);
    if (!f) throw err('not_found', 'Resource not found #469');
    return f;
  }

  children(id: number): FakeFolder[] {
    return [...this.folders.values()].filter((f) => f.parentId === id && f.id !== id);
  }

  pathOf(id: number): string {
    const parts: string[] = [];
    for (let f = this.folders.get(id); f && f.id !== 0; f = this.folders.get(f.parentId ?? 0)) parts.unshift(f.name);
    return parts.join('/');
  }

  findFile(url: string): { file: FileEntry; folder: FakeFolder } {
    for (const folder of this.folders.values()) {
      const file = folder.files.find((f) => f.url === url);
      if (file) return { file, folder };
    }
    throw err('not_found', 'Resource not found #469');
  }
}
