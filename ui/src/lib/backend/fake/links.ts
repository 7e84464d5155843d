// The link check for the fake backend: the links are found in the text as the shell
// finds them (../../links.ts), then each is answered from the account's own files, as
// the website's mass check would: a file there is available, or private when it has a
// password or an access list. Links to files that are not the account's answer by their
// id, always the same way, so tests and the demo can show every state:
//   an id starting with "priv" is private, "bad" a bad link, "odd" an answer the check
//   does not know ("Temporarily unavailable"); any other is not found.
import type { FileEntry, LinkReport, LinkStatus } from '../types';
import { findLinks } from '../../links';
import { checkLinkCount, enforce } from '../../rules';

function statusOf(id: string, file: FileEntry | undefined): LinkStatus {
  if (file) return file.pass || file.acl ? { status: 'private' } : { status: 'available', name: file.filename, size: file.size };
  if (id.startsWith('priv')) return { status: 'private' };
  if (id.startsWith('bad')) return { status: 'badLink' };
  if (id.startsWith('odd')) return { status: 'unknown', text: 'Temporarily unavailable' };
  return { status: 'notFound' };
}

/** Checks the links in `text` against `files` (the account's, by URL). */
export function checkText(text: string, files: ReadonlyMap<string, FileEntry>): LinkReport[] {
  const links = findLinks(String(text ?? ''));
  enforce(checkLinkCount(links.length));
  return links.map((l) => ({ url: l.url, ...statusOf(l.id, files.get(l.url)) }));
}
