// 1fichier links in pasted text, and what a check of them said. The finding follows the
// desktop shell's rules (crates/fichier-core/src/links.rs): any of 1fichier's domains,
// with or without a scheme, `?<id>` maybe followed by `&af=…`, or the old
// `<id>.1fichier.com` form; each file once, in the order met. Pure, unit tested.
import type { LinkReport } from './backend/types';

/** The domains 1fichier serves files on. */
export const LINK_DOMAINS = [
  '1fichier.com',
  'alterupload.com',
  'cjoint.net',
  'desfichiers.com',
  'dfichiers.com',
  'megadl.fr',
  'mesfichiers.org',
  'piecejointe.net',
  'pjointe.com',
  'tenvoi.com',
  'dl4free.com',
] as const;

export interface FoundLink {
  id: string;
  /** The link in the one form the check and the download take: https://1fichier.com/?<id>. */
  url: string;
}

const SEPARATORS = /[\s<>"'()[\]{},|]+/u;
const ID = /^[a-z0-9]{5,20}$/;

function trimPunctuation(word: string): string {
  let a = 0;
  let b = word.length;
  while (a < b && '.;:!'.includes(word[a])) a++;
  while (b > a && '.;:!'.includes(word[b - 1])) b--;
  return word.slice(a, b);
}

function readLink(word: string): FoundLink | null {
  if (word.length < 8 || word.length > 2048) return null;
  const lower = word.toLowerCase();
  let full: string;
  if (lower.startsWith('http://') || lower.startsWith('https://')) full = word;
  else if (lower.includes('://')) return null;
  else full = `https://${word}`;
  let url: URL;
  try {
    url = new URL(full);
  } catch {
    return null;
  }
  const host = url.hostname.toLowerCase();
  const domain = LINK_DOMAINS.find((d) => host === d || host.endsWith(`.${d}`));
  if (!domain) return null;
  const query = url.search.startsWith('?') ? url.search.slice(1).split('&')[0] : '';
  const sub = host === domain ? '' : host.slice(0, -(domain.length + 1));
  const id = ID.test(query) ? query : sub !== 'www' && ID.test(sub) ? sub : null;
  return id ? { id, url: `https://1fichier.com/?${id}` } : null;
}

/** The 1fichier links in `text`, each file once, in the order they appear. */
export function findLinks(text: string): FoundLink[] {
  const seen = new Set<string>();
  const out: FoundLink[] = [];
  for (const raw of text.split(SEPARATORS)) {
    if (!raw) continue;
    const link = readLink(trimPunctuation(raw));
    if (link && !seen.has(link.id)) {
      seen.add(link.id);
      out.push(link);
    }
  }
  return out;
}

export type LinkKind = LinkReport['status'];

export interface LinkSummary {
  total: number;
  available: number;
  notFound: number;
  private: number;
  badLink: number;
  unknown: number;
  /** Bytes of the available files. */
  availableBytes: number;
}

/** How many links are in each state. */
export function summarize(reports: readonly LinkReport[]): LinkSummary {
  const s: LinkSummary = { total: reports.length, available: 0, notFound: 0, private: 0, badLink: 0, unknown: 0, availableBytes: 0 };
  for (const r of reports) {
    s[r.status]++;
    if (r.status === 'available') s.availableBytes += r.size;
  }
  return s;
}

/** The links a download can take: the available ones, in the order checked. */
export function availableUrls(reports: readonly LinkReport[]): string[] {
  return reports.filter((r) => r.status === 'available').map((r) => r.url);
}

/** Text files a user may drop or open with links in them (by type, or by name when the type is unknown). */
export function isTextFile(file: { name: string; type: string }): boolean {
  if (file.type.startsWith('text/')) return true;
  if (file.type && file.type !== 'application/octet-stream') return /^(application\/(json|xml|x-url))/.test(file.type);
  return /\.(txt|text|list|lst|csv|tsv|md|html?|url|log|nfo)$/i.test(file.name);
}

/** Appends dropped or opened text to what is in the box, on a line of its own. */
export function appendText(current: string, added: string): string {
  const extra = added.replace(/\r\n?/g, '\n');
  if (!current.trim()) return extra;
  return current.endsWith('\n') ? current + extra : `${current}\n${extra}`;
}
