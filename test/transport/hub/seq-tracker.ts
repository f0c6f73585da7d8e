import type { Channel, WireEvent } from '../../../src/media/types.js';

/**
 * What a test viewer keeps of the events it receives: per channel the last seq and a count,
 * every seq jump ("channel:expected->got"), and `until()` waits on a predicate over them.
 * Shared by the WebTransport test viewers (full client and lean quiche-driven one).
 */
export class SeqTracker {
  readonly last: Partial<Record<Channel, number>> = {};
  readonly counts: Partial<Record<Channel, number>> = {};
  readonly gaps: string[] = [];
  private waiters: { pred: () => boolean; resolve: () => void }[] = [];

  /** Records one received event (checks its seq against the channel's last one). */
  protected record(e: WireEvent): void {
    const prev = this.last[e.channel];
    if (prev !== undefined && e.seq !== prev + 1) this.gaps.push(`${e.channel}:${prev + 1}->${e.seq}`);
    this.last[e.channel] = e.seq;
    this.counts[e.channel] = (this.counts[e.channel] ?? 0) + 1;
  }

  /** Resolves once `pred` holds; checked whenever `recheck()` runs. */
  until(pred: () => boolean): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }

  /** Re-checks `until()` predicates (viewers call it after each batch of events). */
  recheck(): void {
    if (this.waiters.length === 0) return;
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred()) return true;
      w.resolve();
      return false;
    });
  }
}
