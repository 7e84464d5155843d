import { describe, expect, it } from 'vitest';
import { ageText, noticeText, subscriptionDaysText, waitLeft, waitText } from './accountText';
import type { AccountNotice } from './backend/types';

describe('account notices', () => {
  it('gives every notice a title, its meaning and what to do, in both languages', () => {
    const all: AccountNotice[] = [
      { kind: 'uploadForbidden' }, { kind: 'overQuota' }, { kind: 'subscriptionEnded' },
      { kind: 'subscriptionEndsSoon', days: 5 }, { kind: 'cdnWithoutCredit' },
    ];
    for (const lang of ['en', 'fr'] as const) {
      const texts = all.map((n) => noticeText(n, lang));
      for (const x of texts) {
        expect(x.title).not.toMatch(/^account\.|plural|\{/);
        expect(x.body.length).toBeGreaterThan(20);
        expect(x.action).toMatch(/1fichier\.com|ci-dessous|below/);
      }
      expect(new Set(texts.map((x) => x.title)).size).toBe(all.length);
    }
    expect(all.map((n) => noticeText(n, 'en').tone)).toEqual(['danger', 'danger', 'danger', 'warn', 'warn']);
  });

  it('says how many days are left, today and one day apart', () => {
    expect(noticeText({ kind: 'subscriptionEndsSoon', days: 12 }, 'en').title).toBe('Your subscription ends in 12 days');
    expect(noticeText({ kind: 'subscriptionEndsSoon', days: 1 }, 'en').title).toBe('Your subscription ends in 1 day');
    expect(noticeText({ kind: 'subscriptionEndsSoon', days: 0 }, 'en').title).toBe('Your subscription ends today');
    expect(noticeText({ kind: 'subscriptionEndsSoon', days: 1 }, 'fr').title).toBe('Votre abonnement se termine dans 1 jour');
    expect(noticeText({ kind: 'subscriptionEndsSoon', days: 12 }, 'fr').title).toBe('Votre abonnement se termine dans 12 jours');
    expect(subscriptionDaysText(12, 'en')).toBe('12 days left');
    expect(subscriptionDaysText(0, 'en')).toBe('Ends today');
    expect(subscriptionDaysText(-3, 'en')).toBe('Ended 3 days ago');
    expect(subscriptionDaysText(-1, 'fr')).toBe('Terminé depuis 1 jour');
  });

  it('tells the wait for the 5-minute rule and the age of the answer', () => {
    expect(waitLeft(180, 0)).toBe(180);
    expect(waitLeft(180, 61_500)).toBe(119);
    expect(waitLeft(30, 40_000)).toBe(0);
    expect(waitText(180, 'en')).toBe('3 min');
    expect(waitText(121, 'en')).toBe('3 min');
    expect(waitText(59.2, 'en')).toBe('1 min');
    expect(waitText(59, 'en')).toBe('59 s');
    expect(waitText(40, 'fr')).toBe('40 s');
    expect(ageText(20, 'en')).toBe('As of less than a minute ago');
    expect(ageText(130, 'en')).toBe('As of 2 min ago');
    expect(ageText(2 * 3600 + 5, 'en')).toBe('As of 2 h ago');
    expect(ageText(300, 'fr')).toBe('Informations d’il y a 5 min');
  });
});
