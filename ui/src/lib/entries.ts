// The rows of the file list: folders and files in one shape, with sorting, filtering
// and the file-type category used for icons and the "type" column.
import type { FileEntry, SubFolder } from './backend/types';
import { parseFichierDate } from './time';

export type FileCategory =
  | 'folder' | 'image' | 'video' | 'audio' | 'archive' | 'pdf' | 'document'
  | 'spreadsheet' | 'code' | 'text' | 'executable' | 'disk' | 'other';

export interface Row {
  /** `d:<folderId>` or `f:<url>`: unique across both kinds. */
  key: string;
  kind: 'folder' | 'file';
  name: string;
  size: number | null;
  date: string;
  dateMs: number;
  category: FileCategory;
  /** Extension in lowercase without the dot, or '' */
  ext: string;
  pass: boolean;
  folder?: SubFolder;
  file?: FileEntry;
}

export type SortKey = 'name' | 'size' | 'date' | 'type';
export interface SortSpec { key: SortKey; dir: 'asc' | 'desc' }

const EXT_CATEGORY: Record<string, FileCategory> = {};
const groups: [FileCategory, string][] = [
  ['image', 'jpg jpeg png gif webp bmp tif tiff heic svg raw cr2 nef'],
  ['video', 'mp4 mkv avi mov wmv webm m4v mpg mpeg ts'],
  ['audio', 'mp3 flac wav ogg m4a aac opus wma'],
  ['archive', 'zip rar 7z tar gz tgz bz2 xz zst'],
  ['pdf', 'pdf'],
  ['document', 'doc docx odt rtf epub md pages'],
  ['spreadsheet', 'xls xlsx ods csv numbers'],
  ['code', 'js ts rs py go c h cpp java json xml html css sh toml yaml yml'],
  ['text', 'txt log nfo srt sub ini cfg'],
  ['executable', 'exe msi dmg deb rpm apk appimage'],
  ['disk', 'iso img vhd vmdk qcow2'],
];
for (const [cat, list] of groups) for (const ext of list.split(' ')) EXT_CATEGORY[ext] = cat;

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : '';
}

export function categoryOf(name: string, contentType = ''): FileCategory {
  const byExt = EXT_CATEGORY[extensionOf(name)];
  if (byExt) return byExt;
  const major = contentType.split('/')[0];
  if (major === 'image' || major === 'video' || major === 'audio') return major;
  if (contentType === 'application/pdf') return 'pdf';
  if (major === 'text') return 'text';
  if (/zip|rar|compressed|tar/.test(contentType)) return 'archive';
  return 'other';
}

export function toRows(subFolders: SubFolder[], files: FileEntry[]): Row[] {
  const rows: Row[] = [];
  for (const f of subFolders) {
    rows.push({
      key: `d:${f.id}`, kind: 'folder', name: f.name, size: null, date: f.createDate,
      dateMs: parseFichierDate(f.createDate) ?? 0, category: 'folder', ext: '', pass: f.pass, folder: f,
    });
  }
  for (const f of files) {
    rows.push({
      key: `f:${f.url}`, kind: 'file', name: f.filename, size: f.size, date: f.date,
      dateMs: parseFichierDate(f.date) ?? 0, category: categoryOf(f.filename, f.contentType),
      ext: extensionOf(f.filename), pass: f.pass, file: f,
    });
  }
  return rows;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * The order of names wherever they are listed (the file list, the tree, the folder
 * picker): as words, blind to case and accents, with numbers by value (`file2` before
 * `file10`). Names equal that way keep one fixed order.
 */
export function compareNames(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Folders always come first; within each kind the chosen key, then the name. */
export function sortRows(rows: Row[], spec: SortSpec): Row[] {
  const sign = spec.dir === 'asc' ? 1 : -1;
  const byName = (a: Row, b: Row) => compareNames(a.name, b.name);
  const primary: Record<SortKey, (a: Row, b: Row) => number> = {
    name: byName,
    size: (a, b) => (a.size ?? -1) - (b.size ?? -1),
    date: (a, b) => a.dateMs - b.dateMs,
    type: (a, b) => collator.compare(a.ext || a.category, b.ext || b.category),
  };
  const cmp = primary[spec.key];
  return [...rows].sort((a, b) => {
    if (a.kind !== b.kind) return a.kind === 'folder' ? -1 : 1;
    const c = cmp(a, b);
    if (c !== 0) return c * sign;
    return byName(a, b) * sign;
  });
}

/**
 * Case- and accent-insensitive filter on the name. Several words must all match;
 * a word starting with `.` matches the extension (`.pdf`).
 */
export function filterRows(rows: Row[], query: string): Row[] {
  const words = normalise(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows;
  return rows.filter((r) => {
    const name = normalise(r.name);
    return words.every((w) => (w.startsWith('.') && w.length > 1 ? r.ext === w.slice(1) : name.includes(w)));
  });
}

function normalise(s: string): string {
  return s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}
