// The session and the accounts for the fake backend: the key given at onboarding, the
// demo, the accounts added, switched between and removed, and the open accounts behind
// them. Opening an account makes its world (its own files and facts) and lets its parked
// transfers go on; closing one parks them, and the window shows another.
import type { AccountInfo, AccountSummary, SessionState } from '../types';
import { toFichierDate } from '../../time';
import { seedDemoTree, seedWorkTree } from './seed';
import { DEMO_ID, FakeRegistry, MAIN_ID, WORK_EMAIL, checkedKey, emailForKey } from './accounts';
import { isFinishedState } from './history';
import type { FakeTransfers } from './transfers';
import { type FakeState, type World, err } from './state';

export class FakeSessions {
  /** The accounts of this computer. */
  readonly registry = new FakeRegistry();

  constructor(private s: FakeState, private transfers: FakeTransfers, private keychainAvailable: boolean) {}

  async getSession(): Promise<SessionState> {
    await this.s.delay();
    return this.sessionNow();
  }

  private sessionNow(): SessionState {
    const shown = this.s.shownId;
    return {
      hasKey: shown != null,
      demo: shown === DEMO_ID,
      keychainAvailable: this.keychainAvailable,
      ...(shown != null ? { account: shown } : {}),
    };
  }

  /** Onboarding: the key becomes the first account's, which opens and shows. */
  async saveApiKey(key: string, sessionOnly: boolean): Promise<AccountInfo> {
    await this.s.delay(300, 700);
    const k = checkedKey(key);
    if (!sessionOnly && !this.keychainAvailable) {
      throw err('keychain_unavailable', 'The system keychain is locked or unavailable');
    }
    const main = this.registry.get(MAIN_ID)!;
    Object.assign(main, { key: k, stored: !sessionOnly || main.stored, email: 'demo@example.org' });
    // A new key for an open account: its session starts again with it.
    if (this.s.worlds.has(MAIN_ID)) this.s.shownId = MAIN_ID;
    else this.openWorld(MAIN_ID);
    return this.getAccountNow();
  }

  async startDemo(): Promise<void> {
    await this.s.delay();
    this.openWorld(DEMO_ID);
  }

  /** Removes the shown account (as `removeAccount` of it). */
  async forgetKey(): Promise<void> {
    await this.s.delay();
    if (this.s.shownId) this.dropAccount(this.s.shownId);
  }

  /** The shell's `sign_out`: the shown account closes, no stored key is removed. */
  async signOut(): Promise<void> {
    await this.s.delay();
    if (this.s.shownId) this.closeWorld(this.s.shownId);
  }

  async listAccounts(): Promise<AccountSummary[]> {
    await this.s.delay(10, 40);
    const line = (id: string, name: string, email: string | undefined, demo: boolean): AccountSummary => {
      const mine = this.transfers.live().filter((t) => t.account === id && !t.hidden && !isFinishedState(t.state));
      return {
        id, name, ...(email ? { email } : {}), demo, open: this.s.worlds.has(id), shown: this.s.shownId === id,
        transfers: mine.length, running: mine.filter((t) => t.state === 'running').length,
      };
    };
    return [
      ...this.registry.entries.filter((e) => e.stored || this.s.worlds.has(e.id)).map((e) => line(e.id, e.name, e.email, false)),
      line(DEMO_ID, 'Demo', undefined, true),
    ];
  }

  async switchAccount(id: string): Promise<SessionState> {
    await this.s.delay(40, 120);
    if (id !== DEMO_ID && !this.s.worlds.has(id)) {
      const entry = this.registry.get(id);
      if (!entry) throw err('not_found', `No account "${id}" on this computer.`);
      if (!entry.stored) {
        throw err('key_missing', `No API key is stored for "${entry.name}" any more. Remove the account and add it again with its key.`);
      }
    }
    this.openWorld(id);
    return this.sessionNow();
  }

  async addAccount(name: string, key: string, sessionOnly: boolean): Promise<AccountInfo> {
    await this.s.delay(300, 700);
    const k = checkedKey(key);
    const entry = this.registry.make(name);
    const same = this.registry.holding(k, emailForKey(k));
    if (same) {
      const email = same.email ?? emailForKey(k);
      throw err('name_conflict', `This key is the account "${same.name}" (${email}), already in the list.`);
    }
    if (!sessionOnly && !this.keychainAvailable) {
      throw err('keychain_unavailable', 'The system keychain is locked or unavailable');
    }
    Object.assign(entry, { key: k, stored: !sessionOnly, email: emailForKey(k) });
    this.registry.keep(entry);
    this.openWorld(entry.id);
    return this.getAccountNow();
  }

  async removeAccount(id: string): Promise<SessionState> {
    await this.s.delay(40, 120);
    if (id !== DEMO_ID && !this.registry.get(id)) throw err('not_found', `No account "${id}" on this computer.`);
    this.dropAccount(id);
    return this.sessionNow();
  }

  private dropAccount(id: string): void {
    this.closeWorld(id);
    if (id !== DEMO_ID) this.registry.remove(id);
  }

  getAccountNow(): AccountInfo {
    return this.s.account.info();
  }

  /** Opens the account `id` (its transfers left parked go on) and shows it unless told not to. */
  openWorld(id: string, show = true): World {
    let world = this.s.worlds.get(id);
    if (!world) {
      const entry = this.registry.get(id);
      const other = id === MAIN_ID || id === DEMO_ID
        ? undefined
        : {
            facts: {
              email: entry?.email ?? WORK_EMAIL, offer: 'gold' as const, coldStorageTotal: 20 * 1024 ** 4, hotStorageUsed: 410 * 1024 ** 3,
              cdnCreditGb: 0, subscriptionEnd: toFichierDate(Date.now() + 200 * 86_400_000),
            },
            ftp: [{ user: 'editing-suite', folderId: 31000004 }],
          };
      world = this.s.makeWorld(id, other ? seedWorkTree() : seedDemoTree(), other);
      this.s.worlds.set(id, world);
      this.transfers.unpark(id);
      this.transfers.schedule();
    }
    if (show) this.s.shownId = id;
    return world;
  }

  /**
   * Closes the account `id`: its transfers stop and wait for it to open again (the demo's
   * are gone with it). The window then shows another open account, real ones first.
   */
  private closeWorld(id: string): void {
    const world = this.s.worlds.get(id);
    if (!world) return;
    world.backups.stopAll();
    this.s.worlds.delete(id);
    this.transfers.park(id);
    if (this.s.shownId === id) {
      const open = [...this.s.worlds.keys()];
      this.s.shownId = open.find((x) => x !== DEMO_ID) ?? open[0] ?? null;
    }
    this.transfers.schedule();
  }
}
