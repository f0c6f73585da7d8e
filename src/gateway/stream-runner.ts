import type { Logger } from '../media/logger.js';
import { FrameBus } from '../media/frame-bus.js';
import { StreamDecoder, type OpenedInput } from '../media/decoder/stream-decoder.js';
import type { DecoderKind } from '../media/decoder/ffmpeg-run.js';
import type { SourceInfo } from '../media/decoder/stderr-parser.js';
import type { StreamProbe, StreamRegistry, StreamStats } from '../media/stream-registry.js';
import { HlsEgress } from '../egress/hls/hls-egress.js';
import type { AnalysisEvent } from '../media/types.js';
import { AnalysisPipeline } from './analysis-pipeline.js';
import type { TemporalPool } from './temporal-pool.js';
import type { AnalysisScheduler } from './analysis-scheduler.js';
import { RealtimeBridge } from '../realtime/bridge.js';
import type { RealtimeConfig } from '../realtime/config.js';

export interface StreamSource {
  readonly streamId: string;
  readonly protocol: string;
  openInput(kind: DecoderKind | 'egress'): OpenedInput | null;
  /** Media dropped before decoding (e.g. FLV tags skipped for a lagging decoder). */
  droppedBeforeDecode(): number;
}

/**
 * How long an ended source's decoders may take to flush their last frames, and then the
 * analysis to work through what it has queued. Together they stay under the 5 s within
 * which an ended publisher must show as `ended`.
 */
const DECODER_DRAIN_MS = 3_000;
const ANALYSIS_DRAIN_MS = 1_500;

/**
 * Everything that runs for one live stream: its decoders and its frame bus. Reports its
 * lifecycle to the registry (live on the first decoded frame) and nothing else upward.
 */
export class StreamRunner implements StreamProbe {
  readonly bus = new FrameBus();
  readonly decoder: StreamDecoder;
  private info: SourceInfo = { video: null, audio: null };
  private readonly source: StreamSource;
  private readonly registry: StreamRegistry;
  private closed = false;
  private endTimer: NodeJS.Timeout | null = null;
  private endReason: string | null = null;

  readonly hls: HlsEgress | null;
  readonly analysis: AnalysisPipeline;
  /** The stream's OpenAI Realtime session (transcripts into the text analyzers), if configured. */
  readonly realtime: RealtimeBridge | null;

  constructor(
    source: StreamSource,
    registry: StreamRegistry,
    logger: Logger,
    hlsDir: string | null,
    publish: (event: AnalysisEvent) => void,
    temporal: TemporalPool,
    scheduler: AnalysisScheduler,
    realtime: RealtimeConfig | null = null,
  ) {
    this.source = source;
    this.registry = registry;
    this.analysis = new AnalysisPipeline({ streamId: source.streamId, bus: this.bus, publish, temporal, scheduler, logger: logger.child({ streamId: source.streamId }) });
    this.realtime = realtime === null ? null : new RealtimeBridge({
      streamId: source.streamId,
      audio: this.bus.subscribe({ video: false }).audio,
      config: realtime,
      output: { publish, text: (token, final) => this.analysis.pushText(token, final) },
      logger: logger.child({ streamId: source.streamId }),
    });
    this.hls = hlsDir === null ? null : new HlsEgress({
      streamId: source.streamId, dir: hlsDir, openInput: () => source.openInput('egress'), logger,
    });
    this.decoder = new StreamDecoder({
      streamId: source.streamId,
      bus: this.bus,
      logger: logger.child({ streamId: source.streamId }),
      openInput: (kind) => source.openInput(kind),
      // Decoders drained what the source sent before it ended: let the analysis finish what
      // it has queued, then the stream is over.
      onEnded: () => void this.finish(this.endReason ?? 'source ended'),
      onInfo: (info) => {
        // keep what each decoder learnt; both see the same input header
        this.info = { video: info.video ?? this.info.video, audio: info.audio ?? this.info.audio };
      },
    });
    // First decoded frame of either kind: the stream is live.
    const first = this.bus.subscribe();
    void Promise.race([first.video.wait(), first.audio.wait()]).then(() => {
      first.unsubscribe();
      if (!this.closed) registry.markLive(source.streamId);
    });
  }

  start(): void {
    this.registry.add(this.source.streamId, this.source.protocol, this);
    this.analysis.start();
    this.realtime?.start();
    this.decoder.start();
    this.hls?.start();
  }

  /**
   * The source has ended (its input streams are ending): let the decoders drain the frames
   * already received, then the analysis, then close; never longer than the two drain limits.
   */
  end(reason: string): void {
    if (this.closed || this.endReason !== null) return;
    this.endReason = reason;
    this.endTimer = setTimeout(() => void this.finish(reason), DECODER_DRAIN_MS);
  }

  private finishing = false;

  private async finish(reason: string): Promise<void> {
    if (this.closed || this.finishing) return;
    this.finishing = true;
    if (this.endTimer) clearTimeout(this.endTimer);
    // The Realtime session's last turn (≤ 1 s by default) shares the analysis's budget: its
    // transcript must still go through the text analyzers, which keep at least a third of it.
    const t0 = Date.now();
    await this.realtime?.drain();
    await this.analysis.drain(Math.max(ANALYSIS_DRAIN_MS - (Date.now() - t0), ANALYSIS_DRAIN_MS / 3));
    this.close(reason);
  }

  /** Stops decoding at once and marks the stream ended (admin action, shutdown). */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.endTimer) clearTimeout(this.endTimer);
    this.decoder.close();
    this.hls?.close();
    this.realtime?.close();
    // Analysis first: its closing events (open segments' ends) go out before viewers hear the end.
    this.analysis.close();
    this.bus.close();
    this.registry.markEnded(this.source.streamId, reason);
  }

  video(): ReturnType<StreamProbe['video']> {
    const v = this.info.video;
    if (!v) return null;
    return { codec: v.codec, width: v.width, height: v.height, fps: this.decoder.fpsMeter.fps ?? v.fps };
  }

  audio(): ReturnType<StreamProbe['audio']> {
    const a = this.info.audio;
    return a ? { codec: a.codec, sampleRate: a.sampleRate, channels: a.channels } : null;
  }

  stats(): StreamStats {
    const s = this.decoder.stats;
    return {
      videoFrames: s.videoFrames,
      audioFrames: s.audioFrames,
      videoDropped: this.bus.videoDropped + this.source.droppedBeforeDecode(),
      decoderRestarts: s.decoderRestarts,
    };
  }
}
