// Pure bookkeeping of transfers: applying backend events, grouping and totals.
import type { Transfer, TransferEvent } from './backend/types';

export type TransferMap = Record<string, Transfer>;

/** Applies one event; returns the same map object when nothing changed. */
export function applyTransferEvent(map: TransferMap, event: TransferEvent): TransferMap {
  const next = { ...map };
  return applyInPlace(next, event) ? next : map;
}

/**
 * Applies a run of events with one copy of the map: what the window does once per frame,
 * however many progress events arrived (1,000 running transfers send up to 10,000 a
 * second). Returns the same map object when nothing changed.
 */
export function applyTransferEvents(map: TransferMap, events: TransferEvent[]): TransferMap {
  const next = { ...map };
  let changed = false;
  for (const e of events) changed = applyInPlace(next, e) || changed;
  return changed ? next : map;
}

/** Applies one event to `map` itself; `false` when it changed nothing. */
export function applyInPlace(map: TransferMap, event: TransferEvent): boolean {
  switch (event.type) {
    case 'state':
      map[event.transfer.id] = event.transfer;
      return true;
    case 'progress': {
      const t = map[event.id];
      if (!t) return false;
      // A late progress event must not move a finished transfer back.
      if (t.state !== 'running' && t.state !== 'queued') return false;
      map[event.id] = {
        ...t,
        state: 'running',
        bytesDone: event.bytesDone,
        bytesTotal: event.bytesTotal,
        speedBps: event.speedBps,
        etaSeconds: event.etaSeconds,
      };
      return true;
    }
    case 'removed': {
      let changed = false;
      for (const id of event.ids) {
        if (id in map) {
          delete map[id];
          changed = true;
        }
      }
      return changed;
    }
    default:
      return false;
  }
}

export const isActive = (t: Transfer) => t.state === 'queued' || t.state === 'running' || t.state === 'paused';
export const isFinished = (t: Transfer) => t.state === 'done' || t.state === 'cancelled' || t.state === 'failed';

/**
 * Finished transfers (done or cancelled) the queue keeps at most. They are no longer shown
 * there (the history has them) and only tell that "Clear" has something to take off; a
 * long run of uploads would otherwise keep every one of them, and copy them all on every
 * frame of progress. Failed ones stay: they are shown, to be retried.
 */
export const FINISHED_KEPT = 100;

const isDoneOrCancelled = (t: Transfer) => t.state === 'done' || t.state === 'cancelled';

/**
 * `map` with at most `max` done or cancelled transfers: the ones that finished first go.
 * Returns the same map object when it is within the bound.
 */
export function boundFinished(map: TransferMap, max = FINISHED_KEPT): TransferMap {
  let count = 0;
  for (const id in map) if (isDoneOrCancelled(map[id])) count++;
  if (count <= max) return map;
  const finished = Object.values(map).filter(isDoneOrCancelled);
  finished.sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0) || idOrder(a.id, b.id));
  const next = { ...map };
  for (const t of finished.slice(0, count - max)) delete next[t.id];
  return next;
}

export interface TransferTotals {
  /** Queued or running. */
  active: number;
  running: number;
  paused: number;
  failed: number;
  bytesDone: number;
  bytesTotal: number;
  speedBps: number;
  etaSeconds?: number;
  /** 0..1 over queued, running and paused transfers. */
  fraction: number;
}

export function totals(list: Transfer[]): TransferTotals {
  let active = 0, running = 0, paused = 0, failed = 0, done = 0, total = 0, speed = 0;
  for (const t of list) {
    if (t.state === 'failed') failed++;
    if (!isActive(t)) continue;
    if (t.state === 'paused') paused++;
    else active++;
    if (t.state === 'running') running++;
    done += t.bytesDone;
    total += t.bytesTotal;
    speed += t.speedBps;
  }
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const etaSeconds = speed > 0 ? (total - done) / speed : undefined;
  return { active, running, paused, failed, bytesDone: done, bytesTotal: total, speedBps: speed, etaSeconds, fraction };
}

/** Newest first: running, then queued, paused and failed; by start order otherwise. */
export function activeList(map: TransferMap): Transfer[] {
  const rank: Record<Transfer['state'], number> = { running: 0, queued: 1, paused: 2, failed: 3, done: 4, cancelled: 5 };
  return Object.values(map)
    .filter((t) => isActive(t) || t.state === 'failed')
    .sort((a, b) => rank[a.state] - rank[b.state] || idOrder(a.id, b.id));
}

/**
 * A transfer's new state applied to the loaded part of the history: one that finished
 * goes to the top, one started again (retried) leaves it. `delta` is the change in size.
 */
export function applyToHistory(items: Transfer[], t: Transfer): { items: Transfer[]; delta: number } {
  const known = items.some((x) => x.id === t.id);
  if (isFinished(t)) return { items: [t, ...items.filter((x) => x.id !== t.id)], delta: known ? 0 : 1 };
  if (known) return { items: items.filter((x) => x.id !== t.id), delta: -1 };
  return { items, delta: 0 };
}

/** `next` after `items`, without the ones already there (a page read while others finished). */
export function appendPage(items: Transfer[], next: Transfer[]): Transfer[] {
  const seen = new Set(items.map((t) => t.id));
  return [...items, ...next.filter((t) => !seen.has(t.id))];
}

function idOrder(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true });
}

/** Seconds left of a pacer wait, rounded up, never negative. */
export function secondsLeft(untilMs: number | null, nowMs: number): number {
  if (untilMs == null) return 0;
  return Math.max(0, Math.ceil((untilMs - nowMs) / 1000));
}

/** Where a finished download was saved: its folder, and its file name when it is not the
 *  remote one (a name already taken gets " (1)"). Null without a local path. */
export function savedWhere(name: string, localPath: string | undefined): { dir: string; file: string | null } | null {
  if (!localPath) return null;
  const cut = Math.max(localPath.lastIndexOf('/'), localPath.lastIndexOf('\\'));
  const dir = cut > 0 ? localPath.slice(0, cut) : localPath.slice(0, cut + 1);
  const file = localPath.slice(cut + 1);
  return { dir, file: file && file !== name ? file : null };
}

/**
 * The names of the accounts to label the rows of `list` with, by account id: none (null)
 * when the list holds the transfers of the account shown only, so a window of one account
 * stays calm. `nameOf` finds an account's name; an account no longer listed keeps its id.
 */
export function accountChips(
  list: readonly Transfer[],
  nameOf: (id: string) => string | undefined,
  shown?: string,
): Record<string, string> | null {
  const ids = new Set<string>();
  for (const t of list) if (t.account) ids.add(t.account);
  const only = ids.size === 1 ? [...ids][0] : undefined;
  if (ids.size === 0 || (only !== undefined && (shown === undefined || only === shown))) return null;
  const out: Record<string, string> = {};
  for (const id of ids) out[id] = nameOf(id) ?? id;
  return out;
}
