import type { VideoFinding } from './types.js';

/** One second of media time, summarised from the video findings whose pts fall in it. */
export interface VideoSecondSummary {
  /** floor(pts / 1000) of the frames it covers. */
  readonly second: number;
  readonly frames: number;
  readonly meanLuma: number;
  readonly meanMotion: number;
  readonly maxMotion: number;
  readonly sceneCuts: number;
  readonly blackFrames: number;
  readonly frozenFrames: number;
}

interface Bucket {
  frames: number;
  luma: number;
  motion: number;
  maxMotion: number;
  sceneCuts: number;
  blackFrames: number;
  frozenFrames: number;
}

/** Folds the findings of a `VideoAnalyzer` (with frame stats on) into per-second summaries. */
export class VideoSummary {
  private readonly buckets = new Map<number, Bucket>();

  add(finding: VideoFinding): void {
    if (finding.type !== 'frame' && finding.type !== 'scene_cut') return;
    const b = this.bucket(Math.floor(finding.pts / 1000));
    if (finding.type === 'scene_cut') {
      b.sceneCuts += 1;
      return;
    }
    const s = finding.data;
    b.frames += 1;
    b.luma += s.meanLuma;
    b.motion += s.motion;
    b.maxMotion = Math.max(b.maxMotion, s.motion);
    if (s.black) b.blackFrames += 1;
    if (s.frozen) b.frozenFrames += 1;
  }

  /** Seconds that had frames, in order. */
  seconds(): VideoSecondSummary[] {
    return [...this.buckets.entries()]
      .filter(([, b]) => b.frames > 0)
      .sort(([a], [b]) => a - b)
      .map(([second, b]) => ({
        second, frames: b.frames, meanLuma: b.luma / b.frames, meanMotion: b.motion / b.frames, maxMotion: b.maxMotion,
        sceneCuts: b.sceneCuts, blackFrames: b.blackFrames, frozenFrames: b.frozenFrames,
      }));
  }

  private bucket(second: number): Bucket {
    let b = this.buckets.get(second);
    if (b === undefined) {
      b = { frames: 0, luma: 0, motion: 0, maxMotion: 0, sceneCuts: 0, blackFrames: 0, frozenFrames: 0 };
      this.buckets.set(second, b);
    }
    return b;
  }
}
