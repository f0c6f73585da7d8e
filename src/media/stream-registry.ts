import { EventEmitter } from 'node:events';
import type { StreamId } from './types.js';

export type StreamState = 'starting' | 'live' | 'ended';

export interface StreamVideoInfo { codec: string; width: number; height: number; fps: number | null }
export interface StreamAudioInfo { codec: string; sampleRate: number; channels: number }

export interface StreamStats {
  videoFrames: number;
  audioFrames: number;
  videoDropped: number;
  decoderRestarts: number;
}

/** The public shape of a stream (GET /api/streams/:id). */
export interface StreamView {
  id: StreamId;
  protocol: string;
  state: StreamState;
  startedAt: string;
  endedAt: string | null;
  video: StreamVideoInfo | null;
  audio: StreamAudioInfo | null;
  stats: StreamStats;
}

/** What the registry needs from whoever runs a stream (kept narrow on purpose). */
export interface StreamProbe {
  video(): StreamVideoInfo | null;
  audio(): StreamAudioInfo | null;
  stats(): StreamStats;
}

interface Entry {
  id: StreamId;
  protocol: string;
  state: StreamState;
  startedAt: Date;
  endedAt: Date | null;
  probe: StreamProbe;
  /** Frozen at end so an ended stream keeps reporting what it did. */
  final: Pick<StreamView, 'video' | 'audio' | 'stats'> | null;
  endReason: string | null;
}

export interface StreamStateChange {
  id: StreamId;
  state: StreamState;
  previous: StreamState | null;
  reason?: string;
}

interface RegistryEvents {
  state: [StreamStateChange];
}

/** Ended streams kept for the API, newest first, before the oldest are forgotten. */
const KEEP_ENDED = 64;

/**
 * All streams the gateway knows, with their lifecycle: `starting` (publisher accepted,
 * nothing decoded yet) → `live` (frames flowing) → `ended`. Components subscribe to
 * `state` events instead of holding references to each other.
 */
export class StreamRegistry extends EventEmitter<RegistryEvents> {
  private readonly entries = new Map<StreamId, Entry>();

  /** Registers a new publish; replaces an ended stream of the same id. */
  add(id: StreamId, protocol: string, probe: StreamProbe): void {
    const existing = this.entries.get(id);
    if (existing && existing.state !== 'ended') throw new Error(`stream ${id} is already ${existing.state}`);
    this.entries.delete(id);
    this.entries.set(id, { id, protocol, state: 'starting', startedAt: new Date(), endedAt: null, probe, final: null, endReason: null });
    this.emit('state', { id, state: 'starting', previous: existing ? existing.state : null });
  }

  markLive(id: StreamId): void {
    const e = this.entries.get(id);
    if (!e || e.state !== 'starting') return;
    e.state = 'live';
    this.emit('state', { id, state: 'live', previous: 'starting' });
  }

  markEnded(id: StreamId, reason: string): void {
    const e = this.entries.get(id);
    if (!e || e.state === 'ended') return;
    const previous = e.state;
    e.final = { video: e.probe.video(), audio: e.probe.audio(), stats: e.probe.stats() };
    e.state = 'ended';
    e.endedAt = new Date();
    e.endReason = reason;
    this.emit('state', { id, state: 'ended', previous, reason });
    this.evictEnded();
  }

  has(id: StreamId): boolean {
    return this.entries.has(id);
  }

  state(id: StreamId): StreamState | null {
    return this.entries.get(id)?.state ?? null;
  }

  isActive(id: StreamId): boolean {
    const s = this.state(id);
    return s === 'starting' || s === 'live';
  }

  get(id: StreamId): StreamView | null {
    const e = this.entries.get(id);
    return e ? this.view(e) : null;
  }

  list(): StreamView[] {
    return [...this.entries.values()].map((e) => this.view(e));
  }

  /** Ids of streams currently starting or live. */
  activeIds(): StreamId[] {
    return [...this.entries.values()].filter((e) => e.state !== 'ended').map((e) => e.id);
  }

  private view(e: Entry): StreamView {
    const live = e.final ?? { video: e.probe.video(), audio: e.probe.audio(), stats: e.probe.stats() };
    return {
      id: e.id,
      protocol: e.protocol,
      state: e.state,
      startedAt: e.startedAt.toISOString(),
      endedAt: e.endedAt ? e.endedAt.toISOString() : null,
      video: live.video,
      audio: live.audio,
      stats: live.stats,
    };
  }

  private evictEnded(): void {
    const ended = [...this.entries.values()].filter((e) => e.state === 'ended');
    for (const e of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED))) this.entries.delete(e.id);
  }
}
