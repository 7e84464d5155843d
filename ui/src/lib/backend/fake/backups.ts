// Backups for the fake backend: jobs kept in memory (one seeded), the spec rules the core
// applies (from ../../rules.ts: invalid_request with a message naming the field), a
// preview with plausible numbers, and a run that goes scanning → hashing → uploading →
// organizing → idle on a timer, announcing each step as a `backup` event. No file moves
// anywhere.
import type { AppError, BackupJob, BackupSpec, RunReport, Schedule } from '../types';
import { checkBackupSpec, enforce, tidyBackupSpec } from '../../rules';

const HOUR = 3_600_000;
const MIB = 1024 * 1024;

/** The spec as core takes it (rules.ts: core's check_spec, with its words), without the disk. */
export function checkSpec(spec: BackupSpec): BackupSpec {
  enforce(checkBackupSpec(spec));
  return tidyBackupSpec(spec);
}

/** When the schedule runs the job next, after `now`; none for manual jobs. */
export function nextRun(schedule: Schedule, now: number, lastStart?: number): number | undefined {
  if (schedule.kind === 'every') {
    const due = (lastStart ?? now) + schedule.hours * HOUR;
    return due > now ? due : now + 60_000;
  }
  if (schedule.kind === 'daily') {
    const d = new Date(now);
    d.setHours(schedule.hour, schedule.minute, 0, 0);
    if (d.getTime() <= now) d.setDate(d.getDate() + 1);
    return d.getTime();
  }
  return undefined;
}

