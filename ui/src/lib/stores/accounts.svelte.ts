// The accounts of this computer for the switcher: read when its menu opens, after a
// switch, an addition or a removal, and shortly after transfers change state (at most
// once a second: progress events never ask). Also which dialog about accounts is open.
import type { AccountSummary } from '../backend/types';
import { t } from '../i18n/index.svelte';
import { othersRunning } from '../accounts';
import { backend } from './backendRef';

const REFRESH_GAP_MS = 1000;

class AccountsStore {
  list = $state.raw<AccountSummary[]>([]);
  shown = $derived(this.list.find((a) => a.shown) ?? null);
  /** Transfers running now in the accounts not shown (the switcher's badge). */
  othersRunning = $derived(othersRunning(this.list));
  /** The add-account dialog is open. */
  adding = $state(false);
  /** The account whose removal is being confirmed. */
  removing = $state.raw<AccountSummary | null>(null);

  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastRead = 0;
  private seq = 0;

  async refresh(): Promise<void> {
    const seq = ++this.seq;
    this.lastRead = Date.now();
    try {
      const list = await backend().listAccounts();
      if (seq === this.seq) this.list = list;
    } catch {
      // The switcher keeps what it had; the next read tries again.
    }
  }

  /** A read soon, for a change of transfer state: several changes close together make one. */
  refreshSoon(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastRead + REFRESH_GAP_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refresh();
    }, wait);
  }

  /** How the window names an account: the demo in the window's language. */
  label(a: Pick<AccountSummary, 'name' | 'demo'>): string {
    return a.demo ? t('accounts.demoName') : a.name;
  }

  /** The name of the account `id`, when it is listed. */
  nameOf(id: string): string | undefined {
    const a = this.list.find((x) => x.id === id);
    return a ? this.label(a) : undefined;
  }

  reset(): void {
    this.seq++;
    this.list = [];
    this.adding = false;
    this.removing = null;
  }
}

export const accounts = new AccountsStore();
