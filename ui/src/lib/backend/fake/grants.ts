// The fake's copy of the shell's rule on local paths (src-tauri/src/grants.rs): uploads
// read only what was picked or dropped, or lies under a picked or dropped folder;
// downloads write only into a folder picked in the dialog or the settings' folder. There
// is no disk here, so paths are compared as text; `..` is refused outright.
import type { AppError } from '../types';

export const notGranted = (): AppError => ({
  code: 'path_not_granted',
  message: 'Fichier Desk only uses files and folders you picked or dropped in this window.',
  retryable: false,
});

function clean(path: string): string | null {
  if (!path.startsWith('/') || path.split('/').includes('..')) return null;
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

export class FakeGrants {
  private read = new Set<string>();
  private write = new Set<string>();

  allowRead(paths: string[]): void {
    for (const p of paths) {
      const c = clean(p);
      if (c) this.read.add(c);
    }
  }

  allowWrite(dir: string): void {
    const c = clean(dir);
    if (c) this.write.add(c);
  }

  canRead(path: string): boolean {
    const p = clean(path);
    if (!p) return false;
    for (const g of this.read) if (p === g || p.startsWith(g === '/' ? g : `${g}/`)) return true;
    return false;
  }

  /** A picked folder, or the saved download folder itself. */
  canWrite(dir: string, saved: string): boolean {
    const p = clean(dir);
    return !!p && (this.write.has(p) || p === clean(saved));
  }
}
