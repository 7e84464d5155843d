// The one seam between the UI and whatever does the work. Components and stores only
// ever see this interface; `index.ts` picks the implementation.
import type { Commands } from './commands';
import type { AppError, AppEvent, ErrorCode } from './types';
import { ERROR_CODES } from './types';

export type Unsubscribe = () => void;

export type { DirectoryPurpose } from './bindings';

/** What the window learns about OS files dragged over it. */
export type DropSignal =
  | { kind: 'enter' | 'over'; x: number; y: number }
  | { kind: 'drop'; x: number; y: number; paths: string[] }
  | { kind: 'leave' };

/**
 * Every command of the desktop shell (generated from their Rust signatures, with their
 * documentation, into `commands.ts`), and the two streams the window listens to.
 */
export interface Backend extends Omit<Commands, 'subscribeEvents'> {
  readonly kind: 'tauri' | 'fake';
  /** Transfer progress, state changes, pacer waits, remote-upload results and backups. */
  subscribe(handler: (event: AppEvent) => void): Promise<Unsubscribe>;
  /** OS files dragged over the window; coordinates are CSS pixels. */
  onDrop(handler: (signal: DropSignal) => void): Promise<Unsubscribe>;
}

const CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** Turns anything a command rejected with into an AppError. */
export function toAppError(raw: unknown): AppError {
  if (raw && typeof raw === 'object' && 'code' in raw) {
    const r = raw as Partial<AppError> & { retry_after?: number };
    const code = CODES.has(String(r.code)) ? (r.code as ErrorCode) : 'protocol';
    return {
      code,
      message: String(r.message ?? ''),
      retryable: Boolean(r.retryable),
      retryAfter: r.retryAfter ?? r.retry_after,
    };
  }
  return { code: 'protocol', message: raw instanceof Error ? raw.message : String(raw), retryable: false };
}

export function isAppError(e: unknown): e is AppError {
  return !!e && typeof e === 'object' && 'code' in e && 'retryable' in e;
}
