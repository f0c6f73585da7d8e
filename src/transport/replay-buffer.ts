import type { EncodedEvent } from './encoded-event.js';

/**
 * The last `capacity` events of one channel of one stream, in seq order. Because seq is
 * gap-free, the event with seq s sits at a computable offset: `since()` is O(k) in the
 * number of events returned, with no search.
 */
export class ReplayBuffer {
  readonly capacity: number;
  private readonly ring: (EncodedEvent | undefined)[];
  private head = 0;
  private count = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`replay capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.ring = new Array<EncodedEvent | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Seq of the oldest event still held, or null when empty. */
  get firstSeq(): number | null {
    return this.count === 0 ? null : (this.ring[this.head]?.event.seq ?? null);
  }

  /** Seq of the newest event, or null when empty. */
  get lastSeq(): number | null {
    return this.count === 0 ? null : (this.ring[(this.head + this.count - 1) % this.capacity]?.event.seq ?? null);
  }

  /** Appends the next event; its seq must be lastSeq + 1 (the hub guarantees it). */
  push(item: EncodedEvent): void {
    const last = this.lastSeq;
    if (last !== null && item.event.seq !== last + 1) throw new Error(`replay buffer expects seq ${last + 1}, got ${item.event.seq}`);
    if (this.count === this.capacity) {
      this.ring[this.head] = item;
      this.head = (this.head + 1) % this.capacity;
    } else {
      this.ring[(this.head + this.count) % this.capacity] = item;
      this.count += 1;
    }
  }

  /** Every held event with seq > `seq`, oldest first. */
  since(seq: number): EncodedEvent[] {
    const first = this.firstSeq;
    if (first === null) return [];
    const skip = Math.max(0, Math.min(this.count, Math.floor(seq) - first + 1));
    const out: EncodedEvent[] = [];
    for (let i = skip; i < this.count; i += 1) {
      const item = this.ring[(this.head + i) % this.capacity];
      if (item) out.push(item);
    }
    return out;
  }
}
