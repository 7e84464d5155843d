import { describe, expect, it } from 'vitest';
import type { Transfer } from './backend/types';
import {
  accountChips, activeList, appendPage, applyToHistory, applyTransferEvent, applyTransferEvents, boundFinished, FINISHED_KEPT, savedWhere,
  secondsLeft, totals, type TransferMap,
} from './transfersModel';

const tr = (id: string, over: Partial<Transfer> = {}): Transfer => ({
  id, kind: 'upload', name: `${id}.bin`, state: 'queued', bytesDone: 0, bytesTotal: 1000, speedBps: 0, ...over,
});

describe('transfer events', () => {
  it('adds and replaces on state events', () => {
    let m: TransferMap = {};
    m = applyTransferEvent(m, { type: 'state', transfer: tr('t1') });
    m = applyTransferEvent(m, { type: 'state', transfer: tr('t1', { state: 'running', phase: 'connecting' }) });
    expect(m.t1.state).toBe('running');
    expect(m.t1.phase).toBe('connecting');
  });

  it('applies progress to a running transfer only', () => {
    let m: TransferMap = { t1: tr('t1', { state: 'running' }), t2: tr('t2', { state: 'paused', bytesDone: 10 }) };
    m = applyTransferEvent(m, { type: 'progress', id: 't1', bytesDone: 400, bytesTotal: 1000, speedBps: 100, etaSeconds: 6 });
    expect(m.t1.bytesDone).toBe(400);
    expect(m.t1.etaSeconds).toBe(6);
    const same = applyTransferEvent(m, { type: 'progress', id: 't2', bytesDone: 999, bytesTotal: 1000, speedBps: 1 });
    expect(same).toBe(m);
    expect(applyTransferEvent(m, { type: 'progress', id: 'nope', bytesDone: 1, bytesTotal: 1, speedBps: 1 })).toBe(m);
  });

  it('applies a frame of events with one copy, ending where one-by-one ends', () => {
    const start: TransferMap = {};
    for (let i = 0; i < 200; i++) start[`t${i}`] = tr(`t${i}`, { state: 'running' });
    const events = [];
    for (let round = 1; round <= 10; round++) {
      for (let i = 0; i < 200; i++) {
        events.push({ type: 'progress' as const, id: `t${i}`, bytesDone: round * 100, bytesTotal: 1000, speedBps: round });
      }
    }
    events.push({ type: 'state' as const, transfer: tr('t7', { state: 'done', bytesDone: 1000 }) });
    events.push({ type: 'removed' as const, ids: ['t8'] });
    const together = applyTransferEvents(start, events);
    const oneByOne = events.reduce(applyTransferEvent, start);
    expect(together).toEqual(oneByOne);
    expect(together.t0.bytesDone).toBe(1000);
    expect(together.t7.state).toBe('done');
    expect(together.t8).toBeUndefined();
    expect(start.t0.bytesDone).toBe(0);
    expect(applyTransferEvents(start, [{ type: 'progress', id: 'gone', bytesDone: 1, bytesTotal: 1, speedBps: 1 }])).toBe(start);
  });

  it('removes cleared transfers', () => {
    const m = applyTransferEvent({ a: tr('a'), b: tr('b') }, { type: 'removed', ids: ['a'] });
    expect(Object.keys(m)).toEqual(['b']);
  });

  it('ignores pacer events', () => {
    const m = { a: tr('a') };
    expect(applyTransferEvent(m, { type: 'pacerWait', reason: 'flood', waitSeconds: 30 })).toBe(m);
  });
});

describe('totals and lists', () => {
  const map: TransferMap = {
    r: tr('t1', { state: 'running', bytesDone: 500, bytesTotal: 1000, speedBps: 100 }),
    q: tr('t2', { state: 'queued', bytesTotal: 1000 }),
    p: tr('t3', { state: 'paused', bytesDone: 0, bytesTotal: 2000 }),
    d: tr('t4', { state: 'done', bytesDone: 50, bytesTotal: 50, finishedAt: 10 }),
    f: tr('t5', { state: 'failed', finishedAt: 20, error: { code: 'network', message: 'x', retryable: true } }),
    c: tr('t6', { state: 'cancelled', finishedAt: 5 }),
  };
  it('sums active work only', () => {
    const tot = totals(Object.values(map));
    expect(tot.active).toBe(2);
    expect(tot.paused).toBe(1);
    expect(tot.failed).toBe(1);
    expect(tot.bytesDone).toBe(500);
    expect(tot.bytesTotal).toBe(4000);
    expect(tot.fraction).toBe(0.125);
    expect(tot.etaSeconds).toBe(35);
  });
  it('lists active transfers, with failed ones, which need attention', () => {
    expect(activeList(map).map((t) => t.state)).toEqual(['running', 'queued', 'paused', 'failed']);
  });
  it('keeps the loaded history up to date: finished on top, retried out', () => {
    const loaded = [map.d, map.c];
    const failed = applyToHistory(loaded, map.f);
    expect(failed.items.map((t) => t.id)).toEqual(['t5', 't4', 't6']);
    expect(failed.delta).toBe(1);
    const again = applyToHistory(failed.items, { ...map.f, finishedAt: 30 });
    expect(again.items.map((t) => t.id)).toEqual(['t5', 't4', 't6']);
    expect(again.delta).toBe(0);
    const retried = applyToHistory(again.items, { ...map.f, state: 'queued' });
    expect(retried.items.map((t) => t.id)).toEqual(['t4', 't6']);
    expect(retried.delta).toBe(-1);
    expect(applyToHistory(loaded, map.r)).toEqual({ items: loaded, delta: 0 });
    expect(appendPage([map.d], [map.d, map.c]).map((t) => t.id)).toEqual(['t4', 't6']);
  });
  it('counts pacer seconds down, rounded up, never negative', () => {
    expect(secondsLeft(10_000, 0)).toBe(10);
    expect(secondsLeft(10_000, 9_001)).toBe(1);
    expect(secondsLeft(10_000, 10_000)).toBe(0);
    expect(secondsLeft(10_000, 20_000)).toBe(0);
    expect(secondsLeft(null, 0)).toBe(0);
  });
});

