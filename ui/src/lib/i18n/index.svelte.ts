// The current language and `t()`. Reading `t()` in a template re-renders it when the
// language changes.
import type { AppError, Language } from '../backend/types';
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

/** BCP 47 tag for Intl formatting. */
export function intlLocale(): string {
  return locale.lang === 'fr' ? 'fr-FR' : 'en-GB';
}
