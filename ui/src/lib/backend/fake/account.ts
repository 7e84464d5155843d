// The account for the fake backend, as the shell describes it (crates/fichier-core/src/
// account.rs): storage, the flags that stop uploads, the subscription's end with its
// notice three weeks ahead, CDN credit and its switch, and the FTP sub-accounts.
//
// 1fichier answers one account call per 5 minutes. The fake keeps that clock to say how
// old its answer is (`ageSecs`) and how long a change would wait (`changeWaitSecs`), but a
// change of setting only waits `cdnDelayMs` here. The demo's answer is two minutes old and
// its subscription ends in 12 days, so the view shows a notice; tests set the rest with
// `set()` (`uploadForbidden`, `overQuota`, `useCdn` with no credit…) and `answered()`.
import type { AccountInfo, AccountNotice, AppError, FtpAccount, Offer } from '../types';
import { LIMITS } from '../types';
import { checkFtpPassword, checkFtpUser, enforce } from '../../rules';
import { parseFichierDate, toFichierDate } from '../../time';

/** 1fichier's spacing of account calls. */
export const ACCOUNT_CALL_INTERVAL_S = 300;
const DAY_MS = 86_400_000;

/** What 1fichier says of the account, before it is shaped for the window. */
export interface AccountFacts {
  email: string;
  offer: Offer;
  coldStorageTotal: number;
  hotStorageUsed?: number;
  /** Free space as 1fichier says it; by default what the offer leaves. */
  availableStorage?: number;
  overQuota: boolean;
  uploadForbidden: boolean;
  cdnCreditGb: number;
  useCdn: boolean;
  subscriptionEnd?: string;
}

/** Whole days until `end`: 0 on the last day, -1 the day after it ended (as the shell counts). */
export function daysUntil(endMs: number, nowMs: number): number {
  const secs = Math.trunc((endMs - nowMs) / 1000);
  return secs >= 0 ? Math.floor(secs / 86_400) : -Math.floor((-secs + 86_399) / 86_400);
}

/** The notices the shell derives from the facts, most serious first. */
export function noticesOf(f: { uploadForbidden: boolean; overQuota: boolean; daysLeft?: number; useCdn: boolean; cdnCreditGb: number }): AccountNotice[] {
  const out: AccountNotice[] = [];
  if (f.uploadForbidden) out.push({ kind: 'uploadForbidden' });
  if (f.overQuota) out.push({ kind: 'overQuota' });
  if (f.daysLeft != null && f.daysLeft < 0) out.push({ kind: 'subscriptionEnded' });
  else if (f.daysLeft != null && f.daysLeft <= LIMITS.subscriptionWarningDays) out.push({ kind: 'subscriptionEndsSoon', days: f.daysLeft });
  if (f.useCdn && f.cdnCreditGb <= 0) out.push({ kind: 'cdnWithoutCredit' });
  return out;
}

export class FakeAccount {
  private facts: AccountFacts;
  /** When 1fichier last answered about the account (epoch ms). */
  private answeredAt: number;
  /** When the last account call was made: the next one may be made 5 minutes later. */
  private calledAt: number;
  private ftp: FtpAccount[];
  /** How long a change of setting takes here, in milliseconds. */
  cdnDelayMs = 1500;

  /**
   * `usedBytes`: what the account's files take; `folderExists`: whether a folder id is
   * the account's (FTP uploads go into one). `other` describes another account than the
   * demo's (its facts and FTP accounts).
   */
  constructor(
    private usedBytes: () => number,
    private folderExists: (id: number) => boolean,
    now = Date.now(),
    other?: { facts: Partial<AccountFacts>; ftp?: FtpAccount[] },
  ) {
    this.facts = {
      email: 'demo@example.org',
      offer: 'premium',
      coldStorageTotal: 5 * 1024 ** 4,
      hotStorageUsed: 23 * 1024 ** 3,
      overQuota: false,
      uploadForbidden: false,
      cdnCreditGb: 412,
      useCdn: false,
      subscriptionEnd: toFichierDate(now + 12 * DAY_MS + 3_600_000),
      ...other?.facts,
    };
    this.ftp = other?.ftp ?? [
      { user: 'camera-upload', folderId: 22692436 },
      { user: 'scanner', folderId: 0 },
    ];
    this.answeredAt = now - 130_000;
    this.calledAt = this.answeredAt;
  }

