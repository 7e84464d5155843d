// Folders and files for the fake backend: the shown account's tree, listed with the
// 30-second rule (a listing inside that window comes from the cache, with our own changes
// folded in), made, renamed, moved, copied and deleted with the errors 1fichier gives, their
// attributes, details, shares and download links.
import type { DownloadLink, FileAttributes, FileDetails, FileEntry, FolderListing, ShareResult, SubFolder } from '../types';
import { toFichierDate } from '../../time';
import { fakeUrl, contentTypeFor, Rng } from './seed';
import { checkPassword, enforce } from '../../rules';
import { checkedName } from './names';
import { type FakeState, err, makeFile } from './state';

const LISTING_INTERVAL_S = 30;

export class FakeFiles {
  private nextFolderId = 30_000_000;

  constructor(private s: FakeState) {}

  /** Creates a folder holding `count` files under the root and returns its id. */
  addLargeFolder(name: string, count: number): number {
    const id = this.nextFolderId++;
    const files: FileEntry[] = [];
    const rng = new Rng(count);
    const exts = ['jpg', 'png', 'mp4', 'pdf', 'zip', 'txt', 'mkv', 'flac', 'docx', 'iso'];
    for (let i = 0; i < count; i++) {
      const ext = exts[i % exts.length];
      const filename = `item-${String(i + 1).padStart(5, '0')}.${ext}`;
      files.push(makeFile(filename, Math.floor(rng.next() * 2e9), toFichierDate(Date.UTC(2024, 0, 1) + i * 3_600_000), rng));
    }
    this.s.folders.set(id, { id, name, parentId: 0, createDate: '2024-01-01 10:00:00', pass: false, files });
    return id;
  }

  async listFolder(folderId: number, force = false): Promise<FolderListing> {
    await this.s.delay(120, 400);
    this.s.requireKey();
    await this.s.waitFlood();
    const folder = this.s.folder(folderId);
    const now = Date.now();
    const last = this.s.listedAt.get(folderId);
    let fromCache = false;
    let ageSeconds = 0;
    if (last != null && now - last < LISTING_INTERVAL_S * 1000) {
      // One listing per folder per 30 s: a refresh inside that window is served from cache.
      // As in the app, our own changes (renames, moves, new folders, uploads…) are folded
      // into the cached listing rather than starting a new window: the answer shows them
      // and still says it came from the cache.
      fromCache = true;
      ageSeconds = Math.floor((now - last) / 1000);
      if (force) this.s.emit({ type: 'pacerWait', reason: 'listing', waitSeconds: 0 });
    } else {
      this.s.listedAt.set(folderId, now);
      if (force) for (const c of this.s.children(folderId)) this.s.undated.delete(c.id);
    }
    return {
      folder: {
        id: folder.id, name: folder.name, parentId: folder.parentId, createDate: folder.createDate,
        shared: folder.shared, pass: folder.pass,
      },
      subFolders: this.s.children(folderId).map((c) => ({ id: c.id, name: c.name, createDate: this.s.undated.has(c.id) ? '' : c.createDate, pass: c.pass })),
      files: folder.files.map((f) => ({ ...f })),
      fromCache,
      ageSeconds,
    };
  }

  async createFolder(parentId: number, name: string): Promise<SubFolder> {
    await this.s.delay();
    this.s.requireKey();
    this.s.folder(parentId);
    const clean = checkedName(name);
    if (this.s.children(parentId).some((c) => c.name === clean)) throw err('name_conflict', 'Folder already exists');
    const id = this.nextFolderId++;
    const createDate = toFichierDate(Date.now());
    this.s.folders.set(id, { id, name: clean, parentId, createDate, pass: false, files: [] });
    this.s.undated.add(id);
    return { id, name: clean, createDate: '', pass: false };
  }

  async renameFolder(folderId: number, name: string): Promise<void> {
    await this.s.delay();
    const f = this.s.folder(folderId);
    const clean = checkedName(name);
    if (this.s.children(f.parentId ?? 0).some((c) => c.name === clean && c.id !== folderId)) {
      throw err('name_conflict', 'Folder already exists');
    }
    f.name = clean;
  }

