import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import type { RealtimeClientEvent, RealtimeServerEvent, SessionUpdateEvent } from 'openai/resources/realtime/realtime';
import { RestartBackoff } from '../media/backoff.js';
import type { Logger } from '../media/logger.js';
import type { BoundedQueue } from '../media/queue.js';
import type { AnalysisEvent, AudioFrame, StreamId, TextSource, TextToken } from '../media/types.js';
import { Resampler } from './resample.js';
import type { RealtimeConfig } from './config.js';

export { realtimeFromEnv, REALTIME_DEFAULTS, type RealtimeConfig } from './config.js';

/** The Realtime API takes 24 kHz mono PCM16 (`audio/pcm`). */
export const REALTIME_RATE = 24_000;

/**
 * Audio the server VAD keeps before detected speech, ms. `audio_start_ms` includes it (it is
 * where the audio given to the model starts), so the bridge adds it back for the speech pts.
 */
export const PREFIX_PADDING_MS = 300;
/** A socket that has not opened by then is given up and retried. */
const HANDSHAKE_TIMEOUT_MS = 10_000;
/** A ping this often; no pong by the next one and the socket is taken for dead. */
const PING_INTERVAL_MS = 15_000;
/** Bytes waiting in the socket's send buffer beyond which the connection counts as stuck. */
const MAX_BUFFERED_BYTES = 2 * 1024 * 1024;
/** How long a stream's end waits for its last transcripts by default (inside the 5 s end budget). */
export const REALTIME_DRAIN_MS = 1_000;
/** Items whose transcript has not come this long after their speech began are not waited for. */
const ITEM_STALE_MS = 30_000;

/** Where the bridge's results go: events to viewers, text to the text analyzers. */
export interface RealtimeOutput {
  publish(event: AnalysisEvent): void;
  text(token: TextToken, final: boolean): void;
}

export interface RealtimeBridgeOptions {
  streamId: StreamId;
  /** The stream's decoded audio (a FrameBus subscription's queue). */
  audio: BoundedQueue<AudioFrame>;
  config: RealtimeConfig;
  output: RealtimeOutput;
  logger: Logger;
  /** Audio per `input_audio_buffer.append`, ms. */
  appendMs?: number;
  /** Audio kept while disconnected, ms; older audio is dropped (and counted). */
  backlogMs?: number;
  backoff?: RestartBackoff;
  /** A socket that has not opened by then is given up (default 10 s). */
  handshakeTimeoutMs?: number;
  /** Ping interval; no pong by the next ping and the socket is dropped (default 15 s). */
  pingIntervalMs?: number;
}

export interface RealtimeStats {
  connects: number;
  /** Audio sent, ms. */
  sentMs: number;
  /** Audio dropped while the socket was down and the backlog full, ms. */
  droppedMs: number;
  serverErrors: number;
}

/** One `append`'s worth of audio and the media time of its first sample. */
interface Chunk {
  pts: number;
  samples: Int16Array;
}

/** Where session audio time (ms since the session's first append) meets media time. */
interface Anchor {
  sessionMs: number;
  pts: number;
}

/**
 * One stream's connection to the OpenAI Realtime API (GA protocol, through the openai
 * package's WebSocket client): its audio, resampled to 24 kHz PCM16, goes up in
 * `input_audio_buffer.append` events; input transcripts (and, with `respond`, the model's
 * text answers) come back as `transcript` events for viewers and as text for the analyzers,
 * with the media time the speech began.
 *
 * A socket that drops or fails to open is retried with backoff; meanwhile up to `backlogMs`
 * of audio waits and older audio is dropped and counted. None of it touches other streams.
 */
export class RealtimeBridge {
  readonly stats: RealtimeStats = { connects: 0, sentMs: 0, droppedMs: 0, serverErrors: 0 };
  private readonly opts: RealtimeBridgeOptions;
  private resampler: Resampler | null = null;
  private socket: OpenAIRealtimeWS | null = null;
  private open = false;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private connectedAt = 0;
  private readonly backoff: RestartBackoff;
  /** Resampled audio not yet in a chunk. */
  private pending: Int16Array[] = [];
  private pendingSamples = 0;
  private pendingPts = 0;
  private backlog: Chunk[] = [];
  /** Session audio sent on the current connection, in samples. */
  private sessionSamples = 0;
  private anchors: Anchor[] = [];
  private readonly itemPts = new Map<string, number>();
  /** Items whose text came as deltas (so `done` only ends them). */
  private readonly streamed = new Set<string>();
  private lastPts = 0;
  /** Items the server has heard speech for and not yet transcribed, with when (wall ms). */
  private readonly openItems = new Map<string, number>();
  private pingTimer: NodeJS.Timeout | null = null;
  private awaitingPong = false;
  /** Speech started and not stopped: the server VAD is inside a turn. */
  private speaking = false;
  private readonly drained = new Set<() => void>();

