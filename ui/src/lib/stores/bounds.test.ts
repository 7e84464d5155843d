// What the stores keep while the window stays open is bounded, however long it runs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Transfer } from '../backend/types';
import { FINISHED_KEPT } from '../transfersModel';
import { browser, CREATED_KEPT } from './browser.svelte';
import { history } from './history.svelte';
import { transfers } from './transfers.svelte';

const tr = (id: string, over: Partial<Transfer> = {}): Transfer => ({
  id, kind: 'upload', name: `${id}.bin`, state: 'queued', bytesDone: 0, bytesTotal: 1000, speedBps: 0, ...over,
});

describe('bounded stores', () => {
  afterEach(() => {
    vi.clearAllTimers();
    vi.useRealTimers();
    transfers.clear();
    history.reset();
    browser.createdHere = new Map();
  });

  it('the queue keeps a bounded number of finished transfers, and every one still under way', () => {
    vi.useFakeTimers();
    transfers.notify = false;
    transfers.add([tr('live', { state: 'running' }), tr('stuck', { state: 'failed' })]);
    for (let i = 0; i < 1000; i++) {
      transfers.apply({ type: 'state', transfer: tr(`u${i}`, { state: 'running' }) });
      transfers.apply({ type: 'state', transfer: tr(`u${i}`, { state: 'done', finishedAt: i + 1 }) });
      // A frame now and then, as the window shows them.
      if (i % 10 === 9) transfers.flush();
    }
    transfers.flush();
    const all = Object.values(transfers.map);
    expect(all.filter((t) => t.state === 'done')).toHaveLength(FINISHED_KEPT);
    expect(transfers.map.u999?.state).toBe('done');
    expect(transfers.map.live?.state).toBe('running');
    expect(transfers.active.map((t) => t.id)).toEqual(['live', 'stuck']);
    // "Clear" still has something to take off.
    expect(transfers.finished).toBe(FINISHED_KEPT + 1);
  });

  it('the loaded history does not grow with each transfer that finishes, and still counts them all', () => {
    vi.useFakeTimers();
    for (let i = 0; i < 1000; i++) {
      history.apply({ type: 'state', transfer: tr(`h${i}`, { state: 'done', finishedAt: i + 1 }) });
    }
    expect(history.items.length).toBe(200);
    expect(history.items[0].id).toBe('h999');
    expect(history.total).toBe(1000);
    expect(history.hasMore).toBe(true);
  });

  it('the creation times noted for folders made here are bounded, the last ones kept', () => {
    for (let id = 1; id <= CREATED_KEPT + 50; id++) browser.noteCreated(id, '2024-05-01 10:00:00');
    expect(browser.createdHere.size).toBe(CREATED_KEPT);
    expect(browser.createdHere.has(1)).toBe(false);
    expect(browser.createdHere.has(CREATED_KEPT + 50)).toBe(true);
    expect(browser.createDateOf(CREATED_KEPT + 50, '')).toBe('2024-05-01 10:00:00');
    // Noted again, a folder counts as the newest.
    browser.noteCreated(51, '2024-05-02 10:00:00');
    browser.noteCreated(10_000, '2024-05-02 10:00:00');
    expect(browser.createdHere.has(51)).toBe(true);
    expect(browser.createdHere.has(52)).toBe(false);
  });
});
