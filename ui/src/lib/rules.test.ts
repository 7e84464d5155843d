// The window's copy of core's input rules says what core says: every case core generated
// (rules.cases.ts, from src-tauri/src/rule_cases.rs) is run through the matching checker
// and must get the same verdict, code and message. The fake backend refuses with these
// same checkers, so its refusals are checked here too.
import { describe, expect, it } from 'vitest';
import type { BackupSpec, FileAttributes, Settings } from './backend/types';
import { RULE_CASES, type RuleCase } from './rules.cases';
import {
  checkAccountName,
  checkBackupSpec,
  checkFtpPassword,
  checkFtpUser,
  checkLinkCount,
  checkName,
  checkPassword,
  checkServePort,
  checkSettings,
  type PasswordUse,
  type RuleError,
} from './rules';
import { FakeBackend } from './backend/fake/fakeBackend';

type Rule = RuleCase['rule'];
type PasswordInput = { what: PasswordUse; password: string | null };
type SettingsInput = Pick<Settings, 'concurrency' | 'connections'>;

/** The checker of each rule, taking the case's input as core's generator wrote it. */
const CHECKERS: Record<Rule, (input: unknown) => RuleError | null> = {
  name: (i) => checkName(i as string),
  password: (i) => checkPassword((i as PasswordInput).password, (i as PasswordInput).what),
  ftpPassword: (i) => checkFtpPassword(i as string),
  ftpUser: (i) => checkFtpUser(i as string),
  accountName: (i) => checkAccountName(i as string),
  settings: (i) => checkSettings(i as SettingsInput),
  linkCount: (i) => checkLinkCount(i as number),
  servePort: (i) => checkServePort(i as number),
  backupSpec: (i) => checkBackupSpec(i as BackupSpec),
};

