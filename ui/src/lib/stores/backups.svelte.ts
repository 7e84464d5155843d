// The backup jobs, read once and then kept up to date from the `backup` events (status,
// last run, next run). Actions call the backend and fold its answer in; failures are
// thrown as AppError for the caller to show where they belong.
import type { AppError, BackupJob, BackupSpec, RunReport } from '../backend/types';
import { toAppError } from '../backend';
import { isRunning } from '../backupFormat';
import { backend } from './backendRef';

class BackupsStore {
  jobs = $state.raw<BackupJob[]>([]);
  loaded = $state(false);
  loading = $state(false);
  error = $state.raw<AppError | null>(null);
  /** Jobs with a command on its way (their buttons wait). */
  pending = $state.raw<ReadonlySet<string>>(new Set());
  running = $derived(this.jobs.filter((j) => isRunning(j.status)).length);

  /** Whether a local file is being sent by a running backup (its run is told in one
   *  summary, not file by file). */
  covers(localPath: string | undefined): boolean {
    if (!localPath) return false;
    return this.jobs.some((j) => {
      if (!isRunning(j.status)) return false;
      const src = j.spec.source.replace(/[\\/]+$/, '');
      return localPath.startsWith(src) && /[\\/]/.test(localPath.charAt(src.length));
    });
  }

  /** One per read of the list under way: the events that arrived meanwhile, which are
   * newer than what the read returns. */
  private reads = new Set<Map<string, BackupJob>>();
  /** Removed here: a late event must not bring them back. */
  private removed = new Set<string>();
  /** Bumped on reset, so a read started before it is dropped. */
  private generation = 0;

  async load(): Promise<void> {
    const gen = this.generation;
    const early = new Map<string, BackupJob>();
    this.reads.add(early);
    this.loading = true;
    try {
      const list = await backend().listBackups();
      if (gen !== this.generation) return;
      this.jobs = sorted(list.filter((j) => !this.removed.has(j.id)).map((j) => early.get(j.id) ?? j));
      this.error = null;
      this.loaded = true;
    } catch (e) {
      if (gen !== this.generation) return;
      this.error = toAppError(e);
      throw this.error;
    } finally {
      this.reads.delete(early);
      this.loading = this.reads.size > 0;
    }
  }

  /** A `backup` event: the job as it is now (one of the jobs listed; others are left out). */
  apply(job: BackupJob): void {
    if (this.removed.has(job.id)) return;
    for (const early of this.reads) early.set(job.id, job);
    this.put(job);
  }

  byId(id: string): BackupJob | undefined {
    return this.jobs.find((j) => j.id === id);
  }

  async add(spec: BackupSpec): Promise<BackupJob> {
    const job = await call(() => backend().addBackup(spec));
    this.removed.delete(job.id);
    this.put(job, true);
    return job;
  }

  async update(id: string, spec: BackupSpec): Promise<BackupJob> {
    const job = await this.busy(id, () => backend().updateBackup(id, spec));
    this.put(job);
    return job;
  }

  async remove(id: string): Promise<void> {
    await this.busy(id, () => backend().removeBackup(id));
    this.removed.add(id);
    this.jobs = this.jobs.filter((j) => j.id !== id);
  }

  preview(id: string): Promise<RunReport> {
    return call(() => backend().previewBackup(id));
  }

  run(id: string): Promise<void> {
    return this.busy(id, () => backend().runBackup(id));
  }

  async setPaused(id: string, paused: boolean): Promise<void> {
    this.put(await this.busy(id, () => backend().setBackupPaused(id, paused)));
  }

  reset(): void {
    this.generation++;
    this.jobs = [];
    this.loaded = false;
    this.error = null;
    this.removed.clear();
  }

  private put(job: BackupJob, insert = false): void {
    const i = this.jobs.findIndex((j) => j.id === job.id);
    if (i < 0) {
      // A job this list does not have comes with the next read of it: the events of
      // every open account arrive here, and a job of another account is not this one's.
      if (insert) this.jobs = sorted([...this.jobs, job]);
      return;
    }
    const next = [...this.jobs];
    next[i] = job;
    this.jobs = next;
  }

  private async busy<T>(id: string, work: () => Promise<T>): Promise<T> {
    this.pending = new Set([...this.pending, id]);
    try {
      return await call(work);
    } finally {
      const next = new Set(this.pending);
      next.delete(id);
      this.pending = next;
    }
  }
}

async function call<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw toAppError(e);
  }
}

/** Oldest first, so a new job comes at the end and rows don't jump around. */
function sorted(jobs: BackupJob[]): BackupJob[] {
  return [...jobs].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

export const backups = new BackupsStore();
