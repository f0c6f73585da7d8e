import type { Channel } from '../media/types.js';
import { ChannelPump } from './channel-pump.js';
import type { EncodedEvent } from './encoded-event.js';
import type { CloseReason, ViewerSink } from './viewer-sink.js';

export interface ViewerOptions {
  readonly id: number;
  readonly streamId: string;
  readonly channels: readonly Channel[];
  /** Channels delivered as datagrams instead of stream writes (WebTransport only). */
  readonly datagramChannels: ReadonlySet<Channel>;
  readonly queueCapacity: (channel: Channel) => number;
  /** Called once when the viewer is gone, whatever the reason. */
  readonly onClosed: (viewer: Viewer, reason: CloseReason) => void;
}

/**
 * One connected viewer: a pump per channel in front of its sink. Knows nothing of the hub
 * (output leaves through `onClosed`), so it can be tested with an in-memory sink.
 */
export class Viewer {
  readonly id: number;
  readonly streamId: string;
  private readonly pumps = new Map<Channel, ChannelPump>();
  private readonly datagramChannels: ReadonlySet<Channel>;
  private readonly sink: ViewerSink;
  private readonly onClosed: ViewerOptions['onClosed'];
  private finishing: CloseReason | null = null;
  private closedReason: CloseReason | null = null;
  /** Lossy-channel events that could not go as datagrams (too big, or no room). */
  datagramsDropped = 0;

  constructor(sink: ViewerSink, options: ViewerOptions) {
    this.id = options.id;
    this.streamId = options.streamId;
    this.sink = sink;
    this.onClosed = options.onClosed;
    this.datagramChannels = sink.datagram ? options.datagramChannels : new Set();
    for (const channel of options.channels) {
      this.pumps.set(channel, new ChannelPump(channel, options.queueCapacity(channel), sink, {
        onOverflow: (c) => this.close({ kind: 'lagging', code: 'OVERLOADED', message: `viewer fell behind on channel ${c}; reconnect with since=${c}:${this.pumps.get(c)?.lastSentSeq ?? 0}` }),
        onError: (c, err) => this.close({ kind: 'transport-error', code: 'INTERNAL', message: `write on channel ${c} failed: ${err instanceof Error ? err.message : String(err)}` }),
        onIdle: () => this.maybeFinish(),
      }));
    }
  }

  get closed(): boolean {
    return this.closedReason !== null;
  }

  get reason(): CloseReason | null {
    return this.closedReason;
  }

  wants(channel: Channel): boolean {
    return this.pumps.has(channel);
  }

  /** Events skipped on lossy channels (video, audio) so far. */
  skipped(channel: Channel): number {
    return this.pumps.get(channel)?.lossy === true ? (this.pumps.get(channel)?.skipped ?? 0) : 0;
  }

  /** Hands events from the replay buffer to a channel before any live one. */
  replay(channel: Channel, events: EncodedEvent[]): void {
    if (events.length > 0) this.pumps.get(channel)?.replay(events);
  }

  /** Delivers one live event. Synchronous and O(1); never waits on the transport. */
  deliver(event: EncodedEvent): void {
    if (this.closedReason !== null || this.finishing !== null) return;
    const channel = event.event.channel;
    if (this.datagramChannels.has(channel)) {
      if (this.sink.datagram?.(channel, event) !== true) this.datagramsDropped += 1;
      return;
    }
    this.pumps.get(channel)?.offer(event);
  }

  /** Flushes what is queued, then closes (the stream ended: nothing more will come). */
  finish(reason: CloseReason): void {
    if (this.closedReason !== null || this.finishing !== null) return;
    this.finishing = reason;
    this.maybeFinish();
  }

  /** Closes at once; queued events are abandoned (the client resumes with since). */
  close(reason: CloseReason): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    for (const pump of this.pumps.values()) pump.stop();
    try {
      this.sink.close(reason);
    } finally {
      this.onClosed(this, reason);
    }
  }

  private maybeFinish(): void {
    if (this.finishing === null || this.closedReason !== null) return;
    for (const pump of this.pumps.values()) if (!pump.idle) return;
    this.close(this.finishing);
  }
}
