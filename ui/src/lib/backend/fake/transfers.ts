// Transfers for the fake backend: uploads and downloads that advance on a clock, honour
// the concurrency and bandwidth settings, pause, resume, fail, get cancelled and retried,
// wait out a flood, and end in the history. Each is labelled with the account shown when
// it was made; while that account is closed it is parked, listed and run by nobody.
import type { HistoryPage, Transfer, UploadTimeCheck } from '../types';
import { toFichierDate } from '../../time';
import { DEMO_ID } from './accounts';
import { notGranted } from './grants';
import { beyondBounds, historyPage, isFinishedState, pastTransfers } from './history';
import { checkSizes, recentUploadSpeed } from './uploadTime';
import { checkPassword, enforce } from '../../rules';
import { expandPaths, sizeFromName } from './names';
import { type FakeState, type TransferSim, err, makeFile, publicTransfer } from './state';

export class FakeTransfers {
  private transfers = new Map<string, TransferSim>();
  private nextTransfer = 1;
  private timer: ReturnType<typeof setInterval> | null = null;
  private floodTimer: ReturnType<typeof setTimeout> | null = null;
  private autoFloodDone = false;

  constructor(private s: FakeState) {}

  /** Transfers of the open accounts. */
  live(): TransferSim[] {
    return [...this.transfers.values()].filter((t) => !t.parked);
  }

  /** Its account opens again: its transfers left parked go on. */
  unpark(id: string): void {
    for (const t of this.transfers.values()) if (t.account === id) t.parked = false;
  }

  /** Its account closes: its transfers stop and wait for it to open again (the demo's are gone with it). */
  park(id: string): void {
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
  }

  /** Starts a flood wait now, as if 1fichier had answered "Flood detected". */
  triggerFlood(seconds: number): void {
    this.s.floodUntil = Date.now() + seconds * 1000;
    this.s.emit({ type: 'pacerWait', reason: 'flood', waitSeconds: seconds });
    for (const t of this.live()) {
      if (t.state === 'queued' || (t.state === 'running' && t.bytesDone === 0)) this.setPhase(t, 'waitingFlood');
    }
    if (this.floodTimer) clearTimeout(this.floodTimer);
    this.floodTimer = setTimeout(() => {
      this.s.floodUntil = 0;
      this.s.emit({ type: 'pacerWait', reason: 'flood', waitSeconds: 0 });
      for (const t of this.live()) if (t.phase === 'waitingFlood') this.setPhase(t, undefined);
      this.schedule();
    }, seconds * 1000);
  }

  /** Adds `count` finished transfers to the history, as a long-used queue has. */
  addHistory(count: number): void {
    for (const t of pastTransfers(count)) this.transfers.set(t.id, { ...t, hidden: true, account: this.s.shownId ?? undefined });
    this.trimHistory();
  }

  async listTransfers(): Promise<Transfer[]> {
    await this.s.delay(20, 60);
    return this.live()
      .filter((t) => !t.hidden && (!isFinishedState(t.state) || t.state === 'failed'))
      .map(publicTransfer);
  }

  async listHistory(offset: number, limit: number): Promise<HistoryPage> {
    await this.s.delay(20, 60);
    this.s.requireKey();
    return historyPage(this.live(), offset, limit, publicTransfer);
  }

