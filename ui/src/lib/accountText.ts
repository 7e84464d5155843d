// What the account view says about 1fichier's answer: each notice as a title, what it
// means and what to do, how old the answer is, and how long a change of setting waits
// for the one-account-call-per-5-minutes rule. Pure, unit tested.
import type { AccountNotice, Language } from './backend/types';
import { translate, type MessageKey } from './i18n/index.svelte';

export interface NoticeText {
  title: string;
  body: string;
  action: string;
  /** `danger`: something stopped working; `warn`: something will, or costs money for nothing. */
  tone: 'danger' | 'warn';
}

const DANGER: ReadonlySet<AccountNotice['kind']> = new Set(['uploadForbidden', 'overQuota', 'subscriptionEnded']);

export function noticeText(notice: AccountNotice, lang: Language): NoticeText {
  const base = `account.notice.${notice.kind}`;
  const vars = notice.kind === 'subscriptionEndsSoon' ? { n: Math.max(0, notice.days) } : undefined;
  return {
    title: translate(lang, `${base}.title` as MessageKey, vars),
    body: translate(lang, `${base}.body` as MessageKey),
    action: translate(lang, `${base}.action` as MessageKey),
    tone: DANGER.has(notice.kind) ? 'danger' : 'warn',
  };
}

/** Seconds left now of a wait that was `secs` long `elapsedMs` ago. */
export function waitLeft(secs: number, elapsedMs: number): number {
  return Math.max(0, Math.ceil(secs - elapsedMs / 1000));
}

/** A wait of some seconds, in whole minutes from one minute on ("3 min", "40 s"). */
export function waitText(secs: number, lang: Language): string {
  const s = Math.max(0, Math.ceil(secs));
  if (s < 60) return translate(lang, 'account.seconds', { s });
  return translate(lang, 'account.minutes', { m: Math.ceil(s / 60) });
}

/** How old 1fichier's answer about the account is. */
export function ageText(secs: number, lang: Language): string {
  const s = Math.max(0, Math.floor(secs));
  if (s < 60) return translate(lang, 'account.asOfNow');
  const m = Math.floor(s / 60);
  if (m < 60) return translate(lang, 'account.asOfMin', { m });
  return translate(lang, 'account.asOfHours', { h: Math.floor(m / 60) });
}

/** The days left of a subscription, or how long ago it ended. */
export function subscriptionDaysText(days: number, lang: Language): string {
  return days < 0 ? translate(lang, 'account.endedAgo', { n: -days }) : translate(lang, 'account.daysLeft', { n: days });
}
