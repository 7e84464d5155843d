// The queue (queued, running, paused and failed transfers), kept up to date from the
// backend's event stream. Finished ones are read a page at a time (history.svelte.ts).
import type { Transfer, TransferEvent } from '../backend/types';
import { activeList, applyTransferEvents, boundFinished, isFinished, totals, type TransferMap } from '../transfersModel';
import { backend } from './backendRef';
import { toasts } from './toasts.svelte';
import { backups } from './backups.svelte';
import { errorText, t } from '../i18n/index.svelte';

class TransfersStore {
  map = $state.raw<TransferMap>({});
  active = $derived(activeList(this.map));
  /** Finished transfers still on the list (what "Clear" takes off it); the done and
   * cancelled ones are kept up to FINISHED_KEPT, the most recent. */
  finished = $derived(Object.values(this.map).filter(isFinished).length);
  totals = $derived(totals(Object.values(this.map)));
  /** Called when an upload finishes, to refresh the folder it went to. */
  onUploaded: (t: Transfer) => void = () => {};
  notify = true;

  async load(): Promise<void> {
    const list = await backend().listTransfers();
    const map: TransferMap = {};
    for (const t of list) map[t.id] = t;
    this.map = boundFinished(map);
    // Events that arrived while the list was read are newer: they go on top.
    this.flush();
  }

  /** Events not yet shown: applied together once per frame. */
  private pending: TransferEvent[] = [];
  /** The state each pending transfer will have, for the toasts decided at once. */
  private latest = new Map<string, Transfer['state']>();
  private flushScheduled = false;
  /** Finished in this frame: one toast each, or one for all when a batch lands at once. */
  private doneThisFrame: Transfer[] = [];

  apply(event: TransferEvent): void {
    const id = event.type === 'state' ? event.transfer.id : undefined;
    const beforeState = id === undefined ? undefined : (this.latest.get(id) ?? this.map[id]?.state);
    this.pending.push(event);
    if (event.type === 'state') this.latest.set(event.transfer.id, event.transfer.state);
    this.scheduleFlush();
    if (event.type === 'state' && beforeState && beforeState !== event.transfer.state) {
      const tr = event.transfer;
      // A backup's uploads are told in its own summary.
      const fromBackup = tr.kind === 'upload' && backups.covers(tr.localPath);
      if (tr.state === 'done') {
        if (tr.kind === 'upload') this.onUploaded(tr);
        if (this.notify && !fromBackup) this.doneThisFrame.push(tr);
      } else if (tr.state === 'failed' && tr.error && !fromBackup) {
        toasts.push('error', t('toast.transferFailed', { name: tr.name, reason: errorText(tr.error) }));
      }
    }
  }

  /** Shows what arrived since the last frame. */
  flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const events = this.pending;
    this.pending = [];
    this.latest.clear();
    const next = applyTransferEvents(this.map, events);
    // Only a change of state can finish one: progress alone never needs the count.
    this.map = events.some((e) => e.type === 'state') ? boundFinished(next) : next;
    const done = this.doneThisFrame;
    this.doneThisFrame = [];
    for (const kind of ['upload', 'download'] as const) {
      const these = done.filter((x) => x.kind === kind);
      if (these.length === 1) {
        toasts.success(t(kind === 'upload' ? 'toast.uploadDone' : 'toast.downloadDone', { name: these[0].name }));
      } else if (these.length > 1) {
        toasts.success(t(kind === 'upload' ? 'toast.uploadsDone' : 'toast.downloadsDone', { n: these.length }));
      }
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Once per frame while the window is shown; a hidden window (no frames) still catches
    // up within a quarter of a second.
    const run = () => this.flush();
    if (typeof requestAnimationFrame === 'function') {
      requestAnimationFrame(run);
      setTimeout(run, 250);
    } else {
      setTimeout(run, 16);
    }
  }

  /** No account is open: nothing is listed. */
  clear(): void {
    this.pending = [];
    this.latest.clear();
    this.doneThisFrame = [];
    this.map = {};
  }

  add(list: Transfer[]): void {
    this.flush();
    const next = { ...this.map };
    for (const t of list) next[t.id] = next[t.id] ?? t;
    this.map = boundFinished(next);
  }
}

export const transfers = new TransfersStore();