  // ——— test and demo hooks ———

  /** Changes what 1fichier says of the account (flags, credit, the subscription's end…). */
  set(patch: Partial<AccountFacts>): void {
    this.facts = { ...this.facts, ...patch };
  }

  /** As if 1fichier had answered `secsAgo` seconds ago (and the last account call was then). */
  answered(secsAgo: number, now = Date.now()): void {
    this.answeredAt = now - secsAgo * 1000;
    this.calledAt = this.answeredAt;
  }

  get offer(): Offer {
    return this.facts.offer;
  }

  // ——— what the backend answers ———

  /** Seconds before another account call may be made. */
  changeWaitSecs(now = Date.now()): number {
    return Math.max(0, Math.ceil(ACCOUNT_CALL_INTERVAL_S - (now - this.calledAt) / 1000));
  }

  /** The account as the window sees it; an answer older than 5 minutes is asked again. */
  info(now = Date.now()): AccountInfo {
    if (now - this.answeredAt >= ACCOUNT_CALL_INTERVAL_S * 1000) {
      this.answeredAt = now;
      this.calledAt = now;
    }
    const f = this.facts;
    const used = this.usedBytes();
    const endMs = parseFichierDate(f.subscriptionEnd);
    const daysLeft = endMs == null ? undefined : daysUntil(endMs, now);
    const overQuota = f.overQuota || (f.coldStorageTotal > 0 && used > f.coldStorageTotal);
    const available = f.availableStorage ?? Math.max(0, f.coldStorageTotal - used);
    return {
      email: f.email,
      offer: f.offer,
      coldStorageUsed: used,
      coldStorageTotal: f.coldStorageTotal,
      hotStorageUsed: f.hotStorageUsed,
      availableStorage: available > 0 ? available : undefined,
      overQuota,
      uploadForbidden: f.uploadForbidden,
      cdnCreditGb: f.cdnCreditGb,
      useCdn: f.useCdn,
      subscriptionEnd: f.subscriptionEnd,
      subscriptionDaysLeft: daysLeft,
      notices: noticesOf({ uploadForbidden: f.uploadForbidden, overQuota, daysLeft, useCdn: f.useCdn, cdnCreditGb: f.cdnCreditGb }),
      ageSecs: Math.max(0, Math.floor((now - this.answeredAt) / 1000)),
      changeWaitSecs: this.changeWaitSecs(now),
    };
  }

  /** The change made (the caller waited for it): our own change is folded into the answer. */
  setUseCdn(on: boolean, now = Date.now()): AccountInfo {
    this.facts = { ...this.facts, useCdn: !!on };
    this.calledAt = now;
    return this.info(now);
  }

  listFtp(): FtpAccount[] {
    return this.ftp.map((a) => ({ ...a }));
  }

  /** Checks as the shell does, then as 1fichier does (a user name taken, a folder gone). */
  addFtp(user: string, password: string, folderId: number): FtpAccount[] {
    const clean = String(user ?? '').trim();
    enforce(checkFtpUser(clean));
    enforce(checkFtpPassword(String(password ?? '')));
    if (!Number.isInteger(folderId) || !this.folderExists(folderId)) {
      throw { code: 'not_found', message: 'Folder not found #469', retryable: false } satisfies AppError;
    }
    if (this.ftp.some((a) => a.user.toLowerCase() === clean.toLowerCase())) {
      throw { code: 'name_conflict', message: 'FTP user already exists', retryable: false } satisfies AppError;
    }
    this.ftp = [...this.ftp, { user: clean, folderId }];
    return this.listFtp();
  }

  removeFtp(user: string): FtpAccount[] {
    const clean = String(user ?? '').trim();
    if (!this.ftp.some((a) => a.user === clean)) {
      throw { code: 'not_found', message: 'FTP user not found', retryable: false } satisfies AppError;
    }
    this.ftp = this.ftp.filter((a) => a.user !== clean);
    return this.listFtp();
  }
}
