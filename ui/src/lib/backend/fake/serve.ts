// The local server for the fake backend: its on/off and options in memory (off at
// first), the addresses it would listen on, the streams it is serving (only those a test
// or the demo adds), stream links built as the shell builds them, and `.strm` exports
// that count what a folder holds. Nothing listens anywhere.
import type { AppError, ExportReport, MountResult, ServeOptions, ServeStatus, StreamInfo } from '../types';
import { LIMITS } from '../types';
import { checkServePort, enforce } from '../../rules';
import { Rng } from './seed';

export const DEFAULT_PORT = LIMITS.defaultServePort;
const LAN_HOST = '192.168.1.20';
const USER = 'fichier';

function invalid(message: string): AppError {
  return { code: 'invalid_request', message, retryable: false };
}

/** A secret that looks random and is the same on every run (tests compare it). */
function makeSecret(): string {
  const chars = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  const rng = new Rng(4918);
  let out = '';
  for (let i = 0; i < 22; i++) out += chars[Math.floor(rng.next() * chars.length)];
  return out;
}

/** The id 1fichier gives a file: what follows "?" in its URL (https://1fichier.com/?abc123). */
export function fileIdOf(url: string): string {
  const q = url.indexOf('?');
  const id = q >= 0 ? url.slice(q + 1) : url.split('/').pop() ?? url;
  return id.split('&')[0];
}

interface StreamSim {
  id: string;
  name: string;
  client: string;
  bytesPerSecond: number;
  /** Set back by what was already sent when it was added (a stream found halfway). */
  startedAt: number;
}

/** One file of a folder tree to export, with the folder it is in (relative to the export). */
export interface ExportFile {
  url: string;
  folderPath: string;
  media: boolean;
}

export class FakeServe {
  private options: ServeOptions = { enabled: false, lan: false, readOnly: false, port: 0 };
  private secret = makeSecret();
  private taken = new Set<number>();
  private streams: StreamSim[] = [];
  private nextStream = 1;
  private tokenCalls = 0;
  private apiCalls = 0;
  private waitUntil = 0;
  /** What each export wrote last time, by directory and folder. */
  private exported = new Map<string, Set<string>>();
  /** False: mounting is not possible here (as on macOS and Windows), instructions instead. */
  canMount = true;

  /** `floodUntil`: when the account's flood wait ends (the server waits with everything else). */
  constructor(private floodUntil: () => number = () => 0) {}

  // ——— test and demo hooks ———

  /** Another program listens on this port from now on. */
  takePort(port: number): void {
    this.taken.add(port);
  }

  freePort(port: number): void {
    this.taken.delete(port);
  }

  /** A player reading a file now, `offset` bytes in already. */
  addStream(name: string, client = '127.0.0.1 · VLC/3.0.20', bytesPerSecond = 2_400_000, offset = 48_000_000): string {
    const id = `s${this.nextStream++}`;
    this.streams.push({ id, name, client, bytesPerSecond, startedAt: Date.now() - Math.round((offset / bytesPerSecond) * 1000) });
    this.tokenCalls++;
    this.apiCalls += 2;
    return id;
  }

  endStream(id: string): void {
    this.streams = this.streams.filter((s) => s.id !== id);
  }

  /** The API makes the server wait `seconds` (its pacer, a flood lock). */
  wait(seconds: number): void {
    this.waitUntil = seconds > 0 ? Date.now() + seconds * 1000 : 0;
  }

  // ——— what the backend answers ———

  status(): ServeStatus {
    const o = this.options;
    const port = this.port();
    const blocked = this.taken.has(port);
    const running = o.enabled && !blocked;
    const address = running ? `http://127.0.0.1:${port}` : null;
    const now = Date.now();
    const until = Math.max(this.waitUntil, this.floodUntil());
    return {
      enabled: o.enabled,
      running,
      address,
      davUrl: address ? `${address}/dav/` : null,
      user: USER,
      secret: running ? this.secret : null,
      port: o.port,
      lan: o.lan,
      lanAddress: running && o.lan ? `http://${LAN_HOST}:${port}` : null,
      readOnly: o.readOnly,
      error: o.enabled && blocked ? `port ${port} is already in use by another program` : null,
      streams: running ? this.streams.map((s) => this.publicStream(s, now)) : [],
      tokenCalls: this.tokenCalls,
      apiCalls: this.apiCalls,
      pacerWaitSeconds: running && until > now ? Math.ceil((until - now) / 1000) : null,
    };
  }

  set(options: ServeOptions): ServeStatus {
    const port = Number(options.port);
    enforce(checkServePort(port));
    const wasRunning = this.status().running;
    this.options = { enabled: !!options.enabled, lan: !!options.lan, readOnly: !!options.readOnly, port };
    // Turned off, or moved: what was being served ends.
    if (!this.options.enabled || (wasRunning && !this.status().running)) this.streams = [];
    return this.status();
  }

  link(url: string, filename: string): string {
    const s = this.status();
    if (!s.running || !s.address) throw invalid('the local server is off; turn it on in Stream & mount');
    return `${s.address}/s/${this.secret}/${fileIdOf(url)}/${encodeURIComponent(filename)}`;
  }

  /** An export of `files` (the folder's tree) to `dir`: what changed since the last one there. */
  export(dir: string, folderId: number, files: ExportFile[], folders: number): ExportReport {
    if (!dir.trim()) throw invalid('choose the folder to export into');
    const key = `${dir}\u0000${folderId}`;
    const before = this.exported.get(key) ?? new Set<string>();
    const now = new Set(files.map((f) => f.url));
    let written = 0;
    let unchanged = 0;
    for (const url of now) {
      if (before.has(url)) unchanged++;
      else written++;
    }
    let removed = 0;
    for (const url of before) if (!now.has(url)) removed++;
    this.exported.set(key, now);
    // One listing per folder.
    this.apiCalls += folders;
    // A playlist for each folder with something to play.
    const playlists = new Set(files.filter((f) => f.media).map((f) => f.folderPath)).size;
    return { dir, written, unchanged, removed, folders, playlists };
  }

  mount(): MountResult {
    const s = this.status();
    if (!s.running || !s.davUrl) throw invalid('the local server is off; turn it on first');
    const port = this.port();
    if (!this.canMount) {
      return {
        mounted: false,
        location: null,
        message: `Mounting from here is not available on this system. Connect to ${s.davUrl} as user ${USER} with the password shown.`,
      };
    }
    return {
      mounted: true,
      location: `dav://${USER}@127.0.0.1:${port}/dav/`,
      message: `Mounted dav://${USER}@127.0.0.1:${port}/dav/ (gio)`,
    };
  }

  private port(): number {
    return this.options.port || DEFAULT_PORT;
  }

  private publicStream(s: StreamSim, now: number): StreamInfo {
    const elapsed = Math.max(0, now - s.startedAt) / 1000;
    return {
      id: s.id, name: s.name, client: s.client, startedAt: s.startedAt,
      bytes: Math.round(elapsed * s.bytesPerSecond), bytesPerSecond: s.bytesPerSecond,
    };
  }
}
