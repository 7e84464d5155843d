import { describe, expect, it } from 'vitest';
import { en, fr } from './messages';
import { errorText, remoteErrorText, remoteResultText, translate } from './index.svelte';
import { ERROR_CODES, type ErrorCode } from '../backend/types';

// Every code the Rust side can send (generated), so a new one cannot go untranslated.
const codes: readonly ErrorCode[] = ERROR_CODES;

describe('messages', () => {
  it('has the same keys and placeholders in English and French', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      // `{name}` and the variable of `{n, plural, …}` alike.
      const vars = (s: string) => [...s.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]).sort();
      expect(vars(fr[key]), key).toEqual(vars(en[key]));
      expect(fr[key].trim(), key).not.toBe('');
    }
  });

  it('has a text for every error code, chosen by code and not by message', () => {
    for (const code of codes) {
      const text = errorText({ code, message: 'Flood detected: IP Locked #374', retryable: false }, 'en');
      expect(text, code).toBe(translate('en', `error.${code}` as keyof typeof en, { message: 'Flood detected: IP Locked #374' }));
    }
    expect(errorText({ code: 'invalid_key', message: 'anything', retryable: false }, 'fr')).toContain('clé API');
  });

  it('tells remote-upload errors in the window\'s language, the back end\'s words only for an unknown code', () => {
    const english = 'This needs a paying 1fichier account (Premium, Access or CDN credit).';
    expect(remoteErrorText({ code: 'not_customer', message: english, retryable: false }, 'fr')).toBe('L’upload distant demande un compte Premium ou Access.');
    for (const code of ['refused', 'invalid_request', 'not_found']) {
      const text = remoteErrorText({ code, message: 'Too many URLs: at most 100 per request', retryable: false }, 'fr');
      expect(text, code).not.toContain('Too many');
      expect(text, code).toBe(translate('fr', `remote.error.${code}` as keyof typeof en));
    }
    // Codes without a text of their own here take the general one.
    expect(remoteErrorText({ code: 'network', message: 'connection failed', retryable: true }, 'fr')).toBe(translate('fr', 'error.network'));
    // A code the window does not know: the message is all there is.
    expect(remoteErrorText({ code: 'weird', message: 'something new', retryable: false }, 'fr')).toBe('Réponse inattendue : something new');

    const ko = { url: 'https://example.org/x.bin', status: 'ko' as const, message: 'Remote server answered 404' };
    expect(remoteResultText(ko, 'fr')).toEqual({ text: 'Échec : 1fichier n’a pas pu la récupérer', title: 'Réponse de 1fichier : « Remote server answered 404 »' });
    expect(remoteResultText(ko, 'en')).toEqual({ text: 'Failed: Remote server answered 404', title: '1fichier’s answer: “Remote server answered 404”' });
    expect(remoteResultText({ ...ko, message: undefined }, 'fr')).toEqual({ text: 'Échec' });
    expect(remoteResultText({ url: ko.url, status: 'ok' }, 'fr').text).toBe('Ajouté');
    expect(remoteResultText({ url: ko.url, status: 'pending' }, 'fr').text).toBe('En attente de 1fichier');
  });

  it('fills placeholders', () => {
    expect(translate('en', 'pacer.flood', { s: 27 })).toBe('1fichier asked us to slow down: resuming in 27 s');
    expect(translate('fr', 'browser.items', { n: 3 })).toBe('3 éléments');
  });

  it('chooses the plural form each language uses, and writes counts its way', () => {
    expect(translate('en', 'dialog.moveTitle', { n: 1 })).toBe('Move 1 item to…');
    expect(translate('en', 'dialog.moveTitle', { n: 2 })).toBe('Move 2 items to…');
    expect(translate('en', 'toast.moved', { n: 1, name: 'Docs' })).toBe('1 item moved to “Docs”');
    expect(translate('en', 'remote.sent', { n: 1 })).toBe('Remote upload requested for 1 URL');
    expect(translate('en', 'browser.items', { n: 5000 })).toBe('5,000 items');
    expect(translate('en', 'browser.items', { n: 0 })).toBe('0 items');
    // French uses the singular for 0 and 1, and a narrow no-break space between thousands.
    expect(translate('fr', 'browser.items', { n: 0 })).toBe('0 élément');
    expect(translate('fr', 'browser.items', { n: 1 })).toBe('1 élément');
    expect(translate('fr', 'browser.items', { n: 5000 })).toBe('5\u202f000 éléments');
    expect(translate('fr', 'toast.deleted', { n: 2 })).toBe('2 éléments supprimés');
    // Ids are not counts: written as they are.
    expect(translate('en', 'remote.job', { id: 12345, date: 'today' })).toBe('Request 12345 · today');
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      for (const lang of ['en', 'fr'] as const) {
        const text = translate(lang, key, { n: 2, total: 3, name: 'x', size: '1 KiB' });
        expect(text, `${lang} ${key}`).not.toMatch(/plural|#/);
      }
    }
  });
});
