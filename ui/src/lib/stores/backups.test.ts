import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../backend';
import type { BackupJob } from '../backend/types';
import { FakeBackend } from '../backend/fake/fakeBackend';
import { setBackend } from './backendRef';
import { backups } from './backups.svelte';

describe('the backups store', () => {
  afterEach(() => {
    vi.useRealTimers();
    backups.reset();
  });

  function withFake() {
    vi.useFakeTimers();
    const fake = new FakeBackend({ signedIn: true, latency: [5, 5], tickMs: 100 });
    setBackend(fake);
    void fake.subscribe((e) => { if (e.type === 'backup') backups.apply(e.job); });
    return fake;
  }
  const settle = () => vi.advanceTimersByTimeAsync(20);

  it('reads the list, then follows the events of a run to its end', async () => {
    const fake = withFake();
    const loading = backups.load();
    await settle();
    await loading;
    expect(backups.jobs.map((j) => j.spec.name)).toEqual(['Photos']);
    const adding = backups.add({ ...backups.jobs[0].spec, name: 'Music', source: '/home/demo/Music' });
    await settle();
    const job = await adding;
    expect(backups.jobs.map((j) => j.spec.name)).toEqual(['Photos', 'Music']);
    void fake.runBackup(job.id);
    await vi.advanceTimersByTimeAsync(300);
    expect(backups.running).toBe(1);
    // Its files are its own while it runs (told in one summary), not a sibling folder's.
    expect(backups.covers('/home/demo/Music/a/b.mp3')).toBe(true);
    expect(backups.covers('/home/demo/Music2/b.mp3')).toBe(false);
    expect(backups.covers(undefined)).toBe(false);
    await vi.advanceTimersByTimeAsync(5000);
    expect(backups.running).toBe(0);
    expect(backups.byId(job.id)?.lastRun?.outcome).toBe('done');
    expect(backups.covers('/home/demo/Music/a/b.mp3')).toBe(false);
  });

  it('keeps what an event said during the read, and forgets removed jobs for good', async () => {
    withFake();
    const stale = { id: 'b1', status: { state: 'idle' } } as unknown as BackupJob;
    const slow: Partial<Backend> = {
      listBackups: () => new Promise((resolve) => setTimeout(() => resolve([{ ...stale, spec: { name: 'old' } } as BackupJob]), 50)),
      removeBackup: async () => {},
    };
    setBackend(slow as Backend);
    const loading = backups.load();
    backups.apply({ ...stale, spec: { name: 'new' }, status: { state: 'scanning', files: 3 } } as BackupJob);
    await vi.advanceTimersByTimeAsync(60);
    await loading;
    expect(backups.jobs.map((j) => [j.spec.name, j.status.state])).toEqual([['new', 'scanning']]);
    await backups.remove('b1');
    backups.apply({ ...stale, spec: { name: 'late' } } as BackupJob);
    expect(backups.jobs).toEqual([]);
  });
});
