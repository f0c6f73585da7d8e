import type { Channel, WireEvent } from '../../../src/media/types.js';
import type { EncodedEvent } from '../../../src/transport/encoded-event.js';
import type { CloseReason, ViewerSink } from '../../../src/transport/viewer-sink.js';

/**
 * An in-memory viewer transport. `pause()` makes every write return a promise that only
 * settles on `resume()`, i.e. a reader that stopped reading: the hub's backpressure policy
 * is then visible in what arrives (gaps, order), never in timing.
 */
export class MemorySink implements ViewerSink {
  readonly received: WireEvent[] = [];
  closeReason: CloseReason | null = null;
  private paused = false;
  private waiting: (() => void)[] = [];
  private closeWaiters: ((r: CloseReason) => void)[] = [];

  write(_channel: Channel, event: EncodedEvent): void | Promise<void> {
    // Parse the JSON text as a real client would, so encoding is covered too.
    this.received.push(JSON.parse(event.json) as WireEvent);
    if (!this.paused) return undefined;
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  close(reason: CloseReason): void {
    this.closeReason = reason;
    for (const w of this.closeWaiters.splice(0)) w(reason);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    for (const w of this.waiting.splice(0)) w();
  }

  closed(): Promise<CloseReason> {
    if (this.closeReason) return Promise.resolve(this.closeReason);
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  on(channel: Channel): WireEvent[] {
    return this.received.filter((e) => e.channel === channel);
  }

  seqs(channel: Channel): number[] {
    return this.on(channel).map((e) => e.seq);
  }
}

/** Resolves once every pending pump has had a chance to run (microtasks + one macrotask). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
