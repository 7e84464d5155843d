// What the user can do with files and folders. Each action asks what it needs through a
// dialog, calls the backend once, reports through a toast and refreshes the listing.
import { toAppError } from '../backend';
import type { Row } from '../entries';
import { formatSize } from '../format';
import { errorText, intlLocale, t } from '../i18n/index.svelte';
import { toFichierDate } from '../time';
import { backend } from './backendRef';
import { browser } from './browser.svelte';
import { dialogs } from './dialogs.svelte';
import { toasts } from './toasts.svelte';
import { transfers } from './transfers.svelte';
import { app } from './app.svelte';
import { uploadWarning } from './uploadWarning.svelte';

async function attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (e) {
    toasts.error(toAppError(e));
    return undefined;
  }
}

const filesOf = (rows: Row[]) => rows.filter((r) => r.kind === 'file').map((r) => r.file!.url);
const foldersOf = (rows: Row[]) => rows.filter((r) => r.kind === 'folder').map((r) => r.folder!.id);

/** Copies to the clipboard and says so (`quiet`: the caller's own message says it). */
export async function copyText(text: string, { quiet = false }: { quiet?: boolean } = {}): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Some webviews refuse the async clipboard without a user gesture; fall back.
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  if (!quiet) toasts.success(t('toast.copied'));
}

/** Runs `f`; a failure becomes the text to show in the dialog that asked for it. */
async function inDialog(f: () => Promise<unknown>): Promise<string | null> {
  try {
    await f();
    return null;
  } catch (e) {
    return errorText(toAppError(e));
  }
}

export async function newFolder(parentId = browser.folderId): Promise<void> {
  let created: { id: number } | null = null;
  const name = await dialogs.prompt(t('dialog.newFolderTitle'), t('dialog.folderName'), '', t('dialog.create'), {
    emptyText: t('dialog.nameEmpty'),
    apply: (n) => inDialog(async () => {
      const made = await backend().createFolder(parentId, n);
      // 1fichier gives no date for a new folder: it was made now.
      browser.noteCreated(made.id, made.createDate || toFichierDate(Date.now()));
      created = made;
    }),
  });
  if (!name || !created) return;
  toasts.success(t('toast.created', { name }));
  await browser.refresh(false);
  browser.click(`d:${(created as { id: number }).id}`);
}

export async function rename(row: Row): Promise<void> {
  const name = await dialogs.prompt(t('dialog.renameTitle'), t('dialog.newName'), row.name, t('dialog.save'), {
    selectBase: row.kind === 'file',
    emptyText: t('dialog.nameEmpty'),
    apply: (n) => inDialog(async () => {
      if (n === row.name) return;
      if (row.kind === 'file') await backend().renameFile(row.file!.url, n);
      else await backend().renameFolder(row.folder!.id, n);
    }),
  });
  if (!name || name === row.name) return;
  await browser.refresh(false);
  toasts.success(t('toast.renamed', { name }));
  const renamed = browser.rows.find((r) => r.key === row.key);
  if (renamed) browser.click(renamed.key);
}

export async function remove(rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const title = rows.length === 1 ? t('dialog.deleteOne', { name: rows[0].name }) : t('dialog.deleteTitle', { n: rows.length });
  if (!(await dialogs.confirm(title, t('dialog.deleteBody'), t('dialog.deleteConfirm'), true))) return;
  let failed = false;
  const urls = filesOf(rows);
  if (urls.length) {
    try { await backend().deleteFiles(urls); } catch (e) { failed = true; toasts.error(toAppError(e)); }
  }
  for (const id of foldersOf(rows)) {
    try { await backend().deleteFolder(id); } catch (e) { failed = true; toasts.error(toAppError(e)); }
  }
  await browser.refresh(false);
  if (!failed) toasts.success(rows.length === 1 ? t('toast.deletedOne', { name: rows[0].name }) : t('toast.deleted', { n: rows.length }));
}

export async function moveTo(rows: Row[], destination?: number): Promise<void> {
  if (rows.length === 0) return;
  const folders = foldersOf(rows);
  const source = browser.folderId;
  const picked = destination != null ? null : await dialogs.pickFolder(t('dialog.moveTitle', { n: rows.length }), t('dialog.moveHere'), source, folders, {
    here: source,
    into: (name) => t('dialog.moveInto', { name }),
  });
  const dest = destination ?? picked?.id;
  // Into the folder they are in: nothing to do, and nothing to report.
  if (dest == null || dest === source || folders.includes(dest)) return;
  let failed = false;
  const urls = filesOf(rows);
  if (urls.length) {
    try { await backend().moveFiles(urls, dest); } catch (e) { failed = true; toasts.error(toAppError(e)); }
  }
  for (const id of folders) {
    try { await backend().moveFolder(id, dest); } catch (e) { failed = true; toasts.error(toAppError(e)); }
  }
  await browser.refresh(false);
  if (!failed) toasts.success(t('toast.moved', { n: rows.length, name: picked?.name ?? (browser.folderName(dest) || t('browser.root')) }));
}

