// The queue (queued, running, paused and failed transfers), kept up to date from the
// backend's event stream. Finished ones are read a page at a time (history.svelte.ts).
import type { Transfer, TransferEvent } from '../backend/types';
import { activeList, applyTransferEvent, isFinished, totals, type TransferMap } from '../transfersModel';
import { backend } from './backendRef';
import { toasts } from './toasts.svelte';
import { errorText, t } from '../i18n/index.svelte';

class TransfersStore {
  map = $state.raw<TransferMap>({});
  active = $derived(activeList(this.map));
  /** Finished transfers still on the list (what "Clear" takes off it). */
  finished = $derived(Object.values(this.map).filter(isFinished).length);
  totals = $derived(totals(Object.values(this.map)));
  /** Called when an upload finishes, to refresh the folder it went to. */
  onUploaded: (t: Transfer) => void = () => {};
  notify = true;

  async load(): Promise<void> {
    const list = await backend().listTransfers();
    const map: TransferMap = {};
    for (const t of list) map[t.id] = t;
    this.map = map;
  }

  apply(event: TransferEvent): void {
    const before = event.type === 'state' ? this.map[event.transfer.id] : undefined;
    this.map = applyTransferEvent(this.map, event);
    if (event.type === 'state' && before && before.state !== event.transfer.state) {
      const tr = event.transfer;
      if (tr.state === 'done') {
        if (tr.kind === 'upload') this.onUploaded(tr);
        if (this.notify) toasts.success(t(tr.kind === 'upload' ? 'toast.uploadDone' : 'toast.downloadDone', { name: tr.name }));
      } else if (tr.state === 'failed' && tr.error) {
        toasts.push('error', t('toast.transferFailed', { name: tr.name, reason: errorText(tr.error) }));
      }
    }
  }

  add(list: Transfer[]): void {
    const next = { ...this.map };
    for (const t of list) next[t.id] = next[t.id] ?? t;
    this.map = next;
  }
}

export const transfers = new TransfersStore();
