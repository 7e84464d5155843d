import { describe, expect, it } from 'vitest';
import type { AccountSummary, Transfer } from './backend/types';
import { LIMITS } from './backend/types';
import { accountNameProblem, activeTransfersOf, menuStep, othersRunning } from './accounts';

const acct = (id: string, over: Partial<AccountSummary> = {}): AccountSummary => ({
  id, name: id, demo: false, open: true, shown: false, transfers: 0, running: 0, ...over,
});
const tr = (id: string, state: Transfer['state'], account?: string): Transfer => ({
  id, kind: 'upload', name: `${id}.bin`, state, bytesDone: 0, bytesTotal: 10, speedBps: 0, account,
});

describe('account names', () => {
  const list = [acct('main'), acct('work-gold', { name: 'Work (GOLD)' }), acct('demo', { name: 'Demo', demo: true })];

  it('says what the shell would refuse, before asking it', () => {
    expect(accountNameProblem('   ', list)).toEqual({ kind: 'empty' });
    expect(accountNameProblem('x'.repeat(LIMITS.maxAccountNameChars), list)).toBeNull();
    expect(accountNameProblem('x'.repeat(LIMITS.maxAccountNameChars + 1), list)).toEqual({ kind: 'tooLong', max: LIMITS.maxAccountNameChars });
    // Characters, not UTF-16 units: 40 emoji fit.
    expect(accountNameProblem('📁'.repeat(LIMITS.maxAccountNameChars), list)).toBeNull();
    expect(accountNameProblem('Work\tGold', list)).toEqual({ kind: 'control' });
    expect(accountNameProblem('Work\u0085', list)).toEqual({ kind: 'control' });
  });

  it('finds a name already listed, by name or id and whatever the case', () => {
    expect(accountNameProblem('  work (gold) ', list)).toEqual({ kind: 'taken', name: 'Work (GOLD)' });
    expect(accountNameProblem('WORK-GOLD', list)).toEqual({ kind: 'taken', name: 'Work (GOLD)' });
    expect(accountNameProblem('Main', list)).toEqual({ kind: 'taken', name: 'main' });
    // The demo is no account of this computer: its name can be taken.
    expect(accountNameProblem('Demo', list)).toBeNull();
    expect(accountNameProblem('Family', list)).toBeNull();
  });
});

describe('what the accounts have under way', () => {
  it('counts the running transfers of the accounts not shown', () => {
    expect(othersRunning([acct('main', { shown: true, running: 3 }), acct('work', { running: 2, transfers: 5 }), acct('demo', { demo: true, running: 1 })])).toBe(3);
    expect(othersRunning([acct('main', { shown: true, running: 3 })])).toBe(0);
    expect(othersRunning([])).toBe(0);
  });

  it('counts an account\'s transfers under way, unlabelled ones being the shown account\'s', () => {
    const list = [tr('1', 'running', 'work'), tr('2', 'paused', 'work'), tr('3', 'queued', 'work'), tr('4', 'done', 'work'),
      tr('5', 'failed', 'work'), tr('6', 'running', 'main'), tr('7', 'queued')];
    expect(activeTransfersOf(list, 'work', 'main')).toBe(3);
    expect(activeTransfersOf(list, 'main', 'main')).toBe(2);
    expect(activeTransfersOf(list, 'main', 'work')).toBe(1);
    expect(activeTransfersOf(list, 'demo', 'main')).toBe(0);
  });
});

describe('menu keys', () => {
  it('moves with the arrows, wrapping, and jumps with Home and End', () => {
    expect(menuStep(0, 3, 'ArrowDown')).toBe(1);
    expect(menuStep(2, 3, 'ArrowDown')).toBe(0);
    expect(menuStep(0, 3, 'ArrowUp')).toBe(2);
    expect(menuStep(-1, 3, 'ArrowDown')).toBe(0);
    expect(menuStep(-1, 3, 'ArrowUp')).toBe(2);
    expect(menuStep(1, 3, 'Home')).toBe(0);
    expect(menuStep(1, 3, 'End')).toBe(2);
    expect(menuStep(1, 3, 'a')).toBe(1);
    expect(menuStep(0, 0, 'ArrowDown')).toBe(-1);
  });
});
