// Core's input rules, in the one place the window keeps them: the names of files and
// folders, passwords, FTP accounts, account names, the settings' bounds, the number of
// links one check takes and what a backup may be set to. The forms check with them
// before asking (to say what is wrong as the user types, in their own words), and the
// browser suite's fake backend refuses with them, in core's words.
//
// Each rule has a checker that gives null when core accepts the input, or the error core
// answers with (same code, same message). Where a form says what is wrong in its own
// words, the rule also says which problem it is (`…Problem`), and the checker words that
// problem as core does. `rules.test.ts` runs every checker on the cases core generated
// (`rules.cases.ts`) and fails on any difference. Numbers come from LIMITS (core's).
import type { AppError, BackupSpec, Settings } from './backend/types';
import { LIMITS } from './backend/types';

/** A refused input: always `invalid_request`, never worth retrying. */
export type RuleError = AppError & { code: 'invalid_request'; retryable: false };

/** core's `ApiError::InvalidRequest`, whose message reads "Invalid request: …". */
function invalidRequest(reason: string): RuleError {
  return { code: 'invalid_request', message: `Invalid request: ${reason}`, retryable: false };
}

/** core's `CoreError::InvalidInput`, whose message is the reason alone. */
function invalidInput(reason: string): RuleError {
  return { code: 'invalid_request', message: reason, retryable: false };
}

/** Throws the error a checker gave, if any (what a backend does with it). */
export function enforce(error: RuleError | null): void {
  if (error) throw error;
}

/** Characters as Rust counts them (`chars().count()`): code points, not UTF-16 units. */
function charCount(s: string): number {
  return [...s].length;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Whether `s` holds a control character (Rust's `char::is_control`: Cc). */
export function hasControlChar(s: string): boolean {
  return CONTROL.test(s);
}

/** Rust has a `char` say itself with `{:?}`: quoted, and escaped when it isn't printable. */
function rustCharDebug(c: string): string {
  const named: Record<string, string> = { '\0': '\\0', '\t': '\\t', '\r': '\\r', '\n': '\\n', '\\': '\\\\', "'": "\\'" };
  if (named[c] !== undefined) return `'${named[c]}'`;
  const unprintable = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Grapheme_Extend}]/u.test(c) || (c !== ' ' && /\p{Zs}/u.test(c));
  return unprintable ? `'\\u{${c.codePointAt(0)!.toString(16)}}'` : `'${c}'`;
}

// ——— names of files and folders (core: names.rs, check_name) ———

export type NameProblem =
  | { kind: 'empty' }
  | { kind: 'tooLong'; max: number; count: number }
  | { kind: 'slash' }
  | { kind: 'control' };

/** What is wrong with a file or folder name (trimmed first, as core does), or null. */
export function nameProblem(name: string): NameProblem | null {
  const clean = name.trim();
  const count = charCount(clean);
  if (count === 0) return { kind: 'empty' };
  if (count > LIMITS.maxNameChars) return { kind: 'tooLong', max: LIMITS.maxNameChars, count };
  if (clean.includes('/')) return { kind: 'slash' };
  if (hasControlChar(clean)) return { kind: 'control' };
  return null;
}

export function checkName(name: string): RuleError | null {
  const p = nameProblem(name);
  if (!p) return null;
  switch (p.kind) {
    case 'empty': return invalidRequest("a name can't be empty");
    case 'tooLong': return invalidRequest(`a name has at most ${p.max} characters; this one has ${p.count}`);
    case 'slash': return invalidRequest("a name can't contain “/”: it would look like a folder that isn't there (create the folder instead)");
    case 'control': return invalidRequest("a name can't contain control characters (line breaks, tabs)");
  }
}

// ——— file and share passwords (core: library, check_password) ———

/** What a password protects, as core's message says it. */
export type PasswordUse = 'file' | 'share';

/** Whether a password is too short; none (null, undefined or "") means no password. */
export function passwordTooShort(password: string | null | undefined): boolean {
  return !!password && charCount(password) < LIMITS.minPasswordChars;
}

export function checkPassword(password: string | null | undefined, what: PasswordUse): RuleError | null {
  return passwordTooShort(password) ? invalidRequest(`a ${what} password needs at least ${LIMITS.minPasswordChars} characters`) : null;
}

// ——— FTP accounts (core: account.rs, check_ftp_user and check_ftp_password) ———

export type FtpUserProblem =
  | { kind: 'empty' }
  | { kind: 'tooLong'; max: number }
  | { kind: 'badChar'; char: string };

/** What is wrong with an FTP user name as given (core trims it before asking this), or null. */
export function ftpUserNameProblem(user: string): FtpUserProblem | null {
  if (user === '') return { kind: 'empty' };
  if (charCount(user) > LIMITS.maxFtpUserChars) return { kind: 'tooLong', max: LIMITS.maxFtpUserChars };
  const bad = [...user].find((c) => !/^[A-Za-z0-9._-]$/.test(c));
  return bad ? { kind: 'badChar', char: bad } : null;
}

export function checkFtpUser(user: string): RuleError | null {
  const p = ftpUserNameProblem(user);
  if (!p) return null;
  switch (p.kind) {
    case 'empty': return invalidRequest('an FTP account needs a user name');
    case 'tooLong': return invalidRequest(`an FTP user name has at most ${p.max} characters`);
    case 'badChar': return invalidRequest(`an FTP user name takes letters, digits, '.', '_' and '-' only, not ${rustCharDebug(p.char)}`);
  }
}

/** Whether a password is too short for 1fichier's FTP accounts (an empty one is). */
export function ftpPasswordTooShort(password: string): boolean {
  return charCount(password) < LIMITS.minFtpPasswordChars;
}

