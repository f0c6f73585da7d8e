import { MidstreamError } from '../media/errors.js';
import { CHANNELS, isChannel, type AnalysisEvent, type Channel, type StreamId, type WireEvent } from '../media/types.js';
import { encodeEvent, type EncodedEvent } from './encoded-event.js';
import { LOSSY_CHANNELS } from './channel-pump.js';
import { ReplayBuffer } from './replay-buffer.js';
import type { SinceMap } from './since.js';
import { Viewer } from './viewer.js';
import type { CloseReason, ViewerSink } from './viewer-sink.js';

export interface AnalysisHubOptions {
  /** Events kept per stream and channel for resume and export (default 1024; video/audio 256). */
  replayCapacity?: Partial<Record<Channel, number>>;
  /** Per-viewer queue on video/audio before it skips to the newest (default 4). */
  lossyQueueCapacity?: number;
  /** Per-viewer queue on reliable channels before the viewer is closed as lagging (default 512). */
  reliableQueueCapacity?: number;
  /** Ended streams whose buffers stay exportable/resumable (default 16). */
  keepEndedStreams?: number;
  /** Wall clock for `ts` (tests inject one). */
  now?: () => number;
}

export interface AttachOptions {
  /** Last seq the viewer has, per channel: it gets everything after, then live. */
  since?: SinceMap;
  channels?: readonly Channel[];
  /** Channels to send as datagrams instead of on their stream (when the sink can). */
  datagramChannels?: readonly Channel[];
}

/** Figures for /metrics. Counters are cumulative since the hub was created. */
export interface HubStats {
  streams: number;
  viewers: number;
  viewersTotal: number;
  published: Record<Channel, number>;
  /** Events skipped by slow viewers on lossy channels. */
  skipped: { video: number; audio: number };
  /** Viewers closed because a reliable channel's queue filled up. */
  closedForLag: number;
}

const DEFAULT_REPLAY: Record<Channel, number> = { video: 256, audio: 256, transcript: 1024, text: 1024, temporal: 1024, alerts: 1024 };

interface StreamState {
  readonly id: StreamId;
  readonly seq: Record<Channel, number>;
  readonly replay: Record<Channel, ReplayBuffer>;
  readonly viewers: Set<Viewer>;
  ended: boolean;
}

/**
 * The channel hub: numbers analysis events per stream and channel, keeps them in bounded
 * replay buffers, and fans them out to each stream's viewers. `publish()` is synchronous
 * and never waits on a viewer: each viewer has its own bounded queue per channel (see
 * ChannelPump for the skip/close policy).
 */
export class AnalysisHub {
  private readonly streams = new Map<StreamId, StreamState>();
  private readonly replayCapacity: Record<Channel, number>;
  private readonly lossyQueueCapacity: number;
  private readonly reliableQueueCapacity: number;
  private readonly keepEnded: number;
  private readonly now: () => number;
  private nextViewerId = 1;
  private closedFlag = false;
  private readonly counters = {
    viewersTotal: 0,
    closedForLag: 0,
    skipped: { video: 0, audio: 0 },
    published: { video: 0, audio: 0, transcript: 0, text: 0, temporal: 0, alerts: 0 } as Record<Channel, number>,
  };

  constructor(options: AnalysisHubOptions = {}) {
    this.replayCapacity = { ...DEFAULT_REPLAY, ...options.replayCapacity };
    this.lossyQueueCapacity = options.lossyQueueCapacity ?? 4;
    this.reliableQueueCapacity = options.reliableQueueCapacity ?? 512;
    this.keepEnded = options.keepEndedStreams ?? 16;
    this.now = options.now ?? Date.now;
  }

  /**
   * Numbers an event, buffers it and hands it to every viewer of the stream. Publishing to
   * an ended stream id starts it afresh (a publisher reconnected): seq restarts at 1.
   */
  publish(streamId: StreamId, event: AnalysisEvent): WireEvent {
    const channel = event.channel;
    if (!isChannel(channel)) throw new MidstreamError('INVALID_INPUT', `unknown analysis channel "${String(channel)}"`);
    const state = this.live(streamId);
    const seq = state.seq[channel] + 1;
    // `data: undefined` would vanish from the JSON and break the envelope; it travels as null.
    const wire: WireEvent = { channel, seq, pts: event.pts, ts: event.ts ?? this.now(), type: event.type, data: event.data ?? null };
    // Encode before taking the seq: data that cannot be serialised throws here and leaves no gap.
    const encoded = encodeEvent(wire);
    state.seq[channel] = seq;
    state.replay[channel].push(encoded);
    this.counters.published[channel] += 1;
    for (const viewer of state.viewers) if (viewer.wants(channel)) viewer.deliver(encoded);
    return wire;
  }

