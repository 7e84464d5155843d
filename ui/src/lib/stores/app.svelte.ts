// Session, settings, the current screen and the account: the app-wide state.
import type { AccountInfo, AppError, SessionState, Settings } from '../backend/types';
import { DEFAULT_SETTINGS } from '../backend/types';
import type { Backend } from '../backend';
import { toAppError } from '../backend';
import { locale, t } from '../i18n/index.svelte';
import { setBackend } from './backendRef';
import { accounts } from './accounts.svelte';
import { backups } from './backups.svelte';
import { ftp } from './ftp.svelte';
import { linkCheck } from './links.svelte';
import { browser } from './browser.svelte';
import { history } from './history.svelte';
import { layout } from './layout.svelte';
import { pacer } from './pacer.svelte';
import { toasts } from './toasts.svelte';
import { transfers } from './transfers.svelte';
import { treeFocus } from './tree.svelte';

export type View = 'files' | 'transfers' | 'remote' | 'links' | 'backups' | 'serve' | 'account' | 'settings';

class AppState {
  backend: Backend | null = null;
  ready = $state(false);
  session = $state.raw<SessionState | null>(null);
  settings = $state.raw<Settings>(DEFAULT_SETTINGS);
  view = $state<View>('files');
  account = $state.raw<AccountInfo | null>(null);
  accountError = $state.raw<AppError | null>(null);
  /** When the account's answer arrived here (epoch ms): its age and wait count from then. */
  accountAt = $state(0);
  /** "Use CDN credit" as asked and not answered yet (the 5-minute rule may hold it for minutes). */
  cdnWanted = $state<boolean | null>(null);
  /** When that answer is due at the latest (epoch ms). */
  cdnDueAt = $state(0);
  cdnError = $state.raw<AppError | null>(null);
  /** Bumped when the session ends, so a late answer for the old one is dropped. */
  private epoch = 0;
  /**
   * Bumped each time the window starts showing an account (a switch, an addition, a
   * removal): the views of the account are drawn anew for it.
   */
  shownSeq = $state(0);
  /** A switch to another account is under way. */
  switching = $state(false);
  /** The details panel beside the list (wide windows). */
  showInfo = $state(true);
  /** The details panel over the list (narrow windows), closed until asked for. */
  infoOverlay = $state(false);
  /** The key screen shown from the demo ("Use my key"), the demo still open behind it. */
  choosingKey = $state(false);
  private unsubscribers: (() => void)[] = [];

  async init(b: Backend): Promise<void> {
    this.backend = b;
    setBackend(b);
    try {
      this.applySettings(await b.getSettings());
    } catch (e) {
      toasts.error(toAppError(e));
    }
    this.session = await b.getSession();
    this.unsubscribers.push(
      await b.subscribe((ev) => {
        if (ev.type === 'pacerWait') pacer.wait(ev.reason, ev.waitSeconds);
        else if (ev.type === 'remoteResult') remoteListeners.forEach((l) => l(ev.job));
        else if (ev.type === 'backup') backups.apply(ev.job);
        else {
          // What each account has under way, for the switcher: read again when a transfer
          // comes, goes or changes state (never for progress, nor for a phase).
          const counts = ev.type === 'removed' || (ev.type === 'state' && transfers.map[ev.transfer.id]?.state !== ev.transfer.state);
          transfers.apply(ev);
          history.apply(ev);
          if (counts) accounts.refreshSoon();
        }
      }),
    );
    transfers.onUploaded = (t) => {
      // Another account's upload went to a folder of its own, whatever its id.
      const here = !t.account || !this.session?.account || t.account === this.session.account;
      if (here && t.folderId === browser.folderId && this.view === 'files') void browser.refresh(false);
    };
    if (this.session.hasKey) await this.enter();
    this.ready = true;
  }

  /** Whether the details panel is on screen, in this window's layout. */
  get infoShown(): boolean {
    return layout.narrow ? this.infoOverlay : this.showInfo;
  }

  revealInfo(): void {
    if (layout.narrow) this.infoOverlay = true;
    else this.showInfo = true;
  }

  hideInfo(): void {
    if (layout.narrow) this.infoOverlay = false;
    else this.showInfo = false;
  }

  toggleInfo(): void {
    if (this.infoShown) this.hideInfo();
    else this.revealInfo();
  }

  /** After a key is accepted (or the demo starts): the account shown, from its root. */
  async enter(): Promise<void> {
    this.choosingKey = false;
    this.view = 'files';
    await this.show(await this.backend!.getSession());
    void accounts.refresh();
  }

  /**
   * Shows the account `session` names: what belonged to the account shown before goes
   * (its folders, selection, account, FTP accounts, backups, link check), the files start
   * at its root, and the transfers (every open account's) are read again. The view stays.
   */
  private async show(session: SessionState): Promise<void> {
    this.session = session;
    this.forgetShown();
    this.shownSeq++;
    await Promise.all([browser.open(0), transfers.load().catch(() => {}), history.reload().catch(() => {})]);
    void backups.load().catch(() => {});
    void this.loadAccount();
  }

  /** Drops what the window held of the account it showed. */
  private forgetShown(): void {
    this.epoch++;
    this.account = null;
    this.accountError = null;
    this.cdnWanted = null;
    this.cdnError = null;
    ftp.reset();
    linkCheck.reset();
    browser.reset();
    treeFocus.id = 0;
    history.reset();
    backups.reset();
  }

