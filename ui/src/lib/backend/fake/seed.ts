// Demo data for the fake backend: a believable account, generated from a fixed seed so
// that every run (and every test) sees the same tree.
import type { FileEntry } from '../types';
import { toFichierDate } from '../../time';

export interface FakeFolder {
  id: number;
  name: string;
  parentId?: number;
  createDate: string;
  shared?: string;
  pass: boolean;
  files: FileEntry[];
}

/** A small deterministic PRNG (mulberry32). */
export class Rng {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function fakeUrl(rng: Rng): string {
  let id = '';
  for (let i = 0; i < 20; i++) id += ID_CHARS[Math.floor(rng.next() * ID_CHARS.length)];
  return `https://1fichier.com/?${id}`;
}

export function fakeChecksum(rng: Rng): string {
  let out = '';
  for (let i = 0; i < 128; i++) out += '0123456789abcdef'[Math.floor(rng.next() * 16)];
  return out;
}

const MIME: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp',
  mp4: 'video/mp4', mkv: 'video/x-matroska', avi: 'video/x-msvideo', mov: 'video/quicktime',
  mp3: 'audio/mpeg', flac: 'audio/flac', wav: 'audio/wav', ogg: 'audio/ogg',
  zip: 'application/zip', rar: 'application/x-rar-compressed', '7z': 'application/x-7z-compressed',
  gz: 'application/gzip', pdf: 'application/pdf', txt: 'text/plain', md: 'text/markdown',
  csv: 'text/csv', json: 'application/json', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', iso: 'application/x-iso9660-image',
  exe: 'application/x-msdownload', deb: 'application/vnd.debian.binary-package',
};

export function contentTypeFor(name: string): string {
  const ext = name.split('.').pop()?.toLowerCase() ?? '';
  return MIME[ext] ?? 'application/octet-stream';
}

export function seedDemoTree(): FakeFolder[] {
  const rng = new Rng(42);
  const start = Date.UTC(2023, 0, 1);
  const span = Date.UTC(2025, 5, 1) - start;
  const date = () => toFichierDate(start + Math.floor(rng.next() * span));
  const file = (filename: string, size: number, extra: Partial<FileEntry> = {}): FileEntry => ({
    url: fakeUrl(rng), filename, size, date: date(), checksum: fakeChecksum(rng),
    contentType: contentTypeFor(filename), pass: false, acl: false, cdn: false, ...extra,
  });
  const folders: FakeFolder[] = [];
  const add = (id: number, name: string, parentId: number | undefined, files: FileEntry[], extra: Partial<FakeFolder> = {}) =>
    folders.push({ id, name, parentId, createDate: date(), pass: false, files, ...extra });

  add(0, 'My files', undefined, [
    file('README.txt', 2_310),
    file('invoice-2024-03.pdf', 184_220),
    file('holiday-video.mp4', 734_003_200),
    file('backup-laptop.zip', 5_368_709_120),
    file('debian-12.5.0-amd64-netinst.iso', 658_505_728),
    file('secret-plans.pdf', 1_048_576, { pass: true }),
    file('owner-locked-sample.bin', 10_240, { acl: true }),
  ]);
  add(22692434, 'Documents', 0, [
    file('contract-signed.pdf', 812_000), file('budget-2025.xlsx', 48_128), file('notes.md', 5_120),
    file('thesis-final-v3.docx', 2_621_440), file('tax-return-2024.pdf', 330_000),
  ]);
  add(22692435, 'Work', 22692434, [file('slides-q2.pdf', 9_437_184), file('roadmap.csv', 12_288)]);
  add(22692436, 'Photos', 0, Array.from({ length: 48 }, (_, i) =>
    file(`IMG_${String(2041 + i).padStart(4, '0')}.jpg`, 2_000_000 + Math.floor(rng.next() * 6_000_000))));
  add(22692437, 'Holidays 2024', 22692436, [file('beach.jpg', 4_200_000), file('sunset.png', 7_800_000), file('drone-flight.mov', 1_900_000_000)]);
  add(22692438, 'Music', 0, [
    file('01 - Overture.flac', 38_000_000), file('02 - Nocturne.flac', 41_500_000), file('live-session.mp3', 9_800_000),
  ]);
  add(22692439, 'Videos', 0, [file('conference-talk.mkv', 2_400_000_000), file('timelapse.mp4', 420_000_000)],
    { shared: 'https://1fichier.com/dir/Xk3pL9qa' });
  add(22692440, 'Software', 0, [
    file('installer-setup.exe', 88_000_000), file('tool_1.4.2_amd64.deb', 14_000_000), file('source.tar.gz', 6_200_000),
  ]);
  add(22692441, 'Empty folder', 0, []);
  add(22692442, 'Private', 0, [file('passwords-export.7z', 64_000, { pass: true })], { pass: true });
  return folders;
}

/**
 * A second account's files (a small studio's work account): other folders and files at
 * the root, so switching accounts visibly changes what is listed.
 */
export function seedWorkTree(): FakeFolder[] {
  const rng = new Rng(99);
  const start = Date.UTC(2024, 2, 1);
  const span = Date.UTC(2025, 8, 1) - start;
  const date = () => toFichierDate(start + Math.floor(rng.next() * span));
  const file = (filename: string, size: number): FileEntry => ({
    url: fakeUrl(rng), filename, size, date: date(), checksum: fakeChecksum(rng),
    contentType: contentTypeFor(filename), pass: false, acl: false, cdn: false,
  });
  const folders: FakeFolder[] = [];
  const add = (id: number, name: string, parentId: number | undefined, files: FileEntry[]) =>
    folders.push({ id, name, parentId, createDate: date(), pass: false, files });

  add(0, 'My files', undefined, [
    file('studio-rates-2025.pdf', 412_000),
    file('brand-guidelines.pdf', 18_300_000),
    file('showreel-2025.mp4', 1_240_000_000),
    file('team-contacts.csv', 9_216),
  ]);
  add(31000001, 'Clients', 0, [file('brief-acme-campaign.docx', 96_000), file('nda-northwind-signed.pdf', 240_000)]);
  add(31000002, 'Acme campaign', 31000001, [file('storyboard-v4.pdf', 22_000_000), file('final-cut-master.mov', 8_600_000_000)]);
  add(31000003, 'Invoices', 0, [file('invoice-2025-014.pdf', 88_000), file('invoice-2025-015.pdf', 91_000)]);
  add(31000004, 'Footage', 0, [file('interview-a-cam.mxf', 14_200_000_000), file('b-roll-city.mp4', 3_100_000_000)]);
  return folders;
}
