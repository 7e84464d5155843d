// Several accounts in the fake backend behave as the shell's: the list (the demo last),
// switching without stopping a transfer, adding with the shell's checks, removing.
import { describe, expect, it } from 'vitest';
import { FakeBackend } from './fake/fakeBackend';
import { MAIN_KEY, WORK_KEY, slug } from './fake/accounts';

const make = (accounts = 2) => new FakeBackend({ signedIn: true, accounts, latency: [0, 0], tickMs: 50, baseSpeedBps: 200_000 });
const KEY = 'Fresh'.padEnd(32, 'k');

describe('fake accounts', () => {
  it('lists every account with a key, the one shown, then the demo', async () => {
    const b = make();
    const list = await b.listAccounts();
    expect(list.map((a) => [a.id, a.name, a.open, a.shown, a.demo])).toEqual([
      ['main', 'main', true, true, false],
      ['work', 'Work', true, false, false],
      ['demo', 'Demo', false, false, true],
    ]);
    expect(list[1].email).toBe('studio@north-films.example');
    expect(await b.getSession()).toMatchObject({ hasKey: true, demo: false, account: 'main' });
    // Nothing signed in: the demo alone, and no account shown.
    const fresh = new FakeBackend({ latency: [0, 0] });
    expect((await fresh.listAccounts()).map((a) => a.id)).toEqual(['demo']);
    expect(await fresh.getSession()).toEqual({ hasKey: false, demo: false, keychainAvailable: true });
  });

  it('switches to files of the other account while a transfer of the first goes on, labelled', async () => {
    const b = make();
    b.grantDropped(['/home/u/big-video.mp4']);
    const [t] = await b.uploadPaths(['/home/u/big-video.mp4'], 0);
    expect(t.account).toBe('main');
    const s = await b.switchAccount('work');
    expect(s).toMatchObject({ hasKey: true, demo: false, account: 'work' });
    const root = await b.listFolder(0);
    expect(root.subFolders.map((f) => f.name)).toContain('Clients');
    expect(root.files.map((f) => f.filename)).not.toContain('README.txt');
    expect((await b.getAccount()).email).toBe('studio@north-films.example');
    await new Promise((r) => setTimeout(r, 300));
    const [still] = await b.listTransfers();
    expect(still).toMatchObject({ id: t.id, account: 'main' });
    expect(still.bytesDone).toBeGreaterThan(0);
    const list = await b.listAccounts();
    expect(list.find((a) => a.id === 'main')).toMatchObject({ shown: false, transfers: 1, running: 1 });
    // Back to the first account: its own files again.
    await b.switchAccount('main');
    expect((await b.listFolder(0)).files.map((f) => f.filename)).toContain('README.txt');
    await expect(b.switchAccount('nope')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('adds an account with the shell\'s checks, and shows it', async () => {
    const b = make(1);
    await expect(b.addAccount('Family', 'short', false)).rejects.toMatchObject({ code: 'bad_key_format' });
    await expect(b.addAccount('Family', '0000'.padEnd(32, 'a'), false)).rejects.toMatchObject({ code: 'invalid_key' });
    await expect(b.addAccount('  ', KEY, false)).rejects.toMatchObject({ code: 'invalid_request', message: 'an account needs a name' });
    await expect(b.addAccount('x'.repeat(41), KEY, false)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(b.addAccount('a\tb', KEY, false)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(b.addAccount('MAIN', KEY, false)).rejects.toMatchObject({ code: 'invalid_request', message: 'an account named "MAIN" already exists' });
    await expect(b.addAccount('Again', MAIN_KEY, false)).rejects.toMatchObject({
      code: 'name_conflict', message: 'This key is the account "main" (demo@example.org), already in the list.',
    });
    const info = await b.addAccount('Work (GOLD)', WORK_KEY, false);
    expect(info.email).toBe('studio@north-films.example');
    expect(await b.getSession()).toMatchObject({ account: 'work-gold' });
    await expect(b.addAccount('Other name', WORK_KEY, false)).rejects.toMatchObject({ code: 'name_conflict' });
    expect((await b.listAccounts()).map((a) => a.id)).toEqual(['main', 'work-gold', 'demo']);
    expect(slug('Demo')).toBe('demo');
    expect((await b.addAccount('Demo', KEY, true)).email).toMatch(/@example\.net$/);
    expect(await b.getSession()).toMatchObject({ account: 'demo-2', demo: false });
    const none = new FakeBackend({ signedIn: true, keychainAvailable: false, latency: [0, 0] });
    await expect(none.addAccount('Family', KEY, false)).rejects.toMatchObject({ code: 'keychain_unavailable' });
    await expect(none.addAccount('Family', KEY, true)).resolves.toMatchObject({ email: expect.any(String) });
  });

  it('removes an account: its transfers stop and resume when it is added again', async () => {
    const b = make();
    await b.switchAccount('work');
    b.grantDropped(['/home/u/cut.mov']);
    const [t] = await b.uploadPaths(['/home/u/cut.mov'], 0);
    const after = await b.removeAccount('work');
    expect(after).toMatchObject({ hasKey: true, account: 'main' });
    expect((await b.listTransfers()).map((x) => x.id)).not.toContain(t.id);
    expect((await b.listAccounts()).map((a) => a.id)).toEqual(['main', 'demo']);
    await expect(b.pauseTransfer(t.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(b.switchAccount('work')).rejects.toMatchObject({ code: 'not_found' });
    await b.addAccount('Work', WORK_KEY, false);
    expect(await b.listTransfers()).toEqual([expect.objectContaining({ id: t.id, account: 'work' })]);
    // The first account keeps its place without a key: no longer listed, and no key to open it with.
    await b.switchAccount('main');
    expect(await b.removeAccount('main')).toMatchObject({ hasKey: true, account: 'work' });
    expect((await b.listAccounts()).map((a) => a.id)).toEqual(['work', 'demo']);
    expect(await b.removeAccount('work')).toEqual({ hasKey: false, demo: false, keychainAvailable: true });
  });

  it('ends the demo when it is removed or left; the real account shown next', async () => {
    const b = make(1);
    await b.switchAccount('demo');
    expect(await b.getSession()).toMatchObject({ demo: true, account: 'demo' });
    expect((await b.listAccounts()).find((a) => a.id === 'demo')).toMatchObject({ open: true, shown: true });
    expect(await b.removeAccount('demo')).toMatchObject({ demo: false, account: 'main' });
    await b.startDemo();
    await b.signOut();
    expect(await b.getSession()).toMatchObject({ hasKey: true, account: 'main' });
    // A key kept for the session only is gone once its account closes: said as such.
    await b.addAccount('Travel', KEY, true);
    await b.signOut();
    expect(await b.getSession()).toMatchObject({ account: 'main' });
    expect((await b.listAccounts()).map((a) => a.id)).toEqual(['main', 'demo']);
    await expect(b.switchAccount('travel')).rejects.toMatchObject({ code: 'key_missing', message: expect.stringContaining('Remove the account and add it again') });
  });
});
