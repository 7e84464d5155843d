// The rate-limit wait announced by the backend's pacer, with a live countdown.
import type { PacerReason } from '../backend/types';
import { secondsLeft } from '../transfersModel';

class PacerState {
  until = $state<number | null>(null);
  reason = $state<PacerReason>('flood');
  now = $state(Date.now());
  private timer: ReturnType<typeof setInterval> | null = null;

  get seconds(): number {
    return secondsLeft(this.until, this.now);
  }

  /** Waits shorter than this are not worth a banner. */
  get visible(): boolean {
    return this.until != null && this.seconds > 0 && (this.reason === 'flood' || this.seconds >= 3);
  }

  wait(reason: PacerReason, seconds: number): void {
    this.now = Date.now();
    if (seconds <= 0) {
      if (reason === this.reason || reason === 'flood') this.clear();
      return;
    }
    this.reason = reason;
    this.until = this.now + seconds * 1000;
    if (!this.timer) {
      this.timer = setInterval(() => {
        this.now = Date.now();
        if (this.until != null && this.now >= this.until) this.clear();
      }, 250);
    }
  }

  clear(): void {
    this.until = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

export const pacer = new PacerState();
