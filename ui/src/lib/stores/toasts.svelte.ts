// Non-blocking notices in the corner. Errors stay longer than confirmations.
import type { AppError } from '../backend/types';
import { errorText, t } from '../i18n/index.svelte';

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
  detail?: string;
  /** A button in the toast that goes where the problem can be solved. */
  action?: ToastAction;
}

export interface ToastAction {
  label: string;
  run: () => void;
}

let next = 1;

class Toasts {
  items = $state<Toast[]>([]);

  push(kind: Toast['kind'], text: string, detail?: string, ms = kind === 'error' ? 8000 : 4000, action?: ToastAction): number {
    const id = next++;
    this.items = [...this.items.slice(-4), { id, kind, text, detail, action }];
    setTimeout(() => this.dismiss(id), ms);
    return id;
  }

  success(text: string) { return this.push('success', text); }
  info(text: string) { return this.push('info', text); }

  /**
   * Shows an error by its code (`text`: a text already chosen by its code for the place);
   * flood waits are the banner's job, not a toast's.
   */
  error(e: AppError, text = errorText(e)) {
    if (e.code === 'flood') return -1;
    return this.push('error', text, e.retryable ? t('error.retrying') : undefined);
  }

  dismiss(id: number) {
    this.items = this.items.filter((x) => x.id !== id);
  }
}

export const toasts = new Toasts();
