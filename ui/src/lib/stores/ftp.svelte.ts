// The account's FTP sub-accounts: read once when the account view opens (1fichier's
// answer is kept for 5 minutes by the shell), added and removed from there.
import { toAppError } from '../backend';
import type { AppError, FtpAccount } from '../backend/types';
import { backend } from './backendRef';

class FtpState {
  accounts = $state.raw<FtpAccount[] | null>(null);
  loading = $state(false);
  error = $state.raw<AppError | null>(null);
  /** User names being removed now. */
  removing = $state.raw<ReadonlySet<string>>(new Set());
  private epoch = 0;

  async load(force = false): Promise<void> {
    if (this.loading || (this.accounts && !force)) return;
    const epoch = this.epoch;
    this.loading = true;
    try {
      const list = await backend().listFtpAccounts();
      if (epoch !== this.epoch) return;
      this.accounts = list;
      this.error = null;
    } catch (e) {
      if (epoch === this.epoch) this.error = toAppError(e);
    } finally {
      if (epoch === this.epoch) this.loading = false;
    }
  }

  /** Creates one; the error, if any, is returned for the form to show. */
  async add(user: string, password: string, folderId: number): Promise<AppError | null> {
    const epoch = this.epoch;
    try {
      const list = await backend().addFtpAccount(user, password, folderId);
      if (epoch === this.epoch) this.accounts = list;
      return null;
    } catch (e) {
      return toAppError(e);
    }
  }

  async remove(user: string): Promise<AppError | null> {
    const epoch = this.epoch;
    this.removing = new Set([...this.removing, user]);
    try {
      const list = await backend().removeFtpAccount(user);
      if (epoch === this.epoch) this.accounts = list;
      return null;
    } catch (e) {
      return toAppError(e);
    } finally {
      const left = new Set(this.removing);
      left.delete(user);
      this.removing = left;
    }
  }

  reset(): void {
    this.epoch++;
    this.accounts = null;
    this.loading = false;
    this.error = null;
    this.removing = new Set();
  }
}

export const ftp = new FtpState();