export function checkFtpPassword(password: string): RuleError | null {
  return ftpPasswordTooShort(password) ? invalidRequest(`an FTP password needs at least ${LIMITS.minFtpPasswordChars} characters`) : null;
}

// ——— account names (core: accounts.rs, check_account_name) ———

export type AccountNameRuleProblem =
  | { kind: 'empty' }
  | { kind: 'tooLong'; max: number }
  | { kind: 'control' };

/** What is wrong with an account name (trimmed first, as core does), or null; names taken aside. */
export function accountNameRuleProblem(name: string): AccountNameRuleProblem | null {
  const clean = name.trim();
  if (!clean) return { kind: 'empty' };
  if (charCount(clean) > LIMITS.maxAccountNameChars) return { kind: 'tooLong', max: LIMITS.maxAccountNameChars };
  if (hasControlChar(clean)) return { kind: 'control' };
  return null;
}

export function checkAccountName(name: string): RuleError | null {
  const p = accountNameRuleProblem(name);
  if (!p) return null;
  switch (p.kind) {
    case 'empty': return invalidInput('an account needs a name');
    case 'tooLong': return invalidInput(`an account name has at most ${p.max} characters`);
    case 'control': return invalidInput("an account name can't hold control characters");
  }
}

// ——— settings (core: settings.rs, check) ———

export function checkSettings(settings: Pick<Settings, 'concurrency' | 'connections'>): RuleError | null {
  const within = (v: number, max: number) => v >= 1 && v <= max;
  if (!within(settings.concurrency, LIMITS.maxConcurrency)) {
    return invalidInput(`Run between 1 and ${LIMITS.maxConcurrency} transfers at once.`);
  }
  if (!within(settings.connections, LIMITS.maxConnections)) {
    return invalidInput(`Use between 1 and ${LIMITS.maxConnections} connections per download.`);
  }
  return null;
}

// ——— the local server's port (core: serving.rs, check_serve_port) ———

/** Whether a port can be chosen: 0 (any free one) or from LIMITS.minServePort to 65535. */
export function servePortAllowed(port: number): boolean {
  return Number.isInteger(port) && port <= 65_535 && (port === 0 || port >= LIMITS.minServePort);
}

export function checkServePort(port: number): RuleError | null {
  if (servePortAllowed(port)) return null;
  return invalidInput(`Choose a port from ${LIMITS.minServePort} to 65535 (or 0 for any free one).`);
}

// ——— the link check (core: links.rs, check_link_count) ———

export type LinkCountProblem = { kind: 'none' } | { kind: 'tooMany'; found: number; max: number };

/** Whether one check takes `found` links: none, or more than it takes, is a problem. */
export function linkCountProblem(found: number): LinkCountProblem | null {
  if (found === 0) return { kind: 'none' };
  if (found > LIMITS.maxCheckedLinks) return { kind: 'tooMany', found, max: LIMITS.maxCheckedLinks };
  return null;
}

export function checkLinkCount(found: number): RuleError | null {
  const p = linkCountProblem(found);
  if (!p) return null;
  if (p.kind === 'none') return invalidRequest('no 1fichier link found: paste links such as https://1fichier.com/?abc123xyz9');
  return invalidRequest(`${p.found} links found; one check takes at most ${p.max}`);
}

// ——— backups (core: backup/rules.rs, check_spec) ———

/**
 * Whether a path is a full one: "/…", or a drive's "C:\…" or "C:/…". (Core also asks the
 * disk whether the folder is there, which the window can't.)
 */
export function isFullPath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path);
}

/**
 * What core refuses in a backup's spec, in its order, but for what only the disk can tell
 * (a source that is no folder) and the exclusions' patterns. Numbers that are not whole,
 * or below zero, core can't even read; here they are refused with their field's message.
 */
export function checkBackupSpec(spec: BackupSpec): RuleError | null {
  const whole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
  const name = String(spec.name ?? '').trim();
  if (!name) return invalidInput('Give the backup a name.');
  if (charCount(name) > LIMITS.maxBackupNameChars) {
    return invalidInput(`A backup name has at most ${LIMITS.maxBackupNameChars} characters.`);
  }
  const source = String(spec.source ?? '').trim();
  if (!source) return invalidInput('Choose the folder to back up.');
  if (!isFullPath(source)) return invalidInput(`${source} is not a full path to a folder.`);
  if (!whole(spec.folderId) || spec.folderId < 0) return invalidInput('Choose the 1fichier folder it goes to.');
  if (!whole(spec.versions) || spec.versions < 0 || spec.versions > LIMITS.maxVersions) {
    return invalidInput(`Keep at most ${LIMITS.maxVersions} earlier versions.`);
  }
  if (!whole(spec.trashDays) || spec.trashDays < 1 || spec.trashDays > LIMITS.maxTrashDays) {
    return invalidInput(`Keep removed files between 1 and ${LIMITS.maxTrashDays} days.`);
  }
  const s = spec.schedule;
  if (s.kind === 'every' && (!whole(s.hours) || s.hours < 1 || s.hours > LIMITS.maxEveryHours)) {
    return invalidInput(`Run every 1 to ${LIMITS.maxEveryHours} hours.`);
  }
  if (s.kind === 'daily' && (!whole(s.hour) || !whole(s.minute) || s.hour < 0 || s.hour > 23 || s.minute < 0 || s.minute > 59)) {
    return invalidInput('Choose a time of day between 00:00 and 23:59.');
  }
  return null;
}

/** The spec as core keeps it once accepted: name and source trimmed, blank exclusions dropped. */
export function tidyBackupSpec(spec: BackupSpec): BackupSpec {
  const excludes = (spec.excludes ?? []).map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  return { ...spec, name: spec.name.trim(), source: spec.source.trim(), excludes };
}
