// The file browser: where we are, what is listed, how it is sorted and filtered, what
// is selected, the lazily loaded folder tree, and the actions on the selection.
import type { AppError, FileEntry, FolderListing } from '../backend/types';
import { toAppError } from '../backend';
import { filterRows, sortRows, toRows, type Row, type SortSpec } from '../entries';
import { NavHistory } from '../history';
import {
  clickSelect, cursorTo, emptySelection, moveCursor, pruneSelection, selectAll, type ClickModifiers, type SelectionState,
} from '../selection';
import { backend } from './backendRef';
import { toasts } from './toasts.svelte';

/** Folders made here whose time of creation is kept, at most (the oldest go first). */
export const CREATED_KEPT = 200;

export interface TreeNode {
  id: number;
  name: string;
  parentId?: number;
  /** Sub-folder ids once listed; null while unknown. */
  children: number[] | null;
  pass: boolean;
}

class BrowserStore {
  folderId = $state(0);
  listing = $state.raw<FolderListing | null>(null);
  loading = $state(false);
  error = $state.raw<AppError | null>(null);
  sort = $state<SortSpec>({ key: 'name', dir: 'asc' });
  filter = $state('');
  sel = $state.raw<SelectionState>(emptySelection());
  tree = $state.raw<Record<number, TreeNode>>({ 0: { id: 0, name: '', children: null, pass: false } });
  expanded = $state.raw<Set<number>>(new Set([0]));
  canBack = $state(false);
  canForward = $state(false);
  /** When the shown listing was received (for its age). */
  receivedAt = $state(0);
  /**
   * Whether the shown listing was asked for with Refresh (the button or the menu): a cached
   * answer to that is worth explaining, one to a plain reload after an edit is not.
   */
  forced = $state(false);
  /** Counts the times the list should bring its cursor row into view (and take the
   * focus): after going up, the folder we came from is selected there. */
  revealSeq = $state(0);
  /**
   * When folders made here were created. 1fichier's answer to mkdir carries no date and
   * the cached listing of the parent has none until it is listed again, so the time of
   * creation is noted here (as a 1fichier date) and shown meanwhile.
   */
  createdHere = $state.raw<ReadonlyMap<number, string>>(new Map());

  private nav = new NavHistory(0);
  private requestSeq = 0;

  allRows = $derived(this.listing
    ? toRows(this.listing.subFolders.map((f) => (f.createDate ? f : { ...f, createDate: this.createdHere.get(f.id) ?? '' })), this.listing.files)
    : []);
  rows = $derived(sortRows(filterRows(this.allRows, this.filter), this.sort));
  keys = $derived(this.rows.map((r) => r.key));
  selectedRows = $derived.by(() => {
    // Read once, not once per row: a listing of thousands would register as many reads.
    const selected = this.sel.selected;
    return selected.size === 0 ? [] : this.rows.filter((r) => selected.has(r.key));
  });
  /** True while the list shows something other than the current folder. */
  stale = $derived(!this.listing || this.listing.folder.id !== this.folderId);

  path = $derived.by(() => {
    const out: { id: number; name: string }[] = [];
    const seen = new Set<number>();
    for (let id: number | undefined = this.folderId; id != null && !seen.has(id); id = this.tree[id]?.parentId) {
      seen.add(id);
      out.unshift({ id, name: this.tree[id]?.name ?? '…' });
      if (id === 0) break;
    }
    return out;
  });

  reset(): void {
    this.folderId = 0;
    this.listing = null;
    this.tree = { 0: { id: 0, name: '', children: null, pass: false } };
    this.expanded = new Set([0]);
    this.nav = new NavHistory(0);
    this.sel = emptySelection();
    this.syncNav();
  }

  private syncNav(): void {
    this.canBack = this.nav.canBack;
    this.canForward = this.nav.canForward;
  }

  async open(id: number): Promise<void> {
    this.nav.visit(id);
    this.syncNav();
    await this.show(id);
  }

  async back(): Promise<void> {
    const id = this.nav.goBack();
    this.syncNav();
    if (id != null) await this.show(id);
  }

  async forward(): Promise<void> {
    const id = this.nav.goForward();
    this.syncNav();
    if (id != null) await this.show(id);
  }

  async up(): Promise<void> {
    const parent = this.tree[this.folderId]?.parentId ?? this.listing?.folder.parentId;
    if (parent != null && this.folderId !== 0) await this.open(parent);
  }

  async refresh(force = true): Promise<void> {
    await this.load(this.folderId, force, true);
  }

  private async show(id: number): Promise<void> {
    // Going up (or back, or to a crumb) to a folder above: the sub-folder we came out of
    // is selected again, as file managers do.
    const from = this.path;
    const at = from.findIndex((p) => p.id === id);
    const cameFrom = at >= 0 && at < from.length - 1 ? from[at + 1].id : null;
    if (id !== this.folderId) {
      this.folderId = id;
      this.filter = '';
      this.sel = emptySelection();
    }
    await this.load(id, false, false);
    if (cameFrom != null && this.folderId === id && !this.stale) {
      const key = `d:${cameFrom}`;
      if (this.keys.includes(key)) {
        this.sel = { selected: new Set([key]), anchor: key, cursor: key };
        this.revealSeq++;
      }
    }
  }

