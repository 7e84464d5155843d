// The current language and `t()`. Reading `t()` in a template re-renders it when the
// language changes.
import type { AppError, Language, RemoteResult } from '../backend/types';
import { en, fr, type MessageKey } from './messages';

export type { MessageKey };
export const dictionaries: Record<Language, Record<MessageKey, string>> = { en, fr };

export const locale = $state<{ lang: Language }>({ lang: 'en' });

export type Vars = Record<string, string | number>;

/** Counts are written the locale's way (5,000 / 5 000); other numbers (ids) as they are. */
const COUNTS = new Set(['n', 'total']);
const PLURAL = /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{[^{}]*\})+)\s*\}/g;
const CASE = /(=\d+|\w+)\s*\{([^{}]*)\}/g;

/**
 * A message with its variables: `{name}` is replaced by the value, and
 * `{n, plural, one {# item} other {# items}}` picks the form the language uses for n
 * (`=0 {…}` for an exact number), with `#` standing for n.
 */
export function translate(lang: Language, key: MessageKey, vars?: Vars): string {
  const text = dictionaries[lang][key] ?? en[key] ?? key;
  if (!vars) return text;
  const tag = lang === 'fr' ? 'fr-FR' : 'en-GB';
  const number = new Intl.NumberFormat(tag);
  const rules = new Intl.PluralRules(tag);
  const withPlurals = text.replace(PLURAL, (m, name: string, cases: string) => {
    if (!(name in vars)) return m;
    const n = Number(vars[name]);
    const forms = new Map<string, string>();
    for (const c of cases.matchAll(CASE)) forms.set(c[1], c[2]);
    const form = forms.get(`=${n}`) ?? forms.get(rules.select(n)) ?? forms.get('other') ?? '';
    return form.replace(/#/g, number.format(n));
  });
  return withPlurals.replace(/\{(\w+)\}/g, (m, name: string) => {
    if (!(name in vars)) return m;
    const v = vars[name];
    return typeof v === 'number' && COUNTS.has(name) ? number.format(v) : String(v);
  });
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

/** The language the back end and 1fichier write their messages in. */
export const BACKEND_LANGUAGE: Language = 'en';

/**
 * The message for an error of a remote upload (asking for one, retrying one, listing them):
 * a text written for that place when the code has one (`remote.error.<code>`), the
 * general text of the code otherwise. As with `errorText`, only a code the window does
 * not know shows the back end's own message.
 */
export function remoteErrorText(error: Omit<AppError, 'code'> & { code: string }, lang: Language = locale.lang): string {
  const key = `remote.error.${error.code}` as MessageKey;
  return key in en ? translate(lang, key) : errorText(error, lang);
}

/**
 * What became of one URL of a remote upload. 1fichier says why a URL failed in its own
 * words, with no code: they are shown as they are only when the window speaks their
 * language, and otherwise kept for the tooltip (`title`), quoted as 1fichier's.
 */
export function remoteResultText(r: RemoteResult, lang: Language = locale.lang): { text: string; title?: string } {
  if (r.status === 'ok') return { text: translate(lang, 'remote.ok') };
  if (r.status !== 'ko') return { text: translate(lang, 'remote.pending') };
  const message = r.message?.trim();
  if (!message) return { text: translate(lang, 'remote.ko') };
  return {
    text: lang === BACKEND_LANGUAGE ? translate(lang, 'remote.koMessage', { message }) : translate(lang, 'remote.koFetch'),
    title: translate(lang, 'remote.koSays', { message }),
  };
}

/** BCP 47 tag for Intl formatting. */
export function intlLocale(): string {
  return locale.lang === 'fr' ? 'fr-FR' : 'en-GB';
}
