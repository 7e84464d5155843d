// The current language and `t()`. Reading `t()` in a template re-renders it when the
// language changes.
import type { AppError, Language } from '../backend/types';
import { en, fr, type MessageKey } from './messages';

export type { MessageKey };
export const dictionaries: Record<Language, Record<MessageKey, string>> = { en, fr };

export const locale = $state<{ lang: Language }>({ lang: 'en' });

export type Vars = Record<string, string | number>;

export function translate(lang: Language, key: MessageKey, vars?: Vars): string {
  const text = dictionaries[lang][key] ?? en[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function t(key: MessageKey, vars?: Vars): string {
  return translate(locale.lang, key, vars);
}

/** The text shown for an error: chosen from its code, never from its message. */
/** The message for an error, chosen by its code (an unknown code reads as unexpected). */
export function errorText(error: Omit<AppError, 'code'> & { code: string }, lang: Language = locale.lang): string {
  const key = `error.${error.code}` as MessageKey;
  return translate(lang, key in en ? key : 'error.protocol', { message: error.message });
}

/** BCP 47 tag for Intl formatting. */
export function intlLocale(): string {
  return locale.lang === 'fr' ? 'fr-FR' : 'en-GB';
}