export async function copyTo(rows: Row[]): Promise<void> {
  const urls = filesOf(rows);
  if (urls.length === 0) return;
  const dest = await dialogs.pickFolder(t('dialog.copyTitle', { n: urls.length }), t('dialog.copyHere'), browser.folderId, [], {
    into: (name) => t('dialog.copyInto', { name }),
  });
  if (dest == null) return;
  const done = await attempt(async () => { await backend().copyFiles(urls, dest.id); return true; });
  if (done) {
    toasts.success(t('toast.copiedTo', { n: urls.length, name: dest.name }));
    await browser.refresh(false);
  }
}

export async function editAttributes(rows: Row[]): Promise<void> {
  const urls = filesOf(rows);
  if (urls.length === 0) return;
  let description = '';
  if (urls.length === 1) {
    const info = await attempt(() => backend().getFileInfo(urls[0]));
    description = info?.description ?? '';
  }
  const hasPass = rows.some((r) => r.pass);
  const v = await dialogs.form({
    title: t('dialog.attrTitle'),
    confirmLabel: t('dialog.save'),
    fields: [
      { name: 'password', label: t('dialog.password'), kind: 'password', value: '', hint: t('dialog.passwordHint') },
      ...(hasPass ? [{ name: 'remove', label: t('dialog.removePassword'), kind: 'checkbox' as const, value: false }] : []),
      { name: 'description', label: t('dialog.description'), kind: 'textarea', value: description },
    ],
    validate: (x) => {
      const p = String(x.password ?? '');
      return p && p.length < 6 ? t('dialog.passwordHint') : null;
    },
  });
  if (!v) return;
  const password = v.remove ? '' : String(v.password) || undefined;
  // Details say at once whether the files are protected; a refusal is undone by the
  // listing that follows.
  if (password !== undefined) browser.patchFiles(urls, { pass: password !== '' });
  const done = await attempt(async () => {
    await backend().setFileAttributes(urls, { password, description: String(v.description) });
    return true;
  });
  if (done) toasts.success(t('toast.saved'));
  if (done || password !== undefined) await browser.refresh(false);
}

export async function share(row: Row): Promise<void> {
  if (row.kind !== 'folder') return;
  const listing = await attempt(() => backend().listFolder(row.folder!.id, false));
  const link = listing?.folder.shared;
  // A shared folder's `pass` says its link asks for a password.
  const hasPass = !!link && !!listing?.folder.pass;
  const v = await dialogs.form({
    title: t('dialog.shareTitle', { name: row.name }),
    body: t('dialog.shareBody'),
    confirmLabel: t('dialog.save'),
    fields: [
      { name: 'share', label: t('dialog.sharePublic'), kind: 'checkbox', value: !!link || !listing },
      ...(link ? [{ name: 'link', label: t('dialog.shareLink'), kind: 'link' as const, value: link, testid: 'share-link' }] : []),
      ...(hasPass
        ? [
            { name: 'passState', label: t('dialog.sharePasswordSet'), kind: 'info' as const, icon: 'lock', testid: 'share-password-state' },
            { name: 'removePass', label: t('dialog.removePassword'), kind: 'checkbox' as const, value: false },
            { name: 'password', label: t('dialog.shareNewPassword'), kind: 'password' as const, value: '', disabledBy: 'removePass' },
          ]
        : [{ name: 'password', label: t('dialog.sharePassword'), kind: 'password' as const, value: '' }]),
    ],
    validate: (x) => {
      const p = x.removePass ? '' : String(x.password ?? '');
      return p && p.length < 6 ? t('dialog.passwordHint') : null;
    },
  });
  if (!v) return;
  const on = !!v.share;
  const remove = !!v.removePass;
  const password = remove ? '' : String(v.password ?? '');
  // 1fichier sets the share's password on every call (none: no password), so an
  // unchanged dialog sends nothing rather than drop the password.
  if (on && link && !password && !remove) return;
  // Shown at once in the details (1fichier may take a while to answer); a refusal is
  // undone by the listing that follows.
  const id = row.folder!.id;
  browser.patchFolder(id, { pass: on && !!password, ...(on ? {} : { shared: null }) });
  const result = await attempt(() => backend().shareFolder(id, on, password || undefined));
  if (result) browser.patchFolder(id, { shared: result.url ?? null });
  await browser.refresh(false);
  if (!result) return;
  if (result.url) {
    // One message says both.
    await copyText(result.url, { quiet: true });
    toasts.success(t('toast.shared'));
  } else {
    toasts.info(t('toast.unshared'));
  }
}

