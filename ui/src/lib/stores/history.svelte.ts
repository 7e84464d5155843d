// The history of finished transfers, read from the backend a page at a time: the first
// page on entering, the next ones on "Show more". Transfers that finish appear on top at
// once; shortly after, the loaded pages are read again, so the count stays exact when the
// backend forgets what falls beyond the history's bounds.
import type { Transfer, TransferEvent } from '../backend/types';
import { appendPage, applyToHistory } from '../transfersModel';
import { backend } from './backendRef';

/** Transfers read per page. */
export const HISTORY_PAGE = 50;
/** The most one read returns (the shell's limit). */
const MAX_READ = 200;
const REFRESH_DELAY_MS = 400;

class HistoryStore {
  items = $state.raw<Transfer[]>([]);
  /** Finished transfers in the whole history, loaded or not. */
  total = $state(0);
  loading = $state(false);
  hasMore = $derived(this.items.length < this.total);
  /** Bumped on each reset or reload, so an answer to an older read is dropped. */
  private generation = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;

  /** The first page again, or as many as are loaded (up to one read's worth). */
  async reload(): Promise<void> {
    const gen = ++this.generation;
    const limit = Math.min(MAX_READ, Math.max(HISTORY_PAGE, this.items.length));
    const page = await backend().listHistory(0, limit);
    if (gen !== this.generation) return;
    this.items = page.items;
    this.total = page.total;
  }

  /** The next page, after the loaded ones. */
  async more(): Promise<void> {
    if (this.loading || !this.hasMore) return;
    const gen = this.generation;
    this.loading = true;
    try {
      const page = await backend().listHistory(this.items.length, HISTORY_PAGE);
      if (gen !== this.generation) return;
      this.items = appendPage(this.items, page.items);
      this.total = page.total;
    } finally {
      this.loading = false;
    }
  }

  apply(event: TransferEvent): void {
    if (event.type !== 'state') return;
    const next = applyToHistory(this.items, event.transfer);
    if (next.items === this.items) return;
    // What is loaded does not grow with each transfer that finishes (a backup sends
    // thousands): past one read's worth, or what "Show more" brought, the oldest loaded one
    // goes as a new one comes on top. It is still counted, and "Show more" reads it again.
    const room = Math.max(MAX_READ, this.items.length);
    this.items = next.items.length > room ? next.items.slice(0, room) : next.items;
    this.total = Math.max(0, this.total + next.delta);
    this.refreshSoon();
  }

  reset(): void {
    this.generation++;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    this.items = [];
    this.total = 0;
  }

  private refreshSoon(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.reload().catch(() => {});
    }, REFRESH_DELAY_MS);
  }
}

export const history = new HistoryStore();
