// The link checker's text and last results, kept while the user goes elsewhere (to the
// transfers, say) and comes back.
import { toAppError } from '../backend';
import type { AppError, LinkReport, Transfer } from '../backend/types';
import { appendText, availableUrls, findLinks } from '../links';
import { linkCountProblem } from '../rules';
import { backend } from './backendRef';

/** Why a check gave nothing: no link in the text, too many of them, or an error of the backend. */
export type CheckProblem =
  | { kind: 'none' }
  | { kind: 'tooMany'; found: number }
  | { kind: 'error'; error: AppError };

class LinkCheckState {
  text = $state('');
  reports = $state.raw<LinkReport[] | null>(null);
  checking = $state(false);
  downloading = $state(false);
  problem = $state.raw<CheckProblem | null>(null);
  /** A note about what was dropped or opened (not a text file, unreadable…). */
  note = $state<string | null>(null);
  private epoch = 0;

  async check(): Promise<void> {
    if (this.checking || !this.text.trim()) return;
    const text = this.text;
    // More than one check takes: said before asking, with the number found.
    const found = findLinks(text).length;
    if (linkCountProblem(found)?.kind === 'tooMany') {
      this.problem = { kind: 'tooMany', found };
      return;
    }
    const epoch = this.epoch;
    this.checking = true;
    this.problem = null;
    try {
      const reports = await backend().checkLinks(text);
      if (epoch !== this.epoch) return;
      this.reports = reports;
    } catch (e) {
      if (epoch !== this.epoch) return;
      const error = toAppError(e);
      // The shell refuses a text without links as an invalid request.
      this.problem = error.code === 'invalid_request' && found === 0 ? { kind: 'none' } : { kind: 'error', error };
    } finally {
      if (epoch === this.epoch) this.checking = false;
    }
  }

  /** Queues the available files into the download folder of the settings (rejects with an AppError). */
  async downloadAvailable(): Promise<Transfer[]> {
    const urls = this.reports ? availableUrls(this.reports) : [];
    if (urls.length === 0 || this.downloading) return [];
    this.downloading = true;
    try {
      return await backend().downloadFiles(urls);
    } catch (e) {
      throw toAppError(e);
    } finally {
      this.downloading = false;
    }
  }

  /** Files dropped on the window: the shell reads their text, which joins the box. */
  async readDropped(paths: string[]): Promise<void> {
    this.note = null;
    try {
      const text = await backend().readTextFiles(paths);
      this.text = appendText(this.text, text);
      this.problem = null;
    } catch (e) {
      this.note = toAppError(e).message;
    }
  }

  clear(): void {
    this.text = '';
    this.reports = null;
    this.problem = null;
    this.note = null;
  }

  reset(): void {
    this.epoch++;
    this.clear();
    this.checking = false;
    this.downloading = false;
  }
}

export const linkCheck = new LinkCheckState();