  constructor(opts: RealtimeBridgeOptions) {
    this.opts = opts;
    this.backoff = opts.backoff ?? new RestartBackoff(500, 15_000, 30_000);
  }

  get connected(): boolean {
    return this.open;
  }

  start(): void {
    this.connect();
    void this.pump();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.stopPings();
    this.socket?.close({ code: 1000, reason: 'stream ended' });
    this.socket = null;
    this.open = false;
    for (const d of [...this.drained]) d();
  }

  // --- audio ---

  private async pump(): Promise<void> {
    for await (const frame of this.opts.audio) {
      if (this.closed) return;
      try {
        this.onAudio(frame);
      } catch (err) {
        // One bad block (e.g. a sample rate the resampler refuses) costs that block only.
        this.opts.logger.warn({ streamId: this.opts.streamId, pts: frame.pts, err: errorMessage(err) }, 'Realtime bridge skipped an audio block');
      }
    }
  }

  private onAudio(frame: AudioFrame): void {
    const mono = frame.channels === 1 ? frame.samples : downmix(frame.samples, frame.channels);
    if (this.resampler?.inRate !== frame.sampleRate) this.resampler = new Resampler(frame.sampleRate, REALTIME_RATE);
    const out = this.resampler.push(mono);
    if (out.length === 0) return;
    if (this.pendingSamples === 0) this.pendingPts = frame.pts - this.resampler.delayMs;
    this.pending.push(out);
    this.pendingSamples += out.length;
    const chunkSamples = Math.round(((this.opts.appendMs ?? 100) * REALTIME_RATE) / 1000);
    if (this.pendingSamples >= chunkSamples) {
      const samples = concat(this.pending, this.pendingSamples);
      this.pending = [];
      this.pendingSamples = 0;
      this.enqueue({ pts: this.pendingPts, samples });
    }
  }

  private enqueue(chunk: Chunk): void {
    if (this.open && this.backlog.length === 0) {
      this.send(chunk);
      return;
    }
    this.backlog.push(chunk);
    const max = this.opts.backlogMs ?? 10_000;
    let heldMs = this.backlog.reduce((n, c) => n + samplesToMs(c.samples.length), 0);
    while (heldMs > max && this.backlog.length > 0) {
      const dropped = this.backlog.shift();
      const ms = samplesToMs(dropped?.samples.length ?? 0);
      heldMs -= ms;
      this.stats.droppedMs += ms;
    }
    if (this.open) this.flushBacklog();
  }

  private flushBacklog(): void {
    while (this.open && this.backlog.length > 0) {
      const chunk = this.backlog.shift();
      if (chunk) this.send(chunk);
    }
  }

  private send(chunk: Chunk): void {
    const sessionMs = samplesToMs(this.sessionSamples);
    const last = this.anchors.at(-1);
    // A new anchor where media time jumps (dropped audio, a restart); otherwise time runs on.
    if (!last || Math.abs(last.pts + (sessionMs - last.sessionMs) - chunk.pts) > 40) this.anchors.push({ sessionMs, pts: chunk.pts });
    if (this.anchors.length > 1000) this.anchors.splice(0, this.anchors.length - 1000);
    const ws = this.socket?.socket;
    if (ws && ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      // The peer has stopped reading (a half-open connection): start over on a new one.
      ws.terminate();
      this.backlog.unshift(chunk);
      return;
    }
    const bytes = Buffer.from(chunk.samples.buffer, chunk.samples.byteOffset, chunk.samples.byteLength);
    this.emit({ type: 'input_audio_buffer.append', audio: bytes.toString('base64') });
    this.sessionSamples += chunk.samples.length;
    this.stats.sentMs += samplesToMs(chunk.samples.length);
  }

  /** Media time of a point on the current session's audio timeline. */
  private ptsAt(sessionMs: number): number {
    let anchor = this.anchors[0];
    for (const a of this.anchors) {
      if (a.sessionMs > sessionMs) break;
      anchor = a;
    }
    return anchor ? Math.round(anchor.pts + (sessionMs - anchor.sessionMs)) : this.lastPts;
  }

  // --- connection ---

