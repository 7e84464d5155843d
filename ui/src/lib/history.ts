// Back/forward navigation between folders, like a browser: visiting a new folder drops
// the forward stack.
export class NavHistory<T> {
  private back: T[] = [];
  private forward: T[] = [];
  constructor(public current: T) {}

  visit(next: T): void {
    if (next === this.current) return;
    this.back.push(this.current);
    this.forward = [];
    this.current = next;
  }

  goBack(): T | null {
    const prev = this.back.pop();
    if (prev === undefined) return null;
    this.forward.push(this.current);
    this.current = prev;
    return prev;
  }

  goForward(): T | null {
    const next = this.forward.pop();
    if (next === undefined) return null;
    this.back.push(this.current);
    this.current = next;
    return next;
  }

  get canBack(): boolean { return this.back.length > 0; }
  get canForward(): boolean { return this.forward.length > 0; }

  /** Forgets a place that no longer exists (a deleted folder). */
  forget(item: T): void {
    this.back = this.back.filter((x) => x !== item);
    this.forward = this.forward.filter((x) => x !== item);
  }
}