  async uploadPaths(paths: string[], folderId: number, password?: string): Promise<Transfer[]> {
    await this.s.delay();
    this.s.requireKey();
    this.s.folder(folderId);
    enforce(checkPassword(password, 'file'));
    if (paths.length === 0) throw err('not_allowed', 'Nothing to upload.');
    if (!paths.every((p) => this.s.grants.canRead(p))) throw notGranted();
    const created: Transfer[] = [];
    for (const path of expandPaths(paths)) {
      const name = path.split(/[\\/]/).pop() || path;
      const size = sizeFromName(name);
      const t: TransferSim = {
        id: `t${this.nextTransfer++}`, kind: 'upload', name, folderId, localPath: path,
        state: 'queued', bytesDone: 0, bytesTotal: size, speedBps: 0, password, account: this.s.shownId ?? undefined,
      };
      if (size === 0) t.failAt = { fraction: 0, error: err('file_empty', 'The file is empty') };
      if (/unstable|flaky/i.test(name)) t.failAt = { fraction: 0.55, error: err('network', 'Connection reset by peer', true) };
      if (/huge/i.test(name)) t.failAt = { fraction: 0, error: err('file_too_large', 'File larger than the 300 GB limit') };
      this.transfers.set(t.id, t);
      this.s.emit({ type: 'state', transfer: publicTransfer(t) });
      created.push(publicTransfer(t));
    }
    this.schedule();
    if (this.s.options.autoFlood && !this.autoFloodDone) {
      this.autoFloodDone = true;
      setTimeout(() => this.triggerFlood(20), 4000);
    }
    return created;
  }

  /** At the speed measured on the fake's uploads, or else the speed its line is simulated at. */
  async uploadTimeCheck(paths: string[]): Promise<UploadTimeCheck> {
    await this.s.delay(20, 80);
    this.s.requireKey();
    if (paths.length === 0) throw err('not_allowed', 'Nothing to upload.');
    if (!paths.every((p) => this.s.grants.canRead(p))) throw notGranted();
    const files = expandPaths(paths).map((path) => ({ path, size: sizeFromName(path.split(/[\\/]/).pop() || path) }));
    const line = Math.min(this.s.options.baseSpeedBps ?? 6 * 1024 * 1024, this.s.settings.bandwidthLimitBps ?? Infinity);
    return checkSizes(files, recentUploadSpeed(this.live()) ?? line);
  }

  async downloadFiles(urls: string[], destDir?: string): Promise<Transfer[]> {
    await this.s.delay();
    this.s.requireKey();
    const created: Transfer[] = [];
    const dir = destDir || this.s.settings.downloadDir;
    if (!this.s.grants.canWrite(dir, this.s.settings.downloadDir)) throw notGranted();
    for (const url of urls) {
      const { file, folder } = this.s.findFile(url);
      const t: TransferSim = {
        id: `t${this.nextTransfer++}`, kind: 'download', name: file.filename, folderId: folder.id, url,
        localPath: `${dir}/${file.filename}`, state: 'queued', bytesDone: 0, bytesTotal: file.size, speedBps: 0,
        account: this.s.shownId ?? undefined,
      };
      if (file.pass) t.failAt = { fraction: 0, error: err('password_required', 'Password not provided. Resource not allowed #631') };
      if (file.filename.includes('owner-locked')) t.failAt = { fraction: 0, error: err('owner_locked', 'Owner locked #620') };
      this.transfers.set(t.id, t);
      this.s.emit({ type: 'state', transfer: publicTransfer(t) });
      created.push(publicTransfer(t));
    }
    this.schedule();
    return created;
  }

  async pauseTransfer(id: string): Promise<void> {
    await this.s.delay(20, 80);
    const t = this.transfer(id);
    if (t.state === 'queued' || t.state === 'running') this.setState(t, 'paused');
    this.schedule();
  }

  async resumeTransfer(id: string): Promise<void> {
    await this.s.delay(20, 80);
    const t = this.transfer(id);
    if (t.state === 'paused') {
      // 1fichier has no partial upload: a paused upload starts again from zero.
      if (t.kind === 'upload') t.bytesDone = 0;
      this.setState(t, 'queued');
    }
    this.schedule();
  }

  async cancelTransfer(id: string): Promise<void> {
    await this.s.delay(20, 80);
    const t = this.transfer(id);
    if (t.state !== 'done' && t.state !== 'cancelled') {
      t.finishedAt = Date.now();
      this.setState(t, 'cancelled');
    }
    this.schedule();
  }

