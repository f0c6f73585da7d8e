import { BoundedQueue } from '../media/queue.js';
import type { Channel } from '../media/types.js';
import type { EncodedEvent } from './encoded-event.js';
import type { ViewerSink } from './viewer-sink.js';

/** Most events handed to a sink's writeBatch at once (bounds one write's size). */
const MAX_BATCH = 256;

/** Channels where a slow viewer skips to the newest; all others never drop. */
export const LOSSY_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['video', 'audio']);

export interface ChannelPumpHooks {
  /** A reliable channel's queue is full: the viewer must be closed (nothing may drop). */
  onOverflow(channel: Channel): void;
  /** The sink failed a write. */
  onError(channel: Channel, err: unknown): void;
  /** The pump ran dry (used to finish a viewer once everything is flushed). */
  onIdle(): void;
}

/**
 * Moves one channel's events for one viewer from the hub to the sink, one write at a time.
 * The hub only ever calls `offer()`, which is synchronous and O(1): a slow sink fills this
 * pump's own queue and never the publisher's time.
 *
 * Replayed events (resume) go in a separate backlog that is drained first; it is bounded by
 * the replay buffer it was copied from, so it cannot be refused by the live queue's limit.
 */
export class ChannelPump {
  readonly channel: Channel;
  readonly lossy: boolean;
  /** Seq of the last event handed to the sink (0 before any). */
  lastSentSeq = 0;
  private backlog: EncodedEvent[] = [];
  private backlogAt = 0;
  private readonly queue: BoundedQueue<EncodedEvent>;
  private running = false;
  private stopped = false;

  constructor(channel: Channel, capacity: number, private readonly sink: ViewerSink, private readonly hooks: ChannelPumpHooks) {
    this.channel = channel;
    this.lossy = LOSSY_CHANNELS.has(channel);
    this.queue = new BoundedQueue<EncodedEvent>(capacity, this.lossy ? 'drop-oldest' : 'reject');
  }

  /** Events skipped (lossy channels) or refused (reliable ones) so far. */
  get skipped(): number {
    return this.queue.dropped;
  }

  get idle(): boolean {
    return !this.running && this.queue.size === 0 && this.backlogAt >= this.backlog.length;
  }

  replay(events: EncodedEvent[]): void {
    this.backlog = events;
    this.backlogAt = 0;
    this.kick();
  }

  /** Queues a live event. Returns false when it was skipped or refused. */
  offer(event: EncodedEvent): boolean {
    if (this.stopped) return false;
    const ok = this.queue.push(event);
    if (!ok && !this.lossy) {
      this.hooks.onOverflow(this.channel);
      return false;
    }
    this.kick();
    return ok;
  }

  stop(): void {
    this.stopped = true;
    this.queue.close();
    this.backlog = [];
    this.backlogAt = 0;
  }

  private next(): EncodedEvent | undefined {
    if (this.backlogAt < this.backlog.length) {
      const item = this.backlog[this.backlogAt];
      this.backlogAt += 1;
      if (this.backlogAt === this.backlog.length) {
        this.backlog = [];
        this.backlogAt = 0;
      }
      return item;
    }
    return this.queue.shift();
  }

  private hasMore(): boolean {
    return this.backlogAt < this.backlog.length || this.queue.size > 0;
  }

  private kick(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    void this.drain();
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) return;
        const item = this.next();
        if (item === undefined) return;
        let pending: void | Promise<void>;
        if (this.sink.writeBatch && this.hasMore()) {
          const batch = [item];
          for (let more = this.next(); more !== undefined; more = batch.length < MAX_BATCH ? this.next() : undefined) batch.push(more);
          this.lastSentSeq = batch[batch.length - 1]?.event.seq ?? item.event.seq;
          pending = this.sink.writeBatch(this.channel, batch);
        } else {
          this.lastSentSeq = item.event.seq;
          pending = this.sink.write(this.channel, item);
        }
        if (pending !== undefined) await pending;
      }
    } catch (err) {
      this.hooks.onError(this.channel, err);
    } finally {
      this.running = false;
      if (!this.stopped) this.hooks.onIdle();
    }
  }
}
