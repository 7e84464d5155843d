import { afterEach, describe, expect, it, vi } from 'vitest';
import { toAppError } from './backend';
import { FakeBackend } from './fake/fakeBackend';
import type { AppEvent } from './types';

describe('toAppError', () => {
  it('keeps well-formed errors, accepting snake_case retry_after', () => {
    expect(toAppError({ code: 'flood', message: 'm', retryable: true, retry_after: 30 })).toEqual({
      code: 'flood', message: 'm', retryable: true, retryAfter: 30,
    });
  });
  it('maps unknown codes and strings to protocol errors', () => {
    expect(toAppError({ code: 'weird', message: 'x' }).code).toBe('protocol');
    expect(toAppError('boom')).toEqual({ code: 'protocol', message: 'boom', retryable: false });
  });
});

describe('FakeBackend', () => {
  afterEach(() => vi.useRealTimers());

  const signedIn = () => new FakeBackend({ signedIn: true, latency: [0, 0], tickMs: 100, baseSpeedBps: 10_000_000 });

  it('serves a second listing inside 30 s from cache, with its age', async () => {
    const b = signedIn();
    const first = await b.listFolder(0);
    expect(first.fromCache).toBe(false);
    expect(first.subFolders.length).toBeGreaterThan(3);
    const again = await b.listFolder(0, true);
    expect(again.fromCache).toBe(true);
  });

  it('folds its own changes into the cached listing, which still says it is cached', async () => {
    const b = signedIn();
    const first = await b.listFolder(0);
    const readme = first.files.find((f) => f.filename === 'README.txt')!;
    await b.renameFile(readme.url, 'READ-ME.txt');
    const made = await b.createFolder(0, 'Inbox');
    const again = await b.listFolder(0);
    expect(again.fromCache).toBe(true);
    expect(again.files.map((f) => f.filename)).toContain('READ-ME.txt');
    expect(again.subFolders.map((f) => f.id)).toContain(made.id);
  });

  it('leaves the demo without a key, and refuses remote uploads to a free account', async () => {
    const b = new FakeBackend({ latency: [0, 0] });
    await b.startDemo();
    expect(await b.getSession()).toMatchObject({ hasKey: true, demo: true });
    await b.leaveDemo();
    expect(await b.getSession()).toMatchObject({ hasKey: false, demo: false });
    const paid = signedIn();
    paid.setOffer('free');
    await expect(paid.remoteUpload(['https://example.org/a.zip'], 0)).rejects.toMatchObject({ code: 'not_customer' });
    paid.setOffer('premium');
    await expect(paid.remoteUpload(['  '], 0)).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('refuses to delete a non-empty folder and to create a duplicate name', async () => {
    const b = signedIn();
    await expect(b.deleteFolder(22692434)).rejects.toMatchObject({ code: 'folder_not_empty' });
    await expect(b.createFolder(0, 'Documents')).rejects.toMatchObject({ code: 'name_conflict' });
    await expect(b.saveApiKey('0000'.padEnd(32, 'a'), false)).rejects.toMatchObject({ code: 'invalid_key' });
  });

  it('runs an upload to completion and lists the new file', async () => {
    vi.useFakeTimers();
    const b = signedIn();
    const events: AppEvent[] = [];
    await b.subscribe((e) => events.push(e));
    b.grantDropped(['/tmp/notes.txt']);
    const p = b.uploadPaths(['/tmp/notes.txt'], 22692441);
    await vi.advanceTimersByTimeAsync(10);
    const [t] = await p;
    await vi.advanceTimersByTimeAsync(3000);
    const states = events.filter((e) => e.type === 'state').map((e) => (e.type === 'state' ? e.transfer.state : ''));
    expect(states[0]).toBe('queued');
    expect(states).toContain('running');
    expect(states.at(-1)).toBe('done');
    const listingP = b.listFolder(22692441);
    await vi.advanceTimersByTimeAsync(10);
    expect((await listingP).files.map((f) => f.filename)).toEqual(['notes.txt']);
    expect(t.kind).toBe('upload');
  });

  it('uploads only what was picked or dropped, and downloads only into a picked folder', async () => {
    const b = signedIn();
    await expect(b.uploadPaths(['/home/demo/.ssh/id_ed25519'], 0)).rejects.toMatchObject({ code: 'path_not_granted' });
    b.grantDropped(['/home/demo/Dropped']);
    await expect(b.uploadPaths(['/home/demo/Dropped/a.txt'], 0)).resolves.toHaveLength(1);
    await expect(b.uploadPaths(['/home/demo/Dropped/../.ssh/id_ed25519'], 0)).rejects.toMatchObject({ code: 'path_not_granted' });
    await expect(b.uploadPaths(['/home/demo/Dropped-too/a.txt'], 0)).rejects.toMatchObject({ code: 'path_not_granted' });
    const [picked] = (await b.pickUploadPaths(false)) ?? [];
    await expect(b.uploadPaths([picked], 0)).resolves.toHaveLength(1);

    const url = (await b.listFolder(0)).files[0].url;
    await expect(b.downloadFiles([url], '/home/demo/.config/autostart')).rejects.toMatchObject({ code: 'path_not_granted' });
    await expect(b.downloadFiles([url], '/home/demo/Dropped')).rejects.toMatchObject({ code: 'path_not_granted' });
    await expect(b.downloadFiles([url])).resolves.toHaveLength(1);
    const settings = await b.getSettings();
    await expect(b.saveSettings({ ...settings, downloadDir: '/home/demo/.config/autostart' })).rejects.toMatchObject({ code: 'path_not_granted' });
    const dir = (await b.pickDirectory())!;
    await expect(b.downloadFiles([url], dir)).resolves.toHaveLength(1);
    expect((await b.saveSettings({ ...settings, downloadDir: dir })).downloadDir).toBe(dir);
  });

  it('pages the history and keeps it within its bounds', async () => {
    const b = signedIn();
    b.addHistory(120);
    const first = await b.listHistory(0, 50);
    expect(first.total).toBe(120);
    expect(first.items.map((t) => t.id).slice(0, 2)).toEqual(['h120', 'h119']);
    const last = await b.listHistory(100, 50);
    expect(last.items.map((t) => t.id).at(-1)).toBe('h1');
    expect(last.items).toHaveLength(20);
    expect(await b.listTransfers()).toEqual([]);
    const settings = await b.getSettings();
    await b.saveSettings({ ...settings, historyMaxItems: 30 });
    expect((await b.listHistory(0, 200)).total).toBe(30);
    await b.saveSettings({ ...settings, historyMaxItems: 1000, historyMaxDays: 1 });
    // One a minute: a day keeps 1,440 at most, so all 30 stay.
    expect((await b.listHistory(0, 200)).total).toBe(30);
  });

  it('announces a flood wait and its end', async () => {
    vi.useFakeTimers();
    const b = signedIn();
    const waits: number[] = [];
    await b.subscribe((e) => { if (e.type === 'pacerWait') waits.push(e.waitSeconds); });
    b.triggerFlood(5);
    await vi.advanceTimersByTimeAsync(5100);
    expect(waits).toEqual([5, 0]);
  });
  it('keeps backups: a seeded job, the spec rules, a run announced step by step, pause and remove', async () => {
    vi.useFakeTimers();
    const b = signedIn();
    const jobs: AppEvent[] = [];
    await b.subscribe((e) => { if (e.type === 'backup') jobs.push(e); });
    const call = async <T>(p: Promise<T>) => { await vi.advanceTimersByTimeAsync(10); return p; };

    const [seed] = await call(b.listBackups());
    expect(seed.spec.name).toBe('Photos');
    expect(seed.lastRun?.outcome).toBe('done');
    expect(seed.nextRunAt).toBeGreaterThan(Date.now());

    const spec = { ...seed.spec, name: 'Documents', source: '/home/demo/Documents', schedule: { kind: 'manual' as const } };
    const refused = async (patch: object) => {
      const p = b.addBackup({ ...spec, ...patch }).catch((e) => e);
      await vi.advanceTimersByTimeAsync(10);
      return p;
    };
    expect(await refused({ name: '  ' })).toMatchObject({ code: 'invalid_request', message: 'Give the backup a name.' });
    expect(await refused({ source: '' })).toMatchObject({ code: 'invalid_request', message: 'Choose the folder to back up.' });
    expect(await refused({ versions: 101 })).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('earlier versions') });
    expect(await refused({ trashDays: 0 })).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('days') });
    expect(await refused({ schedule: { kind: 'every', hours: 169 } })).toMatchObject({ code: 'invalid_request' });
    expect(await refused({ schedule: { kind: 'daily', hour: 24, minute: 0 } })).toMatchObject({ code: 'invalid_request' });
    expect(await refused({ schedule: { kind: 'daily', hour: 23, minute: 60 } })).toMatchObject({ code: 'invalid_request' });

    const added = await call(b.addBackup(spec));
    expect(added.lastRun).toBeUndefined();
    expect(added.nextRunAt).toBeUndefined();
    const preview = await call(b.previewBackup(added.id));
    expect(preview.dryRun).toBe(true);
    expect(preview.uploaded).toBeGreaterThan(0);

    await call(b.runBackup(added.id));
    await vi.advanceTimersByTimeAsync(10_000);
    const states = jobs.filter((e) => e.type === 'backup' && e.job.id === added.id).map((e) => (e.type === 'backup' ? e.job.status.state : ''));
    expect(states[0]).toBe('scanning');
    expect(states).toContain('uploading');
    expect(states.at(-1)).toBe('idle');
    const [, after] = await call(b.listBackups());
    expect(after.lastRun).toMatchObject({ outcome: 'done', dryRun: false, uploaded: preview.uploaded });

    const paused = await call(b.setBackupPaused(added.id, true));
    expect(paused.status.state).toBe('paused');
    expect(await call(b.runBackup(added.id).catch((e) => e))).toMatchObject({ code: 'not_allowed' });
    expect((await call(b.setBackupPaused(added.id, false))).status.state).toBe('idle');

    await call(b.removeBackup(added.id));
    expect((await call(b.listBackups())).map((j) => j.id)).toEqual([seed.id]);
  });
});