  async moveFolder(folderId: number, destinationId: number): Promise<void> {
    await this.s.delay();
    const f = this.s.folder(folderId);
    this.s.folder(destinationId);
    for (let p: number | undefined = destinationId; p != null; p = this.s.folders.get(p)?.parentId) {
      if (p === folderId) throw err('not_allowed', 'Cannot move a folder into itself');
    }
    if (this.s.children(destinationId).some((c) => c.name === f.name)) throw err('name_conflict', 'Folder already exists');
    const from = f.parentId ?? 0;
    f.parentId = destinationId;
  }

  async deleteFolder(folderId: number): Promise<void> {
    await this.s.delay();
    const f = this.s.folder(folderId);
    if (folderId === 0) throw err('not_allowed', 'Resource not allowed #631');
    if (f.files.length > 0 || this.s.children(folderId).length > 0) {
      throw err('folder_not_empty', 'Folder is not empty');
    }
    this.s.folders.delete(folderId);
  }

  async renameFile(url: string, filename: string): Promise<void> {
    await this.s.delay();
    const { file, folder } = this.s.findFile(url);
    const clean = checkedName(filename);
    if (clean === file.filename) throw err('protocol', 'No file has been renamed #312');
    file.filename = clean;
    file.contentType = contentTypeFor(clean);
  }

  async moveFiles(urls: string[], destinationId: number): Promise<void> {
    await this.s.delay();
    const dest = this.s.folder(destinationId);
    for (const url of urls) {
      const { file, folder } = this.s.findFile(url);
      if (folder.id === destinationId) continue;
      folder.files = folder.files.filter((f) => f !== file);
      dest.files.push(file);
    }
  }

  async copyFiles(urls: string[], destinationId: number): Promise<void> {
    await this.s.delay();
    const dest = this.s.folder(destinationId);
    for (const url of urls) {
      const { file } = this.s.findFile(url);
      dest.files.push({ ...file, url: fakeUrl(this.s.rng), date: toFichierDate(Date.now()) });
    }
  }

  async deleteFiles(urls: string[]): Promise<void> {
    await this.s.delay();
    for (const url of urls) {
      const { folder, file } = this.s.findFile(url);
      folder.files = folder.files.filter((f) => f !== file);
    }
  }

  async setFileAttributes(urls: string[], attributes: FileAttributes): Promise<void> {
    await this.s.delay();
    enforce(checkPassword(attributes.password, 'file'));
    for (const url of urls) {
      const { file, folder } = this.s.findFile(url);
      if (attributes.password !== undefined) file.pass = attributes.password !== '';
      if (attributes.description !== undefined) (file as FileEntry & { description?: string }).description = attributes.description;
    }
  }

  async getFileInfo(url: string): Promise<FileDetails> {
    await this.s.delay();
    const { file, folder } = this.s.findFile(url);
    if (file.filename.includes('owner-locked')) throw err('owner_locked', 'Owner locked #620');
    return {
      ...file,
      folderId: folder.id,
      path: this.s.pathOf(folder.id),
      description: (file as FileEntry & { description?: string }).description ?? '',
      inline: false,
      noSsl: false,
    };
  }

  async shareFolder(folderId: number, share: boolean, password?: string): Promise<ShareResult> {
    await this.s.delay();
    const f = this.s.folder(folderId);
    enforce(checkPassword(password, 'share'));
    f.shared = share ? `https://1fichier.com/dir/${fakeUrl(this.s.rng).slice(-8)}` : undefined;
    f.pass = share && !!password;
    return { url: f.shared };
  }

  async getDownloadLink(url: string): Promise<DownloadLink> {
    await this.s.delay();
    const { file } = this.s.findFile(url);
    if (this.s.account.offer === 'free') throw err('not_customer', 'Must be a customer (Premium, Access) #200');
    if (file.filename.includes('owner-locked')) throw err('owner_locked', 'Owner locked #620');
    return { url: `https://a-7.1fichier.com/c${Math.floor(this.s.rng.next() * 1e9)}`, expiresInSeconds: 300 };
  }
}
