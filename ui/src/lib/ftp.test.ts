import { describe, expect, it } from 'vitest';
import { FTP_HOST, ftpFolderLabel, ftpPasswordTooShort, ftpUserProblem } from './ftp';
import { LIMITS } from './backend/types';

describe('FTP accounts', () => {
  it('takes letters, digits, ".", "_" and "-" in a user name, up to the limit', () => {
    expect(ftpUserProblem('camera_2.back-up')).toBeNull();
    expect(ftpUserProblem('  padded  ')).toBeNull();
    expect(ftpUserProblem('   ')).toEqual({ kind: 'empty' });
    expect(ftpUserProblem('a'.repeat(LIMITS.maxFtpUserChars))).toBeNull();
    expect(ftpUserProblem('a'.repeat(LIMITS.maxFtpUserChars + 1))).toEqual({ kind: 'tooLong', max: 32 });
    expect(ftpUserProblem('bob smith')).toEqual({ kind: 'badChar', char: ' ' });
    expect(ftpUserProblem('bob@home')).toEqual({ kind: 'badChar', char: '@' });
    expect(ftpUserProblem('élodie')).toEqual({ kind: 'badChar', char: 'é' });
  });

  it('wants a password of 8 characters or more', () => {
    expect(LIMITS.minFtpPasswordChars).toBe(8);
    expect(ftpPasswordTooShort('1234567')).toBe(true);
    expect(ftpPasswordTooShort('12345678')).toBe(false);
    expect(ftpPasswordTooShort('')).toBe(true);
  });

  it('names the destination folder when it is known, else the root or its number', () => {
    const words = { root: 'My files', unknown: (id: number) => `Folder ${id}`, unsaid: 'Not said' };
    const known = (id: number) => (id === 7 ? 'Photos' : undefined);
    expect(ftpFolderLabel(7, known, words)).toBe('Photos');
    expect(ftpFolderLabel(0, known, words)).toBe('My files');
    expect(ftpFolderLabel(123, known, words)).toBe('Folder 123');
    expect(ftpFolderLabel(undefined, known, words)).toBe('Not said');
    expect(FTP_HOST).toBe('ftp.1fichier.com');
  });
});
