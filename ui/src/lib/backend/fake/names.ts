// What the fake makes of local paths and names: a path without an extension is a folder
// of a few files, a name is checked by core's rule, and a file's size is made up from its
// name (the same on every run).
import { checkName, enforce } from '../../rules';

/** A path without an extension is taken as a folder holding a few files. */
export function expandPaths(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const name = p.split(/[\\/]/).pop() ?? p;
    if (name.includes('.')) out.push(p);
    else for (const child of ['IMG_0001.jpg', 'IMG_0002.jpg', 'notes.txt']) out.push(`${p}/${child}`);
  }
  return out;
}

/** The name as core takes it: refused by its rule (../../rules.ts, check_name), or trimmed. */
export function checkedName(name: string): string {
  enforce(checkName(name));
  return name.trim();
}

/**
 * A stable, plausible size for a file name (so tests see the same numbers each run); a
 * size written in the name ("raw-footage-80GB.mov", "disk-1.5TiB.img") is taken as it is.
 */
export function sizeFromName(name: string): number {
  if (/empty/i.test(name)) return 0;
  const written = /(\d+(?:\.\d+)?)\s?([GT])(i?)B(?![a-z])/i.exec(name);
  if (written) {
    const power = written[2].toUpperCase() === 'G' ? 3 : 4;
    return Math.round(Number(written[1]) * (written[3] ? 1024 : 1000) ** power);
  }
  let h = 2166136261;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const ext = name.split('.').pop()?.toLowerCase() ?? '';
  const scale: Record<string, number> = { mp4: 180e6, mkv: 400e6, iso: 700e6, zip: 90e6, flac: 35e6, jpg: 4e6, txt: 20e3, pdf: 3e6 };
  const base = scale[ext] ?? 12e6;
  return Math.floor(base * (0.4 + (h % 1000) / 1000));
}
