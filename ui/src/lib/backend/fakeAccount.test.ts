// The fake backend's account, FTP accounts, link check and upload time check behave as
// the shell's do: the same rules, the same error codes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeBackend, sizeFromName } from './fake/fakeBackend';
import { daysUntil, noticesOf } from './fake/account';
import { recentUploadSpeed } from './fake/uploadTime';
import type { Transfer } from './types';

const signedIn = () => new FakeBackend({ signedIn: true, latency: [0, 0], tickMs: 100, baseSpeedBps: 1_500_000 });

describe('fake account', () => {
  afterEach(() => vi.useRealTimers());

  it('counts days left as the shell does, and derives the notices most serious first', () => {
    const day = 86_400_000;
    expect(daysUntil(10 * day + 5, 0)).toBe(10);
    expect(daysUntil(1000, 0)).toBe(0);
    expect(daysUntil(-1000, 0)).toBe(-1);
    expect(daysUntil(-day - 1000, 0)).toBe(-2);
    expect(noticesOf({ uploadForbidden: true, overQuota: true, daysLeft: -1, useCdn: true, cdnCreditGb: 0 }).map((n) => n.kind))
      .toEqual(['uploadForbidden', 'overQuota', 'subscriptionEnded', 'cdnWithoutCredit']);
    expect(noticesOf({ uploadForbidden: false, overQuota: false, daysLeft: 21, useCdn: true, cdnCreditGb: 3 })).toEqual([{ kind: 'subscriptionEndsSoon', days: 21 }]);
    expect(noticesOf({ uploadForbidden: false, overQuota: false, daysLeft: 22, useCdn: false, cdnCreditGb: 0 })).toEqual([]);
  });

  it('shows the demo a subscription ending soon, an answer a few minutes old and the wait for a change', async () => {
    const b = signedIn();
    const a = await b.getAccount();
    expect(a.notices).toEqual([{ kind: 'subscriptionEndsSoon', days: 12 }]);
    expect(a.subscriptionDaysLeft).toBe(12);
    expect(a.ageSecs).toBeGreaterThanOrEqual(130);
    expect(a.changeWaitSecs).toBeGreaterThan(160);
    expect(a.changeWaitSecs).toBeLessThanOrEqual(170);
    expect(a.availableStorage).toBe(a.coldStorageTotal - a.coldStorageUsed);
    b.account.set({ uploadForbidden: true, coldStorageTotal: 1000 });
    const flagged = await b.getAccount();
    expect(flagged.overQuota).toBe(true);
    expect(flagged.availableStorage).toBeUndefined();
    expect(flagged.notices.map((n) => n.kind)).toEqual(['uploadForbidden', 'overQuota', 'subscriptionEndsSoon']);
  });

  it('changes "use CDN credit" after a delay, and the next change must wait 5 minutes', async () => {
    vi.useFakeTimers();
    const b = signedIn();
    b.account.answered(400);
    const read = b.getAccount();
    await vi.advanceTimersByTimeAsync(5);
    const before = await read;
    expect(before.ageSecs).toBe(0);
    b.account.answered(400);
    b.account.set({ cdnCreditGb: 0 });
    let done = false;
    const p = b.setUseCdn(true).then((a) => { done = true; return a; });
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(600);
    const a = await p;
    expect(a.useCdn).toBe(true);
    expect(a.changeWaitSecs).toBe(300);
    expect(a.notices.map((n) => n.kind)).toContain('cdnWithoutCredit');
  });

  it('adds and removes FTP accounts with the shell\'s rules and 1fichier\'s refusals', async () => {
    const b = signedIn();
    expect((await b.listFtpAccounts()).map((a) => a.user)).toEqual(['camera-upload', 'scanner']);
    await expect(b.addFtpAccount('bad name', 'longenough', 0)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(b.addFtpAccount('x'.repeat(33), 'longenough', 0)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(b.addFtpAccount('nas', 'short', 0)).rejects.toMatchObject({ code: 'invalid_request', message: 'Invalid request: an FTP password needs at least 8 characters' });
    await expect(b.addFtpAccount('nas', 'longenough', 999)).rejects.toMatchObject({ code: 'not_found' });
    await expect(b.addFtpAccount('Scanner', 'longenough', 0)).rejects.toMatchObject({ code: 'name_conflict' });
    const list = await b.addFtpAccount('  nas-backup ', 'longenough', 22692434);
    expect(list.at(-1)).toEqual({ user: 'nas-backup', folderId: 22692434 });
    expect((await b.removeFtpAccount('scanner')).map((a) => a.user)).toEqual(['camera-upload', 'nas-backup']);
    await expect(b.removeFtpAccount('scanner')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('fake link check', () => {
  it('answers from the account\'s files, and by id for the others', async () => {
    const b = signedIn();
    const root = await b.listFolder(0);
    const file = (name: string) => root.files.find((f) => f.filename === name)!;
    const readme = file('README.txt');
    const locked = file('secret-plans.pdf');
    const text = `see ${readme.url.replace('https://', '')}&af=3 and ${locked.url}\n`
      + 'https://1fichier.com/?gone12345 https://alterupload.com/?privx12345 badlk12345.1fichier.com '
      + `https://1fichier.com/?oddly12345 ${readme.url}`;
    const r = await b.checkLinks(text);
    expect(r).toEqual([
      { url: readme.url, status: 'available', name: 'README.txt', size: readme.size },
      { url: locked.url, status: 'private' },
      { url: 'https://1fichier.com/?gone12345', status: 'notFound' },
      { url: 'https://1fichier.com/?privx12345', status: 'private' },
      { url: 'https://1fichier.com/?badlk12345', status: 'badLink' },
      { url: 'https://1fichier.com/?oddly12345', status: 'unknown', text: 'Temporarily unavailable' },
    ]);
  });

  it('refuses a text without links, and waits out a flood', async () => {
    const b = signedIn();
    await expect(b.checkLinks('nothing here https://example.org/?abcde12345')).rejects.toMatchObject({ code: 'invalid_request' });
    const many = Array.from({ length: 5001 }, (_, i) => `1fichier.com/?l${String(i).padStart(6, '0')}`).join(' ');
    await expect(b.checkLinks(many)).rejects.toMatchObject({ code: 'invalid_request', message: 'Invalid request: 5001 links found; one check takes at most 5000' });
    b.triggerFlood(30);
    await expect(b.checkLinks('1fichier.com/?abcde12345')).rejects.toMatchObject({ code: 'flood', retryable: true, retryAfter: 30 });
  });
});

describe('fake upload time check', () => {
  it('takes a size written in a file name as it is', () => {
    expect(sizeFromName('raw-footage-80GB.mov')).toBe(80e9);
    expect(sizeFromName('disk-1.5TiB.img')).toBe(1.5 * 1024 ** 4);
    expect(sizeFromName('notes.txt')).toBeLessThan(30_000);
  });

  it('warns for a file that would outlast the 4 hours at the line speed, not for small ones', async () => {
    const b = signedIn();
    await expect(b.uploadTimeCheck(['/home/u/raw-footage-80GB.mov'])).rejects.toMatchObject({ code: 'path_not_granted' });
    b.grantDropped(['/home/u/raw-footage-80GB.mov', '/home/u/notes.txt', '/home/u/Holidays']);
    const long = await b.uploadTimeCheck(['/home/u/notes.txt', '/home/u/raw-footage-80GB.mov']);
    expect(long).toMatchObject({ files: 2, largestName: 'raw-footage-80GB.mov', largestBytes: 80e9, speedBps: 1_500_000, largestSecs: 53_334, windowSecs: 14_400, tooLong: true });
    const short = await b.uploadTimeCheck(['/home/u/notes.txt', '/home/u/Holidays']);
    expect(short.files).toBe(4);
    expect(short.tooLong).toBe(false);
  });

  it('measures the speed on recent large uploads first', () => {
    const up = (bytes: number, ms: number, finishedAt: number): Transfer => ({
      id: `u${finishedAt}`, kind: 'upload', name: 'f', state: 'done', bytesDone: bytes, bytesTotal: bytes, speedBps: 0,
      startedAt: finishedAt - ms, finishedAt,
    });
    const mib = 1024 * 1024;
    expect(recentUploadSpeed([up(100 * mib, 10_000, 1e6), up(50 * mib, 10_000, 2e6), up(10_000, 10_000, 3e6)])).toBe(Math.floor((150 * mib * 1000) / 20_000));
    expect(recentUploadSpeed([])).toBeUndefined();
    expect(recentUploadSpeed([{ ...up(0, 0, 0), state: 'running', speedBps: 1234 }])).toBe(1234);
  });
});
