import type { Logger } from '../media/logger.js';
import type { FrameBus, FrameSubscription } from '../media/frame-bus.js';
import type { AnalysisEvent, StreamId, TextToken } from '../media/types.js';
import { errorMessage } from '../media/errors.js';
import { VideoAnalyzer, type VideoFinding } from '../introspection/video/index.js';
import { AudioAnalyzer, type AudioFinding } from '../introspection/audio/index.js';
import { TextInspector, moderationFromEnv, type Finding, type ModerationClient } from '../introspection/text/index.js';
import { MIN_CLASSIFY_SAMPLES } from '../temporal/index.js';
import type { TemporalPool } from './temporal-pool.js';
import type { AnalysisScheduler } from './analysis-scheduler.js';

export interface AnalysisPipelineOptions {
  readonly streamId: StreamId;
  readonly bus: FrameBus;
  /** Where events go (the transport hub); must not throw for a valid event. */
  publish(event: AnalysisEvent): void;
  readonly logger: Logger;
  /** Runs the temporal engine off the event loop. */
  readonly temporal: TemporalPool;
  /** Runs analyzer calls by deadline and sheds per-frame work first under overload; absent = run inline. */
  readonly scheduler?: AnalysisScheduler;
  /** Media time between temporal reports (default 5 s). */
  readonly temporalEveryMs?: number;
  /** Sentence moderation (default: the OpenAI moderation endpoint when OPENAI_API_KEY is set, else none). */
  readonly moderation?: ModerationClient | null;
}

/** Samples of each series the temporal engine looks at: ~17 s of video frames, ~10 s of audio blocks. */
const TEMPORAL_WINDOW = 512;

/** One series (motion per frame, audio level per block) in a fixed-size window. */
class SeriesWindow {
  private readonly values: Float64Array;
  private next = 0;
  private filled = 0;
  lastReportPts = -Infinity;
  lastPts = 0;
  firstPts: number | null = null;

  constructor(readonly name: string, size: number) {
    this.values = new Float64Array(size);
  }

  push(pts: number, v: number): void {
    this.values[this.next] = v;
    this.next = (this.next + 1) % this.values.length;
    this.filled = Math.min(this.filled + 1, this.values.length);
    this.firstPts ??= pts;
    this.lastPts = pts;
  }

  get full(): boolean {
    return this.filled === this.values.length;
  }

  /** The window in time order. */
  snapshot(): Float64Array {
    const out = new Float64Array(this.filled);
    for (let i = 0; i < this.filled; i += 1) out[i] = this.values[(this.next - this.filled + i + this.values.length) % this.values.length] ?? 0;
    return out;
  }

  /** Mean sampling interval in seconds over the window. */
  dtSeconds(): number {
    if (this.firstPts === null || this.filled < 2) return 1;
    return Math.max(1e-3, (this.lastPts - this.firstPts) / 1000 / Math.max(1, this.filled - 1));
  }
}

/**
 * The per-stream analysis: every decoded frame through the video analyzer, every audio block
 * through the audio analyzer, text through the text inspector, and every few seconds the
 * temporal engine over the motion and audio-level series. Each finding becomes an event on
 * its channel with its media pts; what needs a person's attention also becomes an `alerts`
 * event. Analyzers are pure; this class only moves data between them and the hub.
 */
export class AnalysisPipeline {
  private readonly opts: AnalysisPipelineOptions;
  private readonly video = new VideoAnalyzer();
  private readonly audio = new AudioAnalyzer();
  private readonly texts = new Map<string, TextInspector>();
  private readonly motion = new SeriesWindow('motion', TEMPORAL_WINDOW);
  private readonly level = new SeriesWindow('audio level', TEMPORAL_WINDOW);
  private sub: FrameSubscription | null = null;
  private closed = false;
  /** Frames and blocks the scheduler shed under overload (their analysis was skipped). */
  readonly shed = { video: 0, audio: 0 };
  /** Analyzer tasks submitted and not yet run or shed; `drain()` waits for 0. */
  private inflight = 0;
  private readonly idleWaiters: (() => void)[] = [];
  private consumers: Promise<void>[] = [];
  /** Frames/blocks whose analysis threw (counted, logged once per kind). */
  failures = { video: 0, audio: 0, text: 0, temporal: 0 };

  constructor(opts: AnalysisPipelineOptions) {
    this.opts = opts;
  }

  start(): void {
    if (this.sub) return;
    const sub = this.opts.bus.subscribe();
    this.sub = sub;
    this.consumers = [
      this.consume(sub.video, 'video', (frame) => this.onVideo(this.video.process(frame))),
      this.consume(sub.audio, 'audio', (block) => this.onAudio(this.audio.process(block))),
    ];
  }


