import type { Backend } from '../backend';

let current: Backend | null = null;

export function setBackend(b: Backend): void {
  current = b;
}

export function backend(): Backend {
  if (!current) throw new Error('backend not initialised');
  return current;
}