  /**
   * Adds a viewer. Its replay (everything after `since`, per channel) and its registration
   * for live events happen in the same synchronous step, so nothing published in between
   * can be missed or repeated.
   */
  attach(streamId: StreamId, sink: ViewerSink, options: AttachOptions = {}): Viewer {
    if (this.closedFlag) {
      const reason: CloseReason = { kind: 'shutdown', code: 'OVERLOADED', message: 'the gateway is shutting down' };
      sink.close(reason);
      throw new Error(reason.message);
    }
    const state = this.streams.get(streamId) ?? this.create(streamId);
    const channels = options.channels ?? CHANNELS;
    const viewer = new Viewer(sink, {
      id: this.nextViewerId++,
      streamId,
      channels,
      datagramChannels: new Set(options.datagramChannels ?? []),
      queueCapacity: (c) => (LOSSY_CHANNELS.has(c) ? this.lossyQueueCapacity : this.reliableQueueCapacity),
      onClosed: (v, reason) => this.detach(state, v, reason),
    });
    const since = options.since ?? {};
    for (const channel of channels) {
      const after = since[channel];
      if (after === undefined) continue;
      // A since beyond the newest seq can only come from an earlier run of this stream id
      // (seq restarted): replay all that is buffered rather than wait for a seq never sent.
      const from = after > state.seq[channel] ? 0 : after;
      viewer.replay(channel, state.replay[channel].since(from));
    }
    this.counters.viewersTotal += 1;
    if (state.ended) viewer.finish({ kind: 'stream-ended', code: null, message: 'the stream has ended' });
    else state.viewers.add(viewer);
    return viewer;
  }

  /** Ends a stream: its viewers get what is queued, then a `stream-ended` close. Buffers stay for export. */
  endStream(streamId: StreamId, message = 'the stream has ended'): void {
    const state = this.streams.get(streamId);
    if (!state || state.ended) return;
    state.ended = true;
    for (const viewer of [...state.viewers]) viewer.finish({ kind: 'stream-ended', code: null, message });
    this.evictEnded();
  }

  has(streamId: StreamId): boolean {
    return this.streams.has(streamId);
  }

  /** Buffered events of one channel after `since` (the NDJSON export); null for an unknown stream. */
  buffered(streamId: StreamId, channel: Channel, since = 0): EncodedEvent[] | null {
    const state = this.streams.get(streamId);
    return state ? state.replay[channel].since(since) : null;
  }

  /** Viewers currently attached to one stream. */
  viewerCount(streamId: StreamId): number {
    return this.streams.get(streamId)?.viewers.size ?? 0;
  }

  stats(): HubStats {
    let viewers = 0;
    const skipped = { ...this.counters.skipped };
    for (const s of this.streams.values()) {
      viewers += s.viewers.size;
      for (const v of s.viewers) {
        skipped.video += v.skipped('video');
        skipped.audio += v.skipped('audio');
      }
    }
    return {
      streams: this.streams.size,
      viewers,
      viewersTotal: this.counters.viewersTotal,
      published: { ...this.counters.published },
      skipped,
      closedForLag: this.counters.closedForLag,
    };
  }

  /** Closes every viewer (gateway shutdown). Idempotent. */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const state of this.streams.values()) {
      for (const viewer of [...state.viewers]) viewer.close({ kind: 'shutdown', code: null, message: 'the gateway is shutting down' });
    }
  }

  private live(streamId: StreamId): StreamState {
    const state = this.streams.get(streamId);
    if (state && !state.ended) return state;
    if (state) this.streams.delete(streamId);
    return this.create(streamId);
  }

  private create(streamId: StreamId): StreamState {
    const seq = {} as Record<Channel, number>;
    const replay = {} as Record<Channel, ReplayBuffer>;
    for (const c of CHANNELS) {
      seq[c] = 0;
      replay[c] = new ReplayBuffer(this.replayCapacity[c]);
    }
    const state: StreamState = { id: streamId, seq, replay, viewers: new Set(), ended: false };
    this.streams.set(streamId, state);
    return state;
  }

  private detach(state: StreamState, viewer: Viewer, reason: CloseReason): void {
    state.viewers.delete(viewer);
    if (reason.kind === 'lagging') this.counters.closedForLag += 1;
    this.counters.skipped.video += viewer.skipped('video');
    this.counters.skipped.audio += viewer.skipped('audio');
  }

  private evictEnded(): void {
    const ended = [...this.streams.values()].filter((s) => s.ended && s.viewers.size === 0);
    for (const s of ended.slice(0, Math.max(0, ended.length - this.keepEnded))) this.streams.delete(s.id);
  }
}
