import type { Logger } from '../logger.js';
import type { FrameBus } from '../frame-bus.js';
import type { AudioFrame, StreamId, VideoFrame } from '../types.js';
import { DEFAULT_GEOMETRY, FfmpegRun, type AnalysisGeometry, type DecoderInput, type DecoderKind } from './ffmpeg-run.js';
import type { SourceInfo } from './stderr-parser.js';
import { RestartBackoff } from '../backoff.js';

/** A fresh input for one decoder run, and how to let go of it when the run ends. */
export interface OpenedInput {
  readonly input: DecoderInput;
  release(): void;
}

export interface StreamDecoderOptions {
  readonly streamId: StreamId;
  /** Called for every (re)start of a decoder process: each run reads its own input. */
  openInput(kind: DecoderKind): OpenedInput | null;
  readonly bus: FrameBus;
  readonly logger: Logger;
  readonly geometry?: AnalysisGeometry;
  /** Restart backoff: first delay, doubled per consecutive failure up to maxMs. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Which kinds to decode (default both). */
  readonly kinds?: readonly DecoderKind[];
  onInfo?(info: SourceInfo): void;
  /** Both decoders have ended for good (input over, or closed). */
  onEnded?(): void;
}

export interface DecoderStats {
  videoFrames: number;
  audioFrames: number;
  decoderRestarts: number;
}

/** Frame rate measured from the pts of the last 60 frames. */
export class FpsMeter {
  private readonly deltas: number[] = [];
  private last: number | null = null;

  push(pts: number): void {
    if (this.last !== null && pts > this.last) {
      this.deltas.push(pts - this.last);
      if (this.deltas.length > 60) this.deltas.shift();
    }
    this.last = pts;
  }

  /** Frames per second over the window (mean interval: ms-rounded timestamps average out), or null before 5 intervals. */
  get fps(): number | null {
    if (this.deltas.length < 5) return null;
    const mean = this.deltas.reduce((a, b) => a + b, 0) / this.deltas.length;
    return mean > 0 ? Math.round(100_000 / mean) / 100 : null;
  }
}


/** ffmpeg's words when the input simply has no track of the mapped kind. */
const NO_TRACK_RE = /matches no streams|does not contain any stream/;

interface Slot {
  kind: DecoderKind;
  run: FfmpegRun | null;
  opened: OpenedInput | null;
  startedAt: number;
  backoff: RestartBackoff;
  timer: NodeJS.Timeout | null;
  done: boolean;
}

/**
 * Supervises the decoders of one stream: one ffmpeg process for video and one for audio,
 * each restarted with exponential backoff when it dies, so a crashing decoder costs its own
 * stream a gap and nothing else. Decoded frames go to the stream's FrameBus.
 */
export class StreamDecoder {
  readonly stats: DecoderStats = { videoFrames: 0, audioFrames: 0, decoderRestarts: 0 };
  readonly fpsMeter = new FpsMeter();
  private readonly opts: StreamDecoderOptions;
  private readonly geometry: AnalysisGeometry;
  private readonly slots: Slot[];
  private closed = false;
  private endedSent = false;
  private videoIndex = 0;
  private audioIndex = 0;

  constructor(opts: StreamDecoderOptions) {
    this.opts = opts;
    this.geometry = opts.geometry ?? DEFAULT_GEOMETRY;
    this.slots = (opts.kinds ?? ['video', 'audio']).map((kind) => ({
      kind, run: null, opened: null, startedAt: 0, timer: null, done: false,
      backoff: new RestartBackoff(opts.backoff?.initialMs ?? 250, opts.backoff?.maxMs ?? 5_000),
    }));
  }

  start(): void {
    for (const slot of this.slots) if (slot.run === null && !slot.done) this.launch(slot);
  }

  /** Process ids of the running decoders (tests kill them to prove supervision). */
  pids(): Partial<Record<DecoderKind, number>> {
    const out: Partial<Record<DecoderKind, number>> = {};
    for (const slot of this.slots) {
      const pid = slot.run?.pid;
      if (pid !== undefined) out[slot.kind] = pid;
    }
    return out;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const slot of this.slots) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      slot.done = true;
      slot.run?.kill();
      slot.opened?.release();
      slot.opened = null;
    }
  }

  private launch(slot: Slot): void {
    if (this.closed) return;
    const opened = this.opts.openInput(slot.kind);
    if (opened === null) {
      // the source is gone: nothing left to decode
      slot.done = true;
      this.checkEnded();
      return;
    }
    slot.opened = opened;
    slot.startedAt = Date.now();
    const { streamId, bus } = this.opts;
    const geometry = this.geometry;
    slot.run = new FfmpegRun(slot.kind, opened.input, geometry, {
      onInfo: (info) => this.opts.onInfo?.(info),
      onFrame: (data, pts) => {
        if (slot.kind === 'video') {
          const frame: VideoFrame = {
            kind: 'video', streamId, pts, index: this.videoIndex++, width: geometry.width,
            height: geometry.height, format: 'gray8', data,
          };
          this.stats.videoFrames += 1;
          this.fpsMeter.push(pts);
          bus.pushVideo(frame);
        } else {
          const frame: AudioFrame = {
            kind: 'audio', streamId, pts, index: this.audioIndex++, sampleRate: geometry.sampleRate,
            channels: 1, format: 's16', samples: new Int16Array(data.buffer, data.byteOffset, data.byteLength / 2),
          };
          this.stats.audioFrames += 1;
          bus.pushAudio(frame);
        }
      },
      onExit: (error, stderrTail) => this.onExit(slot, error, stderrTail),
    });
  }

  private onExit(slot: Slot, error: Error | null, stderrTail: string[]): void {
    slot.run = null;
    slot.opened?.release();
    slot.opened = null;
    if (this.closed) return;
    const log = this.opts.logger;
    const tail = stderrTail.join('\n');
    if (error === null) {
      log.info({ streamId: this.opts.streamId, decoder: slot.kind }, 'decoder reached the end of its input');
      slot.done = true;
      this.checkEnded();
      return;
    }
    if (NO_TRACK_RE.test(tail) || NO_TRACK_RE.test(error.message)) {
      log.info({ streamId: this.opts.streamId, decoder: slot.kind }, `stream has no ${slot.kind} track`);
      slot.done = true;
      this.checkEnded();
      return;
    }
    const ranMs = Date.now() - slot.startedAt;
    const delayMs = slot.backoff.next(ranMs);
    log.warn(
      { streamId: this.opts.streamId, decoder: slot.kind, reason: error.message, delayMs },
      'decoder died; restarting',
    );
    slot.timer = setTimeout(() => {
      slot.timer = null;
      if (this.closed) return;
      this.stats.decoderRestarts += 1;
      this.launch(slot);
    }, delayMs);
  }

  private checkEnded(): void {
    if (this.endedSent || !this.slots.every((s) => s.done)) return;
    this.endedSent = true;
    this.opts.onEnded?.();
  }
}
