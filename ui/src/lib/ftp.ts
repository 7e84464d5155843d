// FTP sub-accounts: the rules 1fichier sets for a user name and a password, checked
// before asking (the desktop shell checks them again; the rules themselves are in
// rules.ts), and where an account's uploads land, told by name. Pure, unit tested.
import { ftpUserNameProblem, type FtpUserProblem } from './rules';

export { ftpPasswordTooShort, type FtpUserProblem } from './rules';

/** The server FTP accounts connect to. */
export const FTP_HOST = 'ftp.1fichier.com';

/** What is wrong with a user name (trimmed first, as the shell does), or null (rules.ts). */
export function ftpUserProblem(user: string): FtpUserProblem | null {
  return ftpUserNameProblem(user.trim());
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