/** A case as a test's title: the rule and its input, shortened. */
function title(c: RuleCase): string {
  // JSON escapes C0 controls but not DEL and C1; spell those out too.
  const input = JSON.stringify(c.input).replace(/[\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${c.rule} ${input.length > 60 ? `${input.slice(0, 57)}…` : input} → ${c.error ? c.error.code : 'accepted'}`;
}

/** A verdict as core's cases write it. */
function verdictOf(e: RuleError | null): RuleCase['error'] {
  return e && { code: e.code, message: e.message };
}

describe("core's input rules", () => {
  it('has cases from core, and a checker for every rule they name', () => {
    expect(RULE_CASES.length).toBeGreaterThan(0);
    const rules = [...new Set(RULE_CASES.map((c) => c.rule))];
    const missing = rules.filter((r) => typeof (CHECKERS as Record<string, unknown>)[r] !== 'function');
    expect(missing, 'rules of rules.cases.ts with no checker in rules.ts').toEqual([]);
    // And no checker is left without a case (a rule core dropped).
    expect(Object.keys(CHECKERS).sort()).toEqual([...rules].sort());
  });

  it.each(RULE_CASES.map((c) => [title(c), c] as const))('%s', (_, c) => {
    const got = CHECKERS[c.rule](c.input);
    expect(verdictOf(got)).toEqual(c.error);
    if (got) expect(got.retryable).toBe(false);
  });
});

// A few inputs core's cases leave out, where a JavaScript habit would part from Rust:
// UTF-16 lengths, C1 controls, and how Rust quotes a character (`{:?}`).
describe('the rules count and quote as Rust does', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(checkPassword('😀'.repeat(5), 'file')?.message).toBe('Invalid request: a file password needs at least 6 characters');
    expect(checkPassword('😀'.repeat(6), 'file')).toBeNull();
    expect(checkName('😀'.repeat(250))).toBeNull();
  });

  it('takes U+0080–U+009F as control characters, as char::is_control does', () => {
    expect(checkName('next\u0085line')?.message).toBe("Invalid request: a name can't contain control characters (line breaks, tabs)");
    expect(checkAccountName('Work\u009f')?.message).toBe("an account name can't hold control characters");
    expect(checkName('no\u00a0break')).toBeNull();
  });

  it('quotes the refused character of an FTP user name as Rust debug-prints a char', () => {
    const not = (user: string) => checkFtpUser(user)?.message.replace(/^.* only, not /, '');
    expect(not("it's")).toBe("'\\''");
    expect(not('a\tb')).toBe("'\\t'");
    expect(not('back\\slash')).toBe("'\\\\'");
    expect(not('say"hi')).toBe(`'"'`);
    expect(not('zero\u200bwidth')).toBe("'\\u{200b}'");
  });
});

describe('the fake backend refuses with those rules', () => {
  const fake = () => new FakeBackend({ signedIn: true, latency: [0, 0], tickMs: 100_000 });
  const refused = (c: RuleCase) => c.error !== null;
  const casesOf = (rule: Rule) => RULE_CASES.filter((c) => c.rule === rule && refused(c)).map((c) => [title(c), c] as const);
  const KEY = 'FamilyKeyOfTheFakeAccount0000003';

  /** What the fake answered: the error it rejected with, as a case's verdict. */
  async function answer(p: Promise<unknown>): Promise<RuleCase['error'] | 'accepted'> {
    try {
      await p;
      return 'accepted';
    } catch (e) {
      const { code, message } = e as RuleError;
      return { code, message };
    }
  }

  it.each(casesOf('name'))('createFolder, renameFolder and renameFile: %s', async (_, c) => {
    const b = fake();
    const root = await b.listFolder(0);
    expect(await answer(b.createFolder(0, c.input as string))).toEqual(c.error);
    expect(await answer(b.renameFolder(root.subFolders[0].id, c.input as string))).toEqual(c.error);
    expect(await answer(b.renameFile(root.files[0].url, c.input as string))).toEqual(c.error);
  });

  it.each(casesOf('password'))('setFileAttributes, shareFolder and uploadPaths: %s', async (_, c) => {
    const b = fake();
    const { what, password } = c.input as PasswordInput;
    const root = await b.listFolder(0);
    if (what === 'file') {
      const attributes: FileAttributes = { password: password ?? undefined };
      expect(await answer(b.setFileAttributes([root.files[0].url], attributes))).toEqual(c.error);
      expect(await answer(b.uploadPaths(['/home/demo/a.txt'], 0, password ?? undefined))).toEqual(c.error);
    } else {
      expect(await answer(b.shareFolder(root.subFolders[0].id, true, password ?? undefined))).toEqual(c.error);
    }
  });

  it.each([...casesOf('ftpUser'), ...casesOf('ftpPassword')])('addFtpAccount: %s', async (_, c) => {
    const b = fake();
    const [user, password] = c.rule === 'ftpUser' ? [c.input as string, 'longenough'] : ['nas', c.input as string];
    expect(await answer(b.addFtpAccount(user, password, 0))).toEqual(c.error);
  });

  it.each(casesOf('accountName'))('addAccount: %s', async (_, c) => {
    expect(await answer(fake().addAccount(c.input as string, KEY, true))).toEqual(c.error);
  });

  it.each(casesOf('settings'))('saveSettings: %s', async (_, c) => {
    const b = fake();
    const settings = await b.getSettings();
    expect(await answer(b.saveSettings({ ...settings, ...(c.input as SettingsInput) }))).toEqual(c.error);
  });

  it.each(casesOf('linkCount'))('checkLinks: %s', async (_, c) => {
    const n = c.input as number;
    const text = n === 0 ? 'no link here' : Array.from({ length: n }, (_, i) => `1fichier.com/?l${String(i).padStart(6, '0')}`).join(' ');
    expect(await answer(fake().checkLinks(text))).toEqual(c.error);
  });

  it.each(casesOf('backupSpec'))('addBackup and updateBackup: %s', async (_, c) => {
    const b = fake();
    const [seed] = await b.listBackups();
    expect(await answer(b.addBackup(c.input as BackupSpec))).toEqual(c.error);
    expect(await answer(b.updateBackup(seed.id, c.input as BackupSpec))).toEqual(c.error);
  });
});
