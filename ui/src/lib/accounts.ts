// The accounts of this computer as the switcher shows them: names checked as the shell
// checks them before it is asked, the transfers of the accounts not shown, and the line
// that says what an account is doing.
import type { AccountSummary, Transfer } from './backend/types';
import { accountNameRuleProblem, type AccountNameRuleProblem } from './rules';
import { isActive } from './transfersModel';

export type AccountNameProblem = AccountNameRuleProblem | { kind: 'taken'; name: string };

/**
 * What is wrong with `name` for a new account, as the shell would say: core's rule
 * (rules.ts: empty, too long, control characters), or the name (or id) of an account
 * already listed, case aside. Null when it can be asked for.
 */
export function accountNameProblem(name: string, accounts: readonly AccountSummary[]): AccountNameProblem | null {
  const problem = accountNameRuleProblem(name);
  if (problem) return problem;
  const lower = name.trim().toLowerCase();
  const same = accounts.find((a) => !a.demo && (a.name.toLowerCase() === lower || a.id.toLowerCase() === lower));
  return same ? { kind: 'taken', name: same.name } : null;
}

/** Transfers moving bytes now in the accounts the window does not show. */
export function othersRunning(accounts: readonly AccountSummary[]): number {
  return accounts.reduce((n, a) => (a.shown ? n : n + a.running), 0);
}

/**
 * Queued, running and paused transfers of the account `id` in the list the window holds;
 * a transfer without an account label is the shown account's (a one-account engine).
 */
export function activeTransfersOf(list: Iterable<Transfer>, id: string, shownId: string | undefined): number {
  let n = 0;
  for (const t of list) if (isActive(t) && (t.account ?? shownId) === id) n++;
  return n;
}

/** The next item of a menu for an arrow key, wrapping at both ends; -1 for an empty menu. */
export function menuStep(index: number, count: number, key: string): number {
  if (count <= 0) return -1;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  if (key === 'ArrowDown') return index < 0 ? 0 : (index + 1) % count;
  if (key === 'ArrowUp') return index < 0 ? count - 1 : (index - 1 + count) % count;
  return index;
}
