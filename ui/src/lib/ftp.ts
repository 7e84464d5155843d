// FTP sub-accounts: the rules 1fichier sets for a user name and a password, checked
// before asking (the desktop shell checks them again), and where an account's uploads
// land, told by name. Pure, unit tested.
import { LIMITS } from './backend/types';

/** The server FTP accounts connect to. */
export const FTP_HOST = 'ftp.1fichier.com';

export type FtpUserProblem =
  | { kind: 'empty' }
  | { kind: 'tooLong'; max: number }
  | { kind: 'badChar'; char: string };

/** What is wrong with a user name (trimmed first, as the shell does), or null. */
export function ftpUserProblem(user: string): FtpUserProblem | null {
  const clean = user.trim();
  if (!clean) return { kind: 'empty' };
  if ([...clean].length > LIMITS.maxFtpUserChars) return { kind: 'tooLong', max: LIMITS.maxFtpUserChars };
  const bad = [...clean].find((c) => !/^[A-Za-z0-9._-]$/.test(c));
  return bad ? { kind: 'badChar', char: bad } : null;
}

/** Whether a password is long enough for 1fichier's FTP accounts. */
export function ftpPasswordTooShort(password: string): boolean {
  return [...password].length < LIMITS.minFtpPasswordChars;
}

/**
 * How the folder an account uploads into is shown: its name when the folder tree knows
 * it, the root by its name, otherwise its number (`unsaid` when 1fichier did not say).
 */
export function ftpFolderLabel(
  folderId: number | undefined,
  known: (id: number) => string | undefined,
  words: { root: string; unknown: (id: number) => string; unsaid: string },
): string {
  if (folderId == null) return words.unsaid;
  if (folderId === 0) return words.root;
  const name = known(folderId);
  return name ? name : words.unknown(folderId);
}