  async retryTransfer(id: string): Promise<void> {
    await this.s.delay(20, 80);
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
    await this.s.delay(20, 80);
    for (const t of this.live()) if (t.state === 'queued' || t.state === 'running') this.setState(t, 'paused');
  }

  async resumeAll(): Promise<void> {
    await this.s.delay(20, 80);
    for (const t of this.live()) {
      if (t.state === 'paused') {
        if (t.kind === 'upload') t.bytesDone = 0;
        this.setState(t, 'queued');
      }
    }
    this.schedule();
  }

  async clearFinished(): Promise<void> {
    await this.s.delay(20, 80);
    // Off the list; they stay in the history.
    const ids: string[] = [];
    for (const t of this.live()) {
      if (isFinishedState(t.state) && !t.hidden) {
        t.hidden = true;
        ids.push(t.id);
      }
    }
    if (ids.length) this.s.emit({ type: 'removed', ids });
  }

  async showInFolder(id: string): Promise<void> {
    await this.s.delay(20, 80);
    this.transfer(id);
  }

  private transfer(id: string): TransferSim {
    const t = this.transfers.get(id);
    if (!t || t.parked) throw err('not_found', 'That transfer is no longer in the list.');
    return t;
  }

  private setState(t: TransferSim, state: Transfer['state']): void {
    t.state = state;
    if (state !== 'running') t.speedBps = 0;
    if (state === 'paused' || state === 'cancelled' || state === 'done' || state === 'failed') t.phase = undefined;
    t.etaSeconds = undefined;
    this.s.emit({ type: 'state', transfer: publicTransfer(t) });
    if (isFinishedState(state)) this.trimHistory();
  }

  /** Forgets finished transfers beyond the history's bounds. */
  trimHistory(): void {
    const gone = beyondBounds(this.transfers.values(), this.s.settings.historyMaxItems, this.s.settings.historyMaxDays);
    const listed = gone.filter((id) => !this.transfers.get(id)?.hidden);
    for (const id of gone) this.transfers.delete(id);
    if (listed.length) this.s.emit({ type: 'removed', ids: listed });
  }

  private setPhase(t: TransferSim, phase: Transfer['phase']): void {
    t.phase = phase;
    this.s.emit({ type: 'state', transfer: publicTransfer(t) });
  }

  /** Starts queued transfers up to the concurrency and runs the clock while any is active. */
  schedule(): void {
    const flooding = this.s.floodUntil > Date.now();
    const live = this.live();
    let running = live.filter((t) => t.state === 'running').length;
    for (const t of live) {
      if (running >= this.s.settings.concurrency) break;
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
      this.timer = setInterval(() => this.tick(), this.s.options.tickMs ?? 250);
    } else if (!active && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private tick(): void {
    const dt = (this.s.options.tickMs ?? 250) / 1000;
    const running = this.live().filter((t) => t.state === 'running');
    const base = this.s.options.baseSpeedBps ?? 6 * 1024 * 1024;
    const limit = this.s.settings.bandwidthLimitBps;
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
      const jitter = 0.75 + this.s.rng.next() * 0.5;
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
        this.s.emit({ type: 'progress', id: t.id, bytesDone: Math.floor(t.bytesDone), bytesTotal: t.bytesTotal, speedBps: Math.round(speed), etaSeconds: t.etaSeconds });
      }
    }
    this.schedule();
  }

  private finish(t: TransferSim): void {
    t.bytesDone = t.bytesTotal;
    t.finishedAt = Date.now();
    if (t.kind === 'upload' && t.folderId != null) {
      const own = t.account != null ? this.s.worlds.get(t.account) : this.s.world;
      const folder = own?.folders.get(t.folderId);
      if (folder) {
        const file = makeFile(t.name, t.bytesTotal, toFichierDate(Date.now()), this.s.rng);
        file.pass = !!t.password;
        folder.files.push(file);
        t.url = file.url;
      }
    }
    this.setState(t, 'done');
  }
}