  /** The name the window gives the account shown now. */
  private shownName(): string {
    const id = this.session?.account;
    return (id && accounts.nameOf(id)) || (this.session?.demo ? t('accounts.demoName') : (id ?? ''));
  }

  /** Shows the account `id`; its transfers and every other account's go on. */
  async switchAccount(id: string): Promise<void> {
    if (this.switching || !this.backend) return;
    if (id === this.session?.account) return;
    this.switching = true;
    try {
      const session = await this.backend.switchAccount(id);
      await this.show(session);
      await accounts.refresh();
      toasts.success(t('accounts.nowShowing', { name: this.shownName() }));
    } catch (e) {
      const err = toAppError(e);
      const name = accounts.nameOf(id) ?? id;
      if (err.code === 'key_missing') toasts.error(err, t('accounts.err.keyMissing', { name }));
      else if (err.code === 'not_found') toasts.error(err, t('accounts.err.notFound', { name }));
      else toasts.error(err);
      void accounts.refresh();
    } finally {
      this.switching = false;
    }
  }

  /**
   * Adds an account (1fichier checks its key first) and shows it. Rejects with the
   * AppError for the dialog to show by its field.
   */
  async addAccount(name: string, key: string, sessionOnly: boolean): Promise<void> {
    try {
      await this.backend!.addAccount(name, key, sessionOnly);
    } catch (e) {
      throw toAppError(e);
    }
    await this.show(await this.backend!.getSession());
    await accounts.refresh();
    toasts.success(t('accounts.nowShowing', { name: this.shownName() }));
  }

  /**
   * Removes the account `id` (for the demo: ends it). The window then shows the account
   * the backend shows now, or the start screen when there is none. Rejects with an AppError.
   */
  async removeAccount(id: string): Promise<void> {
    const before = this.session?.account;
    const gone = accounts.nameOf(id) ?? id;
    const demo = accounts.list.find((a) => a.id === id)?.demo ?? (id === before && !!this.session?.demo);
    let session: SessionState;
    try {
      session = await this.backend!.removeAccount(id);
    } catch (e) {
      throw toAppError(e);
    }
    if (!session.hasKey) {
      this.session = session;
      this.signedOutNow();
      return;
    }
    if (session.account !== before) {
      await this.show(session);
      await accounts.refresh();
      const name = this.shownName();
      toasts.success(demo ? t('accounts.demoEndedNowShowing', { name }) : t('accounts.removedNowShowing', { gone, name }));
    } else {
      this.session = session;
      await Promise.all([transfers.load().catch(() => {}), history.reload().catch(() => {}), accounts.refresh()]);
      toasts.success(t('accounts.removed', { name: gone }));
    }
  }

  async loadAccount(): Promise<void> {
    const epoch = this.epoch;
    try {
      const a = await this.backend!.getAccount();
      if (epoch !== this.epoch) return;
      this.setAccount(a);
      this.accountError = null;
    } catch (e) {
      if (epoch === this.epoch) this.accountError = toAppError(e);
    }
  }

  private setAccount(a: AccountInfo): void {
    this.account = a;
    this.accountAt = Date.now();
  }

  /** Seconds an account change would wait now for 1fichier's 5-minute rule. */
  changeWaitNow(now = Date.now()): number {
    if (!this.account) return 0;
    return Math.max(0, Math.ceil(this.account.changeWaitSecs - (now - this.accountAt) / 1000));
  }

  /**
   * Turns "Use CDN credit" on or off. The answer may take minutes (one account change
   * every 5 minutes): the switch shows what was asked meanwhile, and nothing else waits.
   */
  async setUseCdn(on: boolean): Promise<void> {
    if (this.cdnWanted !== null || !this.account || !this.backend) return;
    const epoch = this.epoch;
    this.cdnWanted = on;
    this.cdnError = null;
    this.cdnDueAt = Date.now() + this.changeWaitNow() * 1000;
    try {
      const a = await this.backend.setUseCdn(on);
      if (epoch !== this.epoch) return;
      this.setAccount(a);
      toasts.success(t(a.useCdn ? 'account.cdnSavedOn' : 'account.cdnSavedOff'));
    } catch (e) {
      if (epoch === this.epoch) this.cdnError = toAppError(e);
    } finally {
      if (epoch === this.epoch) this.cdnWanted = null;
    }
  }

  applySettings(s: Settings): void {
    this.settings = s;
    locale.lang = s.language;
    transfers.notify = s.notifications;
    if (typeof document !== 'undefined') {
      document.documentElement.dataset.theme = s.theme;
      document.documentElement.lang = s.language;
    }
  }

  async updateSettings(patch: Partial<Settings>): Promise<void> {
    const previous = this.settings;
    const next = { ...this.settings, ...patch };
    this.applySettings(next);
    try {
      this.applySettings(await this.backend!.saveSettings(next));
      // Smaller bounds forget part of the history at once.
      if ('historyMaxItems' in patch || 'historyMaxDays' in patch) void history.reload().catch(() => {});
    } catch (e) {
      this.applySettings(previous);
      toasts.error(toAppError(e));
    }
  }

  /** What is left once no account is open: the start screen, nothing of any account. */
  private signedOutNow(): void {
    this.choosingKey = false;
    this.forgetShown();
    this.shownSeq++;
    transfers.clear();
    accounts.reset();
  }
}

type RemoteListener = (job: import('../backend/types').RemoteJob) => void;
const remoteListeners = new Set<RemoteListener>();
export function onRemoteResult(l: RemoteListener): () => void {
  remoteListeners.add(l);
  return () => remoteListeners.delete(l);
}

export const app = new AppState();
