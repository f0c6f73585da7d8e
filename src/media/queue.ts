/**
 * A bounded FIFO between one producer and one consumer. What happens when it is full
 * is the caller's explicit choice, and every drop is counted (MediaMTX's per-reader ring
 * buffer is the model: a slow reader never stalls the producer).
 *
 * - `drop-oldest`: the new item goes in, the oldest goes out (video, audio levels).
 * - `reject`: the new item is refused and `push` returns false, so the producer must act
 *   (close the consumer with a reason); used where nothing may drop silently (text, events).
 */
export type DropPolicy = 'drop-oldest' | 'reject';

export class BoundedQueue<T> {
  readonly capacity: number;
  readonly policy: DropPolicy;
  /** Items that were discarded (drop-oldest) or refused (reject) since creation. */
  dropped = 0;
  private readonly items: (T | undefined)[];
  private head = 0;
  private count = 0;
  private waiter: ((value: void) => void) | null = null;
  private closedFlag = false;

  constructor(capacity: number, policy: DropPolicy) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`queue capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.policy = policy;
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Adds an item; returns false when an item was dropped or refused because the queue was full. */
  push(item: T): boolean {
    if (this.closedFlag) return false;
    let ok = true;
    if (this.count === this.capacity) {
      this.dropped += 1;
      if (this.policy === 'reject') return false;
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.count -= 1;
      ok = false;
    }
    this.items[(this.head + this.count) % this.capacity] = item;
    this.count += 1;
    this.wake();
    return ok;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count -= 1;
    return item;
  }

  /** Resolves when an item is available or the queue is closed. */
  async wait(): Promise<void> {
    if (this.count > 0 || this.closedFlag) return;
    await new Promise<void>((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Async iteration for a consumer loop; ends when the queue is closed and drained. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      const item = this.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.closedFlag) return;
      await this.wait();
    }
  }

  close(): void {
    this.closedFlag = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      w();
    }
  }
}