  /** Notes a folder made here, with the time it was made. */
  noteCreated(id: number, createDate: string): void {
    const next = new Map(this.createdHere);
    next.delete(id);
    next.set(id, createDate);
    // The last ones made are the ones still waiting for 1fichier's date.
    for (const old of next.keys()) {
      if (next.size <= CREATED_KEPT) break;
      next.delete(old);
    }
    this.createdHere = next;
  }

  private async load(id: number, force: boolean, keepSelection: boolean): Promise<void> {
    const seq = ++this.requestSeq;
    this.loading = true;
    this.error = null;
    try {
      const listing = await backend().listFolder(id, force);
      if (seq !== this.requestSeq) return;
      this.listing = listing;
      this.forced = force;
      this.receivedAt = Date.now() - listing.ageSeconds * 1000;
      this.absorb(listing);
      this.sel = keepSelection ? pruneSelection(this.sel, this.keys) : pruneSelection(this.sel, this.keys);
    } catch (e) {
      if (seq !== this.requestSeq) return;
      const err = toAppError(e);
      this.error = err;
      if (err.code === 'not_found' && id !== 0) {
        this.nav.forget(id);
        toasts.error(err);
      }
    } finally {
      if (seq === this.requestSeq) this.loading = false;
    }
  }

  /**
   * Shows a change to files at once (their password, say), while 1fichier is still asked
   * to make it: the listing that follows the answer has the last word either way.
   */
  patchFiles(urls: readonly string[], patch: Partial<Pick<FileEntry, 'pass'>>): void {
    const l = this.listing;
    if (!l || !l.files.some((f) => urls.includes(f.url))) return;
    this.listing = { ...l, files: l.files.map((f) => (urls.includes(f.url) ? { ...f, ...patch } : f)) };
  }

  /** The same for a folder: its password flag (and its link) wherever it is shown. */
  patchFolder(id: number, patch: { pass?: boolean; shared?: string | null }): void {
    const l = this.listing;
    if (l) {
      const folder = l.folder.id === id
        ? { ...l.folder, ...(patch.pass != null ? { pass: patch.pass } : {}), ...(patch.shared !== undefined ? { shared: patch.shared ?? undefined } : {}) }
        : l.folder;
      const subFolders = patch.pass == null ? l.subFolders : l.subFolders.map((s) => (s.id === id ? { ...s, pass: patch.pass! } : s));
      this.listing = { ...l, folder, subFolders };
    }
    const node = this.tree[id];
    if (node && patch.pass != null && node.pass !== patch.pass) this.tree = { ...this.tree, [id]: { ...node, pass: patch.pass } };
  }

  /** The creation date of a folder as shown (the noted one while 1fichier's is unknown). */
  createDateOf(id: number, listed: string | undefined): string {
    return listed || this.createdHere.get(id) || '';
  }

  /** Records a listing's folder and sub-folders in the tree. */
  private absorb(listing: FolderListing): void {
    const tree = { ...this.tree };
    const f = listing.folder;
    const prev = tree[f.id];
    tree[f.id] = {
      id: f.id, name: f.id === 0 ? '' : f.name, parentId: f.parentId ?? prev?.parentId,
      children: listing.subFolders.map((s) => s.id), pass: f.pass,
    };
    for (const s of listing.subFolders) {
      const old = tree[s.id];
      tree[s.id] = { id: s.id, name: s.name, parentId: f.id, children: old?.children ?? null, pass: s.pass };
    }
    this.tree = tree;
  }

  async toggleExpand(id: number): Promise<void> {
    const next = new Set(this.expanded);
    if (next.has(id)) {
      next.delete(id);
      this.expanded = next;
      return;
    }
    next.add(id);
    this.expanded = next;
    if (this.tree[id]?.children == null) {
      try {
        this.absorb(await backend().listFolder(id, false));
      } catch (e) {
        toasts.error(toAppError(e));
      }
    }
  }

  /** Makes the current folder visible in the tree. */
  revealCurrent(): void {
    const next = new Set(this.expanded);
    for (const p of this.path) if (p.id !== this.folderId) next.add(p.id);
    this.expanded = next;
  }

  // ——— selection ———

  click(key: string, mods: ClickModifiers = {}): void {
    this.sel = clickSelect(this.sel, this.keys, key, mods);
  }

  move(delta: number, shift = false): void {
    this.sel = moveCursor(this.sel, this.keys, delta, shift);
  }

  moveToIndex(index: number, shift = false): void {
    this.sel = cursorTo(this.sel, this.keys, index, shift);
  }

  selectAll(): void {
    this.sel = selectAll(this.sel, this.keys);
  }

  clearSelection(): void {
    this.sel = emptySelection();
  }

  /** Right-click: keep a multi-selection that contains the row, otherwise select it. */
  ensureSelected(key: string): void {
    if (!this.sel.selected.has(key)) this.click(key);
  }

  setSort(key: SortSpec['key']): void {
    this.sort = this.sort.key === key ? { key, dir: this.sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'date' || key === 'size' ? 'desc' : 'asc' };
  }

  rowByKey(key: string): Row | undefined {
    return this.rows.find((r) => r.key === key);
  }

  folderName(id: number): string {
    return this.tree[id]?.name ?? '';
  }
}

export const browser = new BrowserStore();