  private run(kind: 'video' | 'audio' | 'text', work: () => void): void {
    this.inflight += 1;
    const settle = () => {
      this.inflight -= 1;
      if (this.inflight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    };
    const guarded = () => {
      try {
        if (!this.closed) work();
      } catch (err) {
        this.fail(kind, err);
      } finally {
        settle();
      }
    };
    if (this.opts.scheduler && kind !== 'text') {
      this.opts.scheduler.submit(kind, guarded, () => {
        this.shed[kind] += 1;
        settle();
      });
    } else if (this.opts.scheduler) this.opts.scheduler.submit(kind, guarded);
    else guarded();
  }

  /**
   * The source has ended: analyse what is still queued (decoded frames, scheduled tasks),
   * then close. Never waits longer than `timeoutMs`.
   */
  async drain(timeoutMs: number): Promise<void> {
    if (this.closed) return;
    this.sub?.video.close();
    this.sub?.audio.close();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    const settled = (async () => {
      await Promise.all(this.consumers);
      if (this.inflight > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    })();
    await Promise.race([settled, deadline]);
    clearTimeout(timer);
    this.close();
  }

  close(): void {
    if (this.closed) return;
    // Segments still open when the stream ends get their `end` event.
    try {
      this.onVideo(this.video.finish());
      this.onAudio(this.audio.finish());
    } catch (err) {
      this.fail('video', err);
    }
    this.closed = true;
    this.sub?.unsubscribe();
    for (const [itemId, inspector] of this.texts) {
      this.onText(itemId, 'transcript', 0, inspector.end());
      inspector.close();
    }
    this.texts.clear();
  }

  /** Streamed text (a transcript or response delta) for one item; `final` ends the item. */
  pushText(token: TextToken, final = false): void {
    if (this.closed) return;
    // Text keeps its order: each push is one task, and text tasks are never dropped.
    this.run('text', () => this.inspectText(token, final));
  }

  private inspectText(token: TextToken, final: boolean): void {
    if (this.closed) return;
    let inspector = this.texts.get(token.itemId);
    if (!inspector) {
      const moderation = this.opts.moderation === undefined ? moderationFromEnv() : this.opts.moderation;
      inspector = new TextInspector(moderation
        ? {
          moderation,
          // Moderation verdicts arrive later, asynchronously; they never hold the token flow.
          onLateFinding: (f) => this.onText(token.itemId, token.source, token.pts, { output: '', findings: [f] }),
          onModerationError: (err) => this.fail('text', err),
        }
        : {});
      this.texts.set(token.itemId, inspector);
    }
    this.onText(token.itemId, token.source, token.pts, inspector.push(token.text));
    if (final) {
      this.onText(token.itemId, token.source, token.pts, inspector.end());
      this.texts.delete(token.itemId);
    }
  }

  private async consume<T>(queue: AsyncIterable<T>, kind: 'video' | 'audio', handle: (item: T) => void): Promise<void> {
    for await (const item of queue) {
      if (this.closed) return;
      this.run(kind, () => handle(item));
    }
  }

  private onVideo(findings: VideoFinding[]): void {
    for (const f of findings) {
      this.publish(f);
      if (f.type === 'frame') {
        this.motion.push(f.pts, f.data.motion);
        this.maybeTemporal(this.motion, f.pts);
      } else if ((f.type === 'black' || f.type === 'frozen') && f.data.state === 'start') {
        this.alert(f.pts, 'video', 'warn', f.type === 'black' ? 'Picture went black' : 'Picture is frozen');
      }
    }
  }

  private onAudio(findings: AudioFinding[]): void {
    for (const f of findings) {
      this.publish(f);
      if (f.type === 'level') {
        this.level.push(f.pts, f.data.rmsDbfs);
        this.maybeTemporal(this.level, f.pts);
      } else if (f.data.state === 'start' && (f.type === 'silence' || f.type === 'clipping')) {
        this.alert(f.pts, 'audio', f.type === 'clipping' ? 'high' : 'warn', f.type === 'silence' ? 'Audio went silent' : 'Audio is clipping');
      }
    }
  }

  private onText(itemId: string, source: string, pts: number, result: { output: string; findings: readonly Finding[] }): void {
    if (result.output !== '') this.publish({ channel: 'text', type: 'redacted', pts, data: { itemId, source, output: result.output } });
    for (const f of result.findings) {
      const kind = f.type === 'TOXIC' ? 'toxic' : f.type === 'LOOP' ? 'loop' : 'pii';
      this.publish({ channel: 'text', type: kind, pts, data: { itemId, source, findingType: f.type, start: f.start, end: f.end, score: f.score } });
      const severity = f.type === 'SECRET' || f.type === 'CARD' ? 'critical' : f.type === 'LOOP' ? 'warn' : 'high';
      this.alert(pts, 'text', severity, `${f.type} in ${source} at ${f.start}–${f.end}`);
    }
  }

  /** Classifies a series' attractor every `temporalEveryMs` of media time once its window is full. */
  private maybeTemporal(series: SeriesWindow, pts: number): void {
    if (!series.full || pts - series.lastReportPts < (this.opts.temporalEveryMs ?? 5_000)) return;
    series.lastReportPts = pts;
    const x = series.snapshot();
    if (x.length < MIN_CLASSIFY_SAMPLES) return;
    const dt = series.dtSeconds();
    const job = this.opts.temporal.classify(x, dt);
    if (job === null) return; // shed: the worker is behind; the next window will do
    job.then((c) => {
      if (this.closed) return;
      this.publish({
        channel: 'temporal', type: 'attractor', pts,
        data: {
          series: series.name, class: c.class, lambda: c.lambda, confidence: c.confidence,
          ...(c.period !== undefined ? { period: c.period } : {}), windowSamples: x.length, dt, computeMs: Math.round(c.computeMs),
        },
      });
    }, (err: unknown) => this.fail('temporal', err));
  }

  private alert(pts: number, source: string, severity: 'info' | 'warn' | 'high' | 'critical', message: string): void {
    this.publish({ channel: 'alerts', type: 'alert', pts, data: { source, severity, message } });
  }

  private publish(event: AnalysisEvent): void {
    try {
      this.opts.publish(event);
    } catch (err) {
      this.opts.logger.error({ streamId: this.opts.streamId, channel: event.channel, type: event.type, err: errorMessage(err) }, 'could not publish an analysis event');
    }
  }

  private fail(kind: keyof AnalysisPipeline['failures'], err: unknown): void {
    this.failures[kind] += 1;
    if (this.failures[kind] === 1) this.opts.logger.warn({ streamId: this.opts.streamId, analyzer: kind, err: errorMessage(err) }, 'analyzer failed; continuing');
  }
}