describe('savedWhere', () => {
  it('names the folder, and the file when it is not the remote name', () => {
    expect(savedWhere('Launch teaser.mp4', '/home/ana/Downloads/Launch teaser (1).mp4'))
      .toEqual({ dir: '/home/ana/Downloads', file: 'Launch teaser (1).mp4' });
    expect(savedWhere('a.bin', '/home/ana/Downloads/a.bin')).toEqual({ dir: '/home/ana/Downloads', file: null });
    expect(savedWhere('a.bin', 'C:\\Users\\ana\\a (2).bin')).toEqual({ dir: 'C:\\Users\\ana', file: 'a (2).bin' });
    expect(savedWhere('a.bin', undefined)).toBeNull();
  });
});

describe('account chips', () => {
  const names: Record<string, string> = { main: 'Personal', work: 'Work (GOLD)' };
  const nameOf = (id: string) => names[id];

  it('labels nothing when the list holds one account\'s transfers (or none)', () => {
    expect(accountChips([], nameOf)).toBeNull();
    expect(accountChips([tr('t1', { account: 'main' }), tr('t2', { account: 'main', state: 'done' })], nameOf)).toBeNull();
    // A one-account engine leaves them unlabelled.
    expect(accountChips([tr('t1'), tr('t2')], nameOf)).toBeNull();
  });

  it('names each account once several are in the list, an unknown one by its id', () => {
    const list = [tr('t1', { account: 'main' }), tr('t2', { account: 'work' }), tr('t3', { account: 'work' }), tr('t4', { account: 'gone' })];
    expect(accountChips(list, nameOf)).toEqual({ main: 'Personal', work: 'Work (GOLD)', gone: 'gone' });
    expect(accountChips(list.slice(0, 2), nameOf)).toEqual({ main: 'Personal', work: 'Work (GOLD)' });
  });

  it('names the account of transfers that are not of the account shown', () => {
    const list = [tr('t1', { account: 'main' })];
    expect(accountChips(list, nameOf, 'work')).toEqual({ main: 'Personal' });
    expect(accountChips(list, nameOf, 'main')).toBeNull();
  });
});

describe('finished transfers kept on the queue', () => {
  it('keeps at most the bound of done and cancelled ones, the last to finish', () => {
    const map: TransferMap = {};
    for (let i = 0; i < 250; i++) {
      map[`d${i}`] = tr(`d${i}`, { state: i % 5 === 0 ? 'cancelled' : 'done', finishedAt: 1_000 + i });
    }
    map.run = tr('run', { state: 'running' });
    map.wait = tr('wait', { state: 'paused' });
    map.bad = tr('bad', { state: 'failed', finishedAt: 1 });
    const kept = boundFinished(map);
    const finished = Object.values(kept).filter((t) => t.state === 'done' || t.state === 'cancelled');
    expect(finished).toHaveLength(FINISHED_KEPT);
    // The oldest went; the last one to finish stayed.
    expect(kept.d0).toBeUndefined();
    expect(kept.d249).toBeDefined();
    expect(Math.min(...finished.map((t) => t.finishedAt!))).toBe(1_000 + 250 - FINISHED_KEPT);
    // What the queue shows stays: running, paused and failed ones.
    expect(Object.keys(kept)).toEqual(expect.arrayContaining(['run', 'wait', 'bad']));
    expect(activeList(kept).map((t) => t.id)).toEqual(activeList(map).map((t) => t.id));
    // The map given is left as it was.
    expect(Object.keys(map)).toHaveLength(253);
  });

  it('gives the same map back within the bound', () => {
    const map: TransferMap = { a: tr('a', { state: 'done' }), b: tr('b', { state: 'running' }) };
    expect(boundFinished(map)).toBe(map);
    expect(boundFinished(map, 0)).toEqual({ b: map.b });
  });
});
