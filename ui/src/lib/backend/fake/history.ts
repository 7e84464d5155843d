// The fake's history of finished transfers: most recent first, kept within the settings'
// bounds (a number of transfers and of days), like the engine's.
import type { HistoryPage, Transfer } from '../types';

const DAY_MS = 24 * 60 * 60 * 1000;

export const isFinishedState = (s: Transfer['state']) => s === 'done' || s === 'failed' || s === 'cancelled';

/** Finished transfers, most recent first. */
export function newestFirst<T extends Transfer>(all: Iterable<T>): T[] {
  return [...all]
    .filter((t) => isFinishedState(t.state))
    .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0) || b.id.localeCompare(a.id, undefined, { numeric: true }));
}

export function historyPage(all: Iterable<Transfer>, offset: number, limit: number, toPublic: (t: Transfer) => Transfer): HistoryPage {
  const finished = newestFirst(all);
  return { items: finished.slice(offset, offset + Math.max(1, Math.min(200, limit))).map(toPublic), total: finished.length };
}

/** Ids of the finished transfers beyond either bound. */
export function beyondBounds(all: Iterable<Transfer>, maxItems: number, maxDays: number, now = Date.now()): string[] {
  const oldest = now - maxDays * DAY_MS;
  return newestFirst(all)
    .filter((t, i) => i >= maxItems || (t.finishedAt ?? 0) < oldest)
    .map((t) => t.id);
}

/** `count` finished transfers, one a minute, the last one a minute ago. */
export function pastTransfers(count: number, now = Date.now()): Transfer[] {
  const names = ['holiday.mp4', 'report.pdf', 'backup.zip', 'notes.txt', 'album.flac', 'scan.jpg'];
  return Array.from({ length: count }, (_, i) => {
    const n = count - i;
    const name = `${String(n).padStart(4, '0')}-${names[n % names.length]}`;
    const kind = n % 3 === 0 ? 'download' : 'upload';
    const state: Transfer['state'] = n % 17 === 0 ? 'failed' : n % 11 === 0 ? 'cancelled' : 'done';
    const finishedAt = now - (i + 1) * 60_000;
    // Some downloads found their name taken and were saved as "name (1).ext".
    const saved = kind === 'download' && n % 6 === 0 ? name.replace(/(\.[^.]+)$/, ' (1)$1') : name;
    return {
      id: `h${n}`, kind, name, folderId: 0, localPath: `/home/demo/History/${saved}`, state,
      bytesDone: state === 'done' ? 1_000_000 + n : 0, bytesTotal: 1_000_000 + n, speedBps: 0,
      startedAt: finishedAt - 30_000, finishedAt,
      error: state === 'failed' ? { code: 'network', message: 'Connection reset by peer', retryable: true } : undefined,
    };
  });
}
