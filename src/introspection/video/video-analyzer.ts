import type { VideoFrame } from '../../media/types.js';
import { measureFrame } from './frame-metrics.js';
import { DEFAULT_SCENE_CUT, SceneCutDetector, type SceneCutOptions } from './scene-cut-detector.js';
import { SegmentTracker, edgeData, type SegmentEdge } from '../segment-tracker.js';
import type { VideoFinding } from './types.js';

export interface VideoAnalyzerOptions {
  /**
   * A pixel is black at or below this luma. Decoded video is mostly limited range, where
   * black is 16; 32 leaves room for noise (ffmpeg's blackdetect default, 10 % of 16–235, is ≈ 38).
   */
  readonly blackPixelLevel: number;
  /** A frame is black when at least this fraction of its pixels are (blackdetect's default 0.98). */
  readonly blackRatio: number;
  /** Black frames in a row before a black segment starts, and non-black ones before it ends. */
  readonly blackMinFrames: number;
  /** A frame is unchanged when its mean absolute difference to the previous one is at most this (luma levels). */
  readonly frozenMaxMotion: number;
  /** Unchanged frames in a row before a frozen segment starts (the N of "frozen after N frames"). */
  readonly frozenMinFrames: number;
  readonly sceneCut: SceneCutOptions;
  /** Emit the per-frame `frame` finding (high rate; the segment and cut findings come regardless). */
  readonly frameStats: boolean;
}

export const DEFAULT_VIDEO_ANALYZER: VideoAnalyzerOptions = {
  blackPixelLevel: 32,
  blackRatio: 0.98,
  blackMinFrames: 2,
  frozenMaxMotion: 0.5,
  frozenMinFrames: 10,
  sceneCut: DEFAULT_SCENE_CUT,
  frameStats: true,
};

/** Running totals, as `toJSON()` reports them. */
export interface VideoAnalyzerStats {
  frames: number;
  sceneCuts: number;
  blackSegments: number;
  frozenSegments: number;
  blackFrames: number;
  frozenFrames: number;
  lastPts: number | null;
}

/**
 * All per-frame video analysis of one stream: mean luma, motion energy, scene cuts with an
 * adaptive threshold, black and frozen segments. Pure and synchronous: `process(frame)`
 * returns the findings that frame settles; `finish()` closes open segments at end of input.
 * The previous luma plane is copied, so callers may reuse their frame buffers.
 */
export class VideoAnalyzer {
  private readonly opts: VideoAnalyzerOptions;
  private readonly cuts: SceneCutDetector;
  private readonly black: SegmentTracker;
  private readonly frozen: SegmentTracker;
  private previous: Uint8Array | null = null;
  private previousPts: number | null = null;
  private frameDurationMs = 1000 / 30;
  private readonly stats: VideoAnalyzerStats = {
    frames: 0, sceneCuts: 0, blackSegments: 0, frozenSegments: 0, blackFrames: 0, frozenFrames: 0, lastPts: null,
  };

  constructor(options: Partial<VideoAnalyzerOptions> = {}) {
    this.opts = { ...DEFAULT_VIDEO_ANALYZER, ...options };
    this.cuts = new SceneCutDetector(this.opts.sceneCut);
    this.black = new SegmentTracker({ minOnFrames: this.opts.blackMinFrames, minOffFrames: this.opts.blackMinFrames });
    // A freeze ends at the first changed frame; no debounce on that edge.
    this.frozen = new SegmentTracker({ minOnFrames: this.opts.frozenMinFrames, minOffFrames: 1 });
  }

  process(frame: VideoFrame): VideoFinding[] {
    const { pts, data } = frame;
    // Time went backwards (a decoder restarted on a new input): close what is open where the
    // old timeline ended and start afresh, so no segment spans two timelines.
    const out: VideoFinding[] = this.previousPts !== null && pts < this.previousPts ? this.restart() : [];
    const sameGeometry = this.previous !== null && this.previous.length === data.length;
    const previous = sameGeometry ? this.previous : null;
    if (previous === null) this.cuts.restart();
    const m = measureFrame(data, previous, this.opts.blackPixelLevel);

    const cut = previous === null ? { score: 0, threshold: this.cuts.threshold, cut: false } : this.cuts.push(m.motion);
    if (cut.cut) {
      this.stats.sceneCuts += 1;
      out.push({ channel: 'video', type: 'scene_cut', pts, data: { score: cut.score, threshold: cut.threshold } });
    }

    const isBlack = m.blackRatio >= this.opts.blackRatio;
    this.edge(out, 'black', this.black.push(isBlack, pts));
    // A freeze is seen on the frame after the picture that froze, so its onset is that picture's pts.
    const unchanged = previous !== null && !isBlack && m.motion <= this.opts.frozenMaxMotion;
    this.edge(out, 'frozen', this.frozen.push(unchanged, pts, this.previousPts ?? pts));

    this.stats.frames += 1;
    if (isBlack) this.stats.blackFrames += 1;
    if (this.frozen.open) this.stats.frozenFrames += 1;
    if (this.previousPts !== null && pts > this.previousPts) this.frameDurationMs = pts - this.previousPts;
    this.stats.lastPts = pts;
    this.previousPts = pts;
    this.keep(data);

    if (this.opts.frameStats) {
      out.push({
        channel: 'video', type: 'frame', pts,
        data: {
          meanLuma: m.meanLuma, motion: m.motion, cutScore: cut.score, cutThreshold: cut.threshold,
          black: isBlack, frozen: this.frozen.open,
        },
      });
    }
    return out;
  }

  /** End of input: closes open black/frozen segments where the last frame stops being shown. */
  finish(): VideoFinding[] {
    const out: VideoFinding[] = [];
    if (this.previousPts === null) return out;
    const endPts = this.previousPts + this.frameDurationMs;
    this.edge(out, 'black', this.black.finish(endPts));
    this.edge(out, 'frozen', this.frozen.finish(endPts));
    return out;
  }

  toJSON(): VideoAnalyzerStats & { sceneCut: ReturnType<SceneCutDetector['toJSON']> } {
    return { ...this.stats, sceneCut: this.cuts.toJSON() };
  }

  private restart(): VideoFinding[] {
    const closed = this.finish();
    this.previous = null;
    this.previousPts = null;
    return closed;
  }

  private edge(out: VideoFinding[], type: 'black' | 'frozen', edge: SegmentEdge | null): void {
    if (edge === null) return;
    if (edge.state === 'start') {
      if (type === 'black') this.stats.blackSegments += 1;
      else this.stats.frozenSegments += 1;
    }
    out.push({ channel: 'video', type, pts: edge.pts, data: edgeData(edge) });
  }

  private keep(data: Uint8Array): void {
    if (this.previous === null || this.previous.length !== data.length) this.previous = new Uint8Array(data.length);
    this.previous.set(data);
  }
}