function hash(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

function emptyReport(startedAt: number, dryRun: boolean): RunReport {
  return {
    startedAt, dryRun, scanned: 0, hashed: 0, uploaded: 0, uploadedBytes: 0, adopted: 0, moved: 0, copied: 0,
    trashed: 0, versioned: 0, unchanged: 0, waiting: 0, excluded: 0, expired: 0, verified: 0, missing: 0, errors: [],
  };
}

interface Sim {
  job: BackupJob;
  /** Runs finished so far: the first uploads everything, the next ones a few changes. */
  runs: number;
  timer: ReturnType<typeof setTimeout> | null;
  report?: RunReport;
}

export class FakeBackups {
  private sims = new Map<string, Sim>();
  private nextId = 2;

  /** `seeded`: with the demo's "Photos" job (another account starts with none). */
  constructor(private emit: (job: BackupJob) => void, private tickMs = 250, seeded = true) {
    if (!seeded) return;
    const now = Date.now();
    const spec: BackupSpec = {
      name: 'Photos', source: '/home/demo/Pictures', folderId: 22692436, folderLabel: '/Photos', mode: 'copy',
      excludes: ['*.xmp', 'Thumbnails/'], schedule: { kind: 'daily', hour: 3, minute: 0 }, watch: false, versions: 5, trashDays: 30,
    };
    // Last night's run, as a job used for weeks leaves it.
    const startedAt = (nextRun(spec.schedule, now) ?? now) - 24 * HOUR;
    const lastRun: RunReport = {
      ...emptyReport(startedAt, false), finishedAt: startedAt + 4 * 60_000 + 12_000, outcome: 'done',
      scanned: 2_134, hashed: 15, uploaded: 12, uploadedBytes: 51_380_224, moved: 3, versioned: 1, unchanged: 2_119, excluded: 37,
    };
    this.sims.set('b1', {
      job: { id: 'b1', spec, paused: false, createdAt: startedAt - 40 * 24 * HOUR, status: { state: 'idle' }, lastRun, nextRunAt: nextRun(spec.schedule, now), interrupted: false },
      runs: 30,
      timer: null,
    });
  }

  list(): BackupJob[] {
    return [...this.sims.values()].map((s) => structuredClone(s.job));
  }

  add(spec: BackupSpec): BackupJob {
    const clean = checkSpec(spec);
    const id = `b${this.nextId++}`;
    const now = Date.now();
    const job: BackupJob = {
      id, spec: clean, paused: false, createdAt: now, status: { state: 'idle' }, nextRunAt: nextRun(clean.schedule, now), interrupted: false,
    };
    this.sims.set(id, { job, runs: 0, timer: null });
    return structuredClone(job);
  }

  update(id: string, spec: BackupSpec): BackupJob {
    const sim = this.sim(id);
    sim.job.spec = checkSpec(spec);
    if (!sim.job.paused) sim.job.nextRunAt = nextRun(sim.job.spec.schedule, Date.now(), sim.job.lastRun?.startedAt);
    this.changed(sim);
    return structuredClone(sim.job);
  }

  remove(id: string): void {
    const sim = this.sim(id);
    if (sim.timer) clearTimeout(sim.timer);
    this.sims.delete(id);
  }

  preview(id: string): RunReport {
    const sim = this.sim(id);
    return { ...this.plan(sim, Date.now(), true), finishedAt: Date.now(), outcome: 'done' };
  }

  run(id: string): void {
    const sim = this.sim(id);
    if (sim.job.paused) throw { code: 'not_allowed', message: 'the backup is paused; resume it first', retryable: false } satisfies AppError;
    if (sim.timer || sim.job.status.state !== 'idle') return;
    const report = this.plan(sim, Date.now(), false);
    sim.report = report;
    sim.job.interrupted = false;
    const steps: (() => void)[] = [];
    for (let k = 0; k <= 3; k++) steps.push(() => { sim.job.status = { state: 'scanning', files: Math.round((report.scanned * k) / 3) }; });
    if (report.hashed > 0) {
      for (let k = 0; k <= 2; k++) steps.push(() => { sim.job.status = { state: 'hashing', done: Math.round((report.hashed * k) / 2), total: report.hashed }; });
    }
    const sent = report.uploaded + report.errors.length;
    if (sent > 0) {
      const parts = Math.min(sent, 8);
      for (let k = 0; k <= parts; k++) {
        steps.push(() => {
          const done = Math.round((sent * k) / parts);
          sim.job.status = { state: 'uploading', done, total: sent, bytesDone: Math.round((report.uploadedBytes * done) / sent), bytesTotal: report.uploadedBytes };
        });
      }
    }
    const server = report.moved + report.copied + report.trashed + report.versioned;
    if (server > 0) {
      steps.push(() => { sim.job.status = { state: 'organizing', done: 0, total: server }; });
      steps.push(() => { sim.job.status = { state: 'organizing', done: server, total: server }; });
    }
    const next = () => {
      const step = steps.shift();
      if (!step) {
        sim.timer = null;
        sim.runs++;
        sim.report = undefined;
        sim.job.status = { state: 'idle' };
        sim.job.lastRun = { ...report, finishedAt: Date.now(), outcome: report.errors.length ? 'partial' : 'done' };
        sim.job.nextRunAt = nextRun(sim.job.spec.schedule, Date.now(), report.startedAt);
        this.changed(sim);
        return;
      }
      step();
      this.changed(sim);
      sim.timer = setTimeout(next, this.tickMs);
    };
    next();
  }

  setPaused(id: string, paused: boolean): BackupJob {
    const sim = this.sim(id);
    if (sim.job.paused === paused) return structuredClone(sim.job);
    sim.job.paused = paused;
    if (paused) {
      if (sim.timer) {
        // Stopped before the end: what was done so far, and the next run goes on from there.
        clearTimeout(sim.timer);
        sim.timer = null;
        const st = sim.job.status;
        const done = st.state === 'uploading' ? st.done : 0;
        if (sim.report) {
          const bytes = st.state === 'uploading' ? st.bytesDone : 0;
          sim.job.lastRun = { ...sim.report, uploaded: done, uploadedBytes: bytes, moved: 0, copied: 0, trashed: 0, versioned: 0, finishedAt: Date.now(), outcome: 'interrupted', errors: [] };
        }
        sim.report = undefined;
      }
      sim.job.status = { state: 'paused' };
      sim.job.nextRunAt = undefined;
    } else {
      sim.job.status = { state: 'idle' };
      sim.job.nextRunAt = nextRun(sim.job.spec.schedule, Date.now(), sim.job.lastRun?.startedAt);
    }
    this.changed(sim);
    return structuredClone(sim.job);
  }

  /** The account is closed: runs stop where they are. */
  stopAll(): void {
    for (const sim of this.sims.values()) {
      if (sim.timer) clearTimeout(sim.timer);
      sim.timer = null;
    }
  }

  /** What the next run finds: everything the first time, a few changes afterwards. */
  private plan(sim: Sim, startedAt: number, dryRun: boolean): RunReport {
    const { spec } = sim.job;
    const h = hash(spec.source);
    const files = 60 + (h % 240);
    const r = emptyReport(startedAt, dryRun);
    r.scanned = files;
    r.excluded = 3 + spec.excludes.length * 2;
    if (sim.runs === 0) {
      r.uploaded = files;
      r.hashed = files;
    } else {
      r.uploaded = 2 + (h % 4);
      r.moved = 1;
      r.versioned = spec.versions > 0 ? 1 : 0;
      r.trashed = spec.mode === 'mirror' ? 1 : 0;
      r.hashed = r.uploaded + r.moved;
      r.waiting = h % 2;
    }
    // Sources named "flaky" or "unstable" have files that cannot be read, as in the transfers.
    if (/flaky|unstable/i.test(spec.source)) {
      r.errors = [
        { path: 'locked/report-draft.docx', message: 'permission denied' },
        { path: 'camera/IMG_0042.HEIC', message: 'the file changed while it was read' },
      ];
      r.uploaded = Math.max(0, r.uploaded - r.errors.length);
    }
    r.uploadedBytes = r.uploaded * Math.round((1.5 + (h % 7) / 2) * MIB);
    r.unchanged = files - r.uploaded - r.moved - r.waiting - r.errors.length;
    return r;
  }

  private changed(sim: Sim): void {
    this.emit(structuredClone(sim.job));
  }

  private sim(id: string): Sim {
    const s = this.sims.get(id);
    if (!s) throw { code: 'not_found', message: 'No such backup', retryable: false } satisfies AppError;
    return s;
  }
}
