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
    await b.signOut();
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

describe('FakeBackend: the local server', () => {
  const make = () => new FakeBackend({ signedIn: true, latency: [0, 0] });

  it('is off at first, and gives no stream link until it is turned on', async () => {
    const b = make();
    const s = await b.serveStatus();
    expect(s).toMatchObject({ enabled: false, running: false, address: null, davUrl: null, secret: null, port: 0, lan: false, readOnly: false, error: null, streams: [] });
    expect(s.user).toBe('fichier');
    const file = (await b.listFolder(0)).files[0];
    await expect(b.streamLink(file.url)).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('Stream & mount') });
    await expect(b.mountDrive()).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('listens on 4918, or the port given, with a secret that stays the same', async () => {
    const b = make();
    const on = await b.setServe({ enabled: true, lan: false, readOnly: false, port: 0 });
    expect(on).toMatchObject({ enabled: true, running: true, address: 'http://127.0.0.1:4918', davUrl: 'http://127.0.0.1:4918/dav/', lanAddress: null });
    expect(on.secret).toMatch(/^[A-Za-z0-9]{16,}$/);
    const moved = await b.setServe({ enabled: true, lan: true, readOnly: true, port: 8123 });
    expect(moved).toMatchObject({ running: true, address: 'http://127.0.0.1:8123', port: 8123, lan: true, readOnly: true });
    expect(moved.lanAddress).toMatch(/^http:\/\/\d+\.\d+\.\d+\.\d+:8123$/);
    expect(moved.secret).toBe(on.secret);
    expect((await b.serveStatus()).address).toBe('http://127.0.0.1:8123');
    const off = await b.setServe({ enabled: false, lan: true, readOnly: true, port: 8123 });
    expect(off).toMatchObject({ enabled: false, running: false, address: null, secret: null, lan: true, port: 8123 });
  });

  it('refuses a port out of range, and says why it is not running when the port is taken', async () => {
    const b = make();
    await expect(b.setServe({ enabled: true, lan: false, readOnly: false, port: 70_000 })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(b.setServe({ enabled: true, lan: false, readOnly: false, port: 1.5 })).rejects.toMatchObject({ code: 'invalid_request' });
    b.serve.takePort(4918);
    const s = await b.setServe({ enabled: true, lan: false, readOnly: false, port: 0 });
    expect(s).toMatchObject({ enabled: true, running: false, address: null });
    expect(s.error).toContain('4918');
    b.serve.freePort(4918);
    expect(await b.serveStatus()).toMatchObject({ running: true, error: null });
  });

  it('builds stream links from the address, the secret, the file id and the encoded name', async () => {
    const b = make();
    const { secret } = await b.setServe({ enabled: true, lan: false, readOnly: false, port: 0 });
    const music = (await b.listFolder(22692438)).files.find((f) => f.filename === '01 - Overture.flac')!;
    const id = music.url.split('?')[1];
    expect(await b.streamLink(music.url)).toBe(`http://127.0.0.1:4918/s/${secret}/${id}/01%20-%20Overture.flac`);
    await expect(b.streamLink('https://1fichier.com/?nosuchfile')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('shows the streams it serves, growing, with the counters and the wait 1fichier imposes', async () => {
    const b = make();
    await b.setServe({ enabled: true, lan: false, readOnly: false, port: 0 });
    expect((await b.serveStatus()).streams).toEqual([]);
    b.serve.addStream('timelapse.mp4', '127.0.0.1 · mpv', 1_000_000, 5_000_000);
    const first = await b.serveStatus();
    expect(first.streams).toHaveLength(1);
    expect(first.streams[0]).toMatchObject({ name: 'timelapse.mp4', client: '127.0.0.1 · mpv', bytesPerSecond: 1_000_000 });
    expect(first.streams[0].bytes).toBeGreaterThanOrEqual(5_000_000);
    expect(first.tokenCalls).toBe(1);
    expect(first.apiCalls).toBeGreaterThan(0);
    expect(first.pacerWaitSeconds).toBeNull();
    b.triggerFlood(30);
    expect((await b.serveStatus()).pacerWaitSeconds).toBeGreaterThan(25);
    // Turned off, nothing is served any more.
    await b.setServe({ enabled: false, lan: false, readOnly: false, port: 0 });
    expect((await b.serveStatus()).streams).toEqual([]);
  });

  it('exports a folder into a picked directory only, counting its files, then what changed', async () => {
    const b = make();
    await expect(b.exportStrm(22692438, '/home/demo/.config')).rejects.toMatchObject({ code: 'path_not_granted' });
    const dir = (await b.pickDirectory('export'))!;
    const first = await b.exportStrm(22692438, dir);
    expect(first).toEqual({ dir, written: 3, unchanged: 0, removed: 0, folders: 1, playlists: 1 });
    // Photos holds 48 files, and Holidays 2024 three more.
    const photos = await b.exportStrm(22692436, dir);
    expect(photos).toMatchObject({ written: 51, folders: 2, playlists: 1 });
    const music = (await b.listFolder(22692438)).files;
    await b.deleteFiles([music[0].url]);
    expect(await b.exportStrm(22692438, dir)).toMatchObject({ written: 0, unchanged: 2, removed: 1 });
  });

  it('mounts the drive, or says how when it cannot', async () => {
    const b = make();
    await b.setServe({ enabled: true, lan: false, readOnly: false, port: 0 });
    expect(await b.mountDrive()).toMatchObject({ mounted: true, location: 'dav://fichier@127.0.0.1:4918/dav/' });
    b.serve.canMount = false;
    const how = await b.mountDrive();
    expect(how.mounted).toBe(false);
    expect(how.location).toBeNull();
    expect(how.message).toContain('http://127.0.0.1:4918/dav/');
  });
});
