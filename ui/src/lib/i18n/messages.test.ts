import { describe, expect, it } from 'vitest';
import { en, fr } from './messages';
import { errorText, translate } from './index.svelte';
import { ERROR_CODES, type ErrorCode } from '../backend/types';

// Every code the Rust side can send (generated), so a new one cannot go untranslated.
const codes: readonly ErrorCode[] = ERROR_CODES;

describe('messages', () => {
  it('has the same keys and placeholders in English and French', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const vars = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
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

  it('fills placeholders', () => {
    expect(translate('en', 'pacer.flood', { s: 27 })).toBe('1fichier asked us to slow down: resuming in 27 s');
    expect(translate('fr', 'browser.items', { n: 3 })).toBe('3 éléments');
  });
});