export async function copyLinks(rows: Row[]): Promise<void> {
  const urls = filesOf(rows);
  if (urls.length) await copyText(urls.join('\n'));
}

export async function directLink(row: Row): Promise<void> {
  if (row.kind !== 'file') return;
  const link = await attempt(() => backend().getDownloadLink(row.file!.url));
  if (link) {
    await dialogs.showLink(t('dialog.linkTitle'), link.url, t('dialog.linkBody', { m: Math.round(link.expiresInSeconds / 60) }));
  }
}

/** A link to the file on the local server, for a player; the server has to be on. */
export async function copyStreamLink(row: Row): Promise<void> {
  if (row.kind !== 'file') return;
  try {
    const link = await backend().streamLink(row.file!.url);
    await copyText(link, { quiet: true });
    toasts.success(t('toast.streamCopied'));
  } catch (e) {
    const error = toAppError(e);
    // Refused as an invalid request: the server is off, and the place to turn it on is one click away.
    if (error.code === 'invalid_request') {
      toasts.push('error', t('toast.streamOff'), undefined, 8000, { label: t('toast.openServe'), run: () => { app.view = 'serve'; } });
    } else {
      toasts.error(error);
    }
  }
}

/** Writes a `.strm` file per file of the folder into a picked directory, for Jellyfin, Emby or Kodi. */
export async function exportForMediaServer(row: Row): Promise<void> {
  if (row.kind !== 'folder') return;
  const dir = await attempt(() => backend().pickDirectory('export'));
  if (!dir) return;
  const working = toasts.info(t('toast.exporting', { name: row.name }));
  const report = await attempt(() => backend().exportStrm(row.folder!.id, dir));
  toasts.dismiss(working);
  if (report) toasts.success(t('toast.exported', { n: report.written + report.unchanged, dir: report.dir || dir }));
}

export async function download(rows: Row[], choose = false): Promise<void> {
  const urls = filesOf(rows);
  if (urls.length === 0) return;
  let dir: string | undefined;
  if (choose) {
    const picked = await attempt(() => backend().pickDirectory());
    if (!picked) return;
    dir = picked;
  }
  const list = await attempt(() => backend().downloadFiles(urls, dir));
  if (list) {
    transfers.add(list);
    toasts.info(t('transfers.downloadStarted', { n: list.length }));
  }
}

/**
 * Whether to go on with an upload: yes, unless the largest file would likely outlast
 * 1fichier's time limit and the user cancels. A check that fails never stops an upload.
 */
async function fitsInTime(paths: string[]): Promise<boolean> {
  let check;
  try {
    check = await backend().uploadTimeCheck(paths);
  } catch {
    return true;
  }
  return check.tooLong ? uploadWarning.ask(check) : true;
}

export async function startUpload(paths: string[], folderId: number, password?: string): Promise<void> {
  if (paths.length === 0) return;
  if (!(await fitsInTime(paths))) return;
  const list = await attempt(() => backend().uploadPaths(paths, folderId, password));
  if (list) {
    transfers.add(list);
    toasts.info(t('transfers.uploadStarted', { n: list.length, name: browser.folderName(folderId) || t('browser.root') }));
  }
}

/** The Upload button: native picker, then an options dialog (password, the restart note). */
export async function uploadWithPicker(folders: boolean, folderId = browser.folderId): Promise<void> {
  const paths = await attempt(() => backend().pickUploadPaths(folders));
  if (!paths || paths.length === 0) return;
  const v = await dialogs.form({
    title: t('dialog.uploadTitle', { name: browser.folderName(folderId) || t('browser.root') }),
    body: `${t('dialog.uploadFiles', { n: paths.length })}: ${paths.map((p) => p.split(/[\\/]/).pop()).join(', ')}`,
    note: t('dialog.uploadNote'),
    confirmLabel: t('dialog.uploadStart'),
    fields: [{ name: 'password', label: t('dialog.uploadPassword'), kind: 'password', value: '' }],
    validate: (x) => {
      const p = String(x.password ?? '');
      return p && p.length < 6 ? t('dialog.passwordHint') : null;
    },
  });
  if (!v) return;
  await startUpload(paths, folderId, String(v.password) || undefined);
}

export function openRow(row: Row): void {
  if (row.kind === 'folder') void browser.open(row.folder!.id);
  else app.revealInfo();
}

export function selectionSize(rows: Row[]): string {
  return formatSize(rows.reduce((s, r) => s + (r.size ?? 0), 0), intlLocale());
}
