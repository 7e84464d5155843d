// The accounts of this computer for the fake backend, as the shell keeps them
// (crates/fichier-core/src/accounts.rs): names with their rules, ids made from the names,
// whether a key is stored in the keychain, and the e-mail 1fichier gave for it. The
// first account, `main`, is the one onboarding stores its key for; it keeps its place
// in the list without a key. The demo is no account of this computer: its id, `demo`,
// is never given to one.
import type { AppError } from '../types';
import { checkAccountName, enforce } from '../../rules';

export const MAIN_ID = 'main';
export const DEMO_ID = 'demo';
/** The key of the first account when the fake starts signed in. */
export const MAIN_KEY = 'MainKeyOfTheFakeAccount000000001';
/** The key of the second account of the "two accounts" start (`?accounts=2`). */
export const WORK_KEY = 'WorkKeyOfTheStudioAccount0000002';
export const WORK_EMAIL = 'studio@north-films.example';

export interface FakeEntry {
  id: string;
  name: string;
  email?: string;
  /** The key given for it in this run (kept for this session only when not `stored`). */
  key?: string;
  /** Its key is in the keychain. */
  stored: boolean;
}

function invalid(message: string): AppError {
  return { code: 'invalid_request', message, retryable: false };
}

/**
 * The key as the shell takes it: 32 letters, digits, `_` or `-` (`bad_key_format`);
 * 1fichier refuses the ones starting with "0000" here (`invalid_key`).
 */
export function checkedKey(key: string): string {
  const k = String(key ?? '').trim();
  if (!/^[A-Za-z0-9_-]{32}$/.test(k)) {
    throw { code: 'bad_key_format', message: 'An API key is 32 letters, digits, _ or -', retryable: false } satisfies AppError;
  }
  if (k.startsWith('0000')) throw { code: 'invalid_key', message: 'Not authenticated #247', retryable: false } satisfies AppError;
  return k;
}

/** The e-mail 1fichier gives for a key no account of the list has (stable for a key). */
export function emailForKey(key: string): string {
  if (key === WORK_KEY) return WORK_EMAIL;
  let h = 7;
  for (const c of key) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  return `account-${1000 + (h % 9000)}@example.net`;
}

/** `Work (GOLD)` → `work-gold`; a name with no letter or digit becomes `account`. */
export function slug(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 24).replace(/-+$/, '');
  return s || 'account';
}

export class FakeRegistry {
  entries: FakeEntry[] = [{ id: MAIN_ID, name: MAIN_ID, stored: false }];

  get(id: string): FakeEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  /** By name or id, case aside. */
  find(name: string): FakeEntry | undefined {
    const n = name.trim().toLowerCase();
    return this.entries.find((e) => e.name.toLowerCase() === n || e.id.toLowerCase() === n);
  }

  /** The entry holding `key`, or whose e-mail is `email`. */
  holding(key: string, email?: string): FakeEntry | undefined {
    return this.entries.find((e) => (e.key && e.key === key) || (email && e.email === email));
  }

  /** Checks the name as the shell does and makes an entry for it (not kept until `keep`). */
  make(name: string): FakeEntry {
    const clean = String(name ?? '').trim();
    enforce(checkAccountName(clean));
    if (this.find(clean)) throw invalid(`an account named "${clean}" already exists`);
    const stem = slug(clean);
    let id = stem;
    for (let n = 2; id === DEMO_ID || this.get(id); n++) id = `${stem}-${n}`;
    return { id, name: clean, stored: false };
  }

  keep(entry: FakeEntry): void {
    if (!this.get(entry.id)) this.entries.push(entry);
  }

  /** Forgets the account; the first one stays, without key. */
  remove(id: string): void {
    const e = this.get(id);
    if (!e) return;
    if (id === MAIN_ID) {
      e.key = undefined;
      e.stored = false;
    } else {
      this.entries = this.entries.filter((x) => x.id !== id);
    }
  }
}