  private connect(): void {
    if (this.closed) return;
    const { config, logger } = this.opts;
    const client = new OpenAI({ apiKey: config.apiKey, ...(config.baseURL ? { baseURL: config.baseURL } : {}) });
    let socket: OpenAIRealtimeWS;
    try {
      socket = new OpenAIRealtimeWS({ model: config.model, options: { handshakeTimeout: this.opts.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS, ...(config.ca ? { ca: config.ca } : {}) } }, client);
    } catch (err) {
      this.scheduleReconnect(`could not open the Realtime socket: ${errorMessage(err)}`);
      return;
    }
    this.socket = socket;
    this.connectedAt = Date.now();
    socket.socket.on('open', () => {
      if (this.socket !== socket) return;
      this.open = true;
      this.stats.connects += 1;
      this.sessionSamples = 0;
      this.anchors = [];
      this.emit(this.sessionUpdate());
      this.startPings(socket);
      logger.info({ streamId: this.opts.streamId, model: config.model }, 'Realtime session open');
      this.status('connected');
      this.flushBacklog();
    });
    socket.on('event', (event: RealtimeServerEvent) => {
      if (this.socket === socket) this.onEvent(event);
    });
    // Transport errors and `error` events both arrive here; the socket's close decides what next.
    socket.on('error', (err) => {
      if (this.socket !== socket) return;
      if (err.error) return; // a server `error` event: handled in onEvent
      logger.warn({ streamId: this.opts.streamId, err: err.message }, 'Realtime socket error');
    });
    socket.socket.on('pong', () => {
      this.awaitingPong = false;
    });
    socket.socket.on('close', (code: number, reason: Buffer) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.open = false;
      this.stopPings();
      this.scheduleReconnect(`Realtime socket closed (${code}${reason.length > 0 ? `: ${reason.toString()}` : ''})`);
    });
  }

  private startPings(socket: OpenAIRealtimeWS): void {
    this.stopPings();
    this.awaitingPong = false;
    this.pingTimer = setInterval(() => {
      if (this.awaitingPong) {
        socket.socket.terminate(); // no pong for a whole interval: the connection is dead
        return;
      }
      this.awaitingPong = true;
      socket.socket.ping();
    }, this.opts.pingIntervalMs ?? PING_INTERVAL_MS);
    this.pingTimer.unref();
  }

  private stopPings(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  private scheduleReconnect(reason: string): void {
    if (this.closed) return;
    const delay = this.backoff.next(Date.now() - this.connectedAt);
    this.opts.logger.warn({ streamId: this.opts.streamId, reason, retryInMs: delay }, 'Realtime connection lost; reconnecting');
    this.status('reconnecting', reason);
    // Items cut off mid-way will not complete on the new session: end them for the analyzers.
    for (const itemId of this.streamed) this.opts.output.text({ streamId: this.opts.streamId, source: 'transcript', itemId, text: '', pts: this.itemPts.get(itemId) ?? this.lastPts }, true);
    this.streamed.clear();
    // Viewers saw these start; they end here, with the connection.
    if (this.speaking) for (const itemId of this.openItems.keys()) this.opts.output.publish({ channel: 'transcript', type: 'speech', pts: this.lastPts, data: { itemId, state: 'end' } });
    this.itemPts.clear();
    this.openItems.clear();
    this.speaking = false;
    for (const d of [...this.drained]) d();
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private sessionUpdate(): SessionUpdateEvent {
    const { config } = this.opts;
    return {
      type: 'session.update',
      session: {
        type: 'realtime',
        output_modalities: ['text'],
        ...(config.instructions ? { instructions: config.instructions } : {}),
        audio: {
          input: {
            format: { type: 'audio/pcm', rate: REALTIME_RATE },
            transcription: { model: config.transcriptionModel },
            turn_detection: { type: 'server_vad', prefix_padding_ms: PREFIX_PADDING_MS, create_response: config.respond, interrupt_response: false },
          },
        },
      },
    };
  }

  private emit(event: RealtimeClientEvent): void {
    this.socket?.send(event);
  }

  // --- server events ---

  private onEvent(event: RealtimeServerEvent): void {
    switch (event.type) {
      case 'input_audio_buffer.speech_started': {
        const pts = this.ptsAt(event.audio_start_ms + PREFIX_PADDING_MS);
        this.itemPts.set(event.item_id, pts);
        this.pruneStaleItems();
        this.openItems.set(event.item_id, Date.now());
        this.speaking = true;
        this.opts.output.publish({ channel: 'transcript', type: 'speech', pts, data: { itemId: event.item_id, state: 'start' } });
        break;
      }
      case 'input_audio_buffer.speech_stopped':
        this.speaking = false;
        this.opts.output.publish({ channel: 'transcript', type: 'speech', pts: this.ptsAt(event.audio_end_ms), data: { itemId: event.item_id, state: 'end' } });
        break;
      case 'conversation.item.input_audio_transcription.delta':
        if (event.delta) this.delta('transcript', event.item_id, event.delta);
        break;
      case 'conversation.item.input_audio_transcription.completed':
        this.done('transcript', event.item_id, event.transcript);
        break;
      case 'conversation.item.input_audio_transcription.failed':
        this.serverError(event.error.message ?? 'transcription failed', event.error.code ?? null);
        this.done('transcript', event.item_id, '');
        break;
      case 'response.output_text.delta':
      case 'response.output_audio_transcript.delta':
        this.delta('response', event.item_id, event.delta);
        break;
      case 'response.output_text.done':
        this.done('response', event.item_id, event.text);
        break;
      case 'response.output_audio_transcript.done':
        this.done('response', event.item_id, event.transcript);
        break;
      case 'error':
        this.serverError(event.error.message, event.error.code ?? null);
        break;
      default:
        break;
    }
  }

  private itemTime(itemId: string): number {
    const pts = this.itemPts.get(itemId) ?? this.ptsAt(samplesToMs(this.sessionSamples));
    this.itemPts.set(itemId, pts);
    this.lastPts = pts;
    return pts;
  }

  private delta(source: TextSource, itemId: string, text: string): void {
    const pts = this.itemTime(itemId);
    this.streamed.add(itemId);
    this.opts.output.publish({ channel: 'transcript', type: 'delta', pts, data: { itemId, text, source } });
    this.opts.output.text({ streamId: this.opts.streamId, source, itemId, text, pts }, false);
  }

  private done(source: TextSource, itemId: string, text: string): void {
    const pts = this.itemTime(itemId);
    this.opts.output.publish({ channel: 'transcript', type: 'done', pts, data: { itemId, text, source } });
    // Text that came whole (no deltas) goes to the analyzers now; streamed text is only ended.
    this.opts.output.text({ streamId: this.opts.streamId, source, itemId, text: this.streamed.has(itemId) ? '' : text, pts }, true);
    this.streamed.delete(itemId);
    this.itemPts.delete(itemId);
    this.openItems.delete(itemId);
    if (this.openItems.size === 0) for (const d of [...this.drained]) d();
  }

  /** An item whose transcript never came (the server dropped it) is neither kept nor waited for. */
  private pruneStaleItems(): void {
    const now = Date.now();
    for (const [itemId, at] of this.openItems) {
      if (now - at <= ITEM_STALE_MS) continue;
      this.openItems.delete(itemId);
      this.itemPts.delete(itemId);
    }
  }

  /**
   * The stream is ending: sends the audio still held, commits a turn the server is inside of
   * (its VAD would wait for silence that will not come), and waits up to `ms` for the
   * transcripts of every turn heard so far.
   */
  async drain(ms = this.opts.config.drainMs ?? REALTIME_DRAIN_MS): Promise<void> {
    if (!this.open || this.closed) return;
    if (this.pendingSamples > 0) {
      const samples = concat(this.pending, this.pendingSamples);
      this.pending = [];
      this.pendingSamples = 0;
      this.enqueue({ pts: this.pendingPts, samples });
    }
    if (this.speaking) this.emit({ type: 'input_audio_buffer.commit' });
    this.pruneStaleItems();
    if (this.openItems.size === 0) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.drained.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.drained.add(done);
    });
  }

  private serverError(message: string, code: string | null): void {
    this.stats.serverErrors += 1;
    this.opts.logger.warn({ streamId: this.opts.streamId, code, message }, 'Realtime API error');
    this.opts.output.publish({ channel: 'alerts', type: 'alert', pts: this.lastPts, data: { source: 'realtime', severity: 'warn', message: `Realtime API: ${message}` } });
  }

  private status(state: 'connected' | 'reconnecting', reason?: string): void {
    this.opts.output.publish({ channel: 'transcript', type: 'status', pts: this.lastPts, data: { state, ...(reason ? { reason } : {}) } });
  }
}

function samplesToMs(samples: number): number {
  return (samples * 1000) / REALTIME_RATE;
}

function concat(parts: readonly Int16Array[], total: number): Int16Array {
  const out = new Int16Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function downmix(interleaved: Int16Array, channels: number): Int16Array {
  const n = Math.floor(interleaved.length / channels);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i += 1) {
    let sum = 0;
    for (let c = 0; c < channels; c += 1) sum += interleaved[i * channels + c] ?? 0;
    out[i] = Math.round(sum / channels);
  }
  return out;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
