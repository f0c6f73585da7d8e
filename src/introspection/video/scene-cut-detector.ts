/**
 * Hard-cut detection on the motion series (mean absolute luma difference between
 * consecutive frames).
 *
 * Score, after ffmpeg's `scdet` filter: `min(motion, |motion − previous motion|)`. A cut is a
 * one-frame spike of difference; steady fast motion has a high difference but a small change
 * of it, and the frame after a cut has a large change but a small difference, so both score low.
 *
 * Threshold: adapts to the stream. Scores of ordinary frames are tracked with an exponentially
 * weighted mean and variance, and a frame is a cut when its score is an outlier,
 * `score > max(minScore, mean + sigmas·sd)`. A talking head (scores near 0) then needs only
 * the floor, while a handheld sports shot needs a spike well above its own jitter. Scores
 * enter the statistics winsorised at the threshold: one cut cannot raise the bar much for the
 * next, yet a stream whose every frame is "a cut" (flicker, noise) lifts the bar within a second
 * or two instead of firing forever.
 */

export interface SceneCutOptions {
  /** Floor of the threshold, in luma levels (0–255) of mean absolute difference. */
  readonly minScore: number;
  /** How many standard deviations above the stream's usual score a cut must lie. */
  readonly sigmas: number;
  /** Weight of each new frame in the running statistics: 1/30 remembers about a second at 30 fps. */
  readonly alpha: number;
  /**
   * Frames whose scores are learned before any cut is reported: the statistics of the first
   * frame pairs are meaningless, and the start of a stream is a shot boundary anyway.
   */
  readonly warmupFrames: number;
}

export const DEFAULT_SCENE_CUT: SceneCutOptions = { minScore: 8, sigmas: 6, alpha: 1 / 30, warmupFrames: 5 };

export interface SceneCutDecision {
  readonly score: number;
  readonly threshold: number;
  readonly cut: boolean;
}

export class SceneCutDetector {
  private readonly opts: SceneCutOptions;
  private previousMotion = 0;
  private mean = 0;
  private variance = 0;
  private samples = 0;

  constructor(opts: SceneCutOptions = DEFAULT_SCENE_CUT) {
    this.opts = opts;
  }

  /** Current threshold (what the next frame's score is compared with). */
  get threshold(): number {
    return Math.max(this.opts.minScore, this.mean + this.opts.sigmas * Math.sqrt(this.variance));
  }

  /** The first frame of a run (no previous frame to compare with): forget the last motion. */
  restart(): void {
    this.previousMotion = 0;
  }

  /** Scores one frame's motion against the previous frame's. */
  push(motion: number): SceneCutDecision {
    const score = Math.min(motion, Math.abs(motion - this.previousMotion));
    this.previousMotion = motion;
    const threshold = this.threshold;
    const cut = this.samples >= this.opts.warmupFrames && score > threshold;
    this.learn(Math.min(score, threshold));
    return { score, threshold, cut };
  }

  private learn(score: number): void {
    // Plain averaging until 1/alpha samples, so the first frames are not biased towards 0.
    this.samples += 1;
    const alpha = Math.max(this.opts.alpha, 1 / this.samples);
    const delta = score - this.mean;
    this.mean += alpha * delta;
    this.variance = (1 - alpha) * (this.variance + alpha * delta * delta);
  }

  toJSON(): { mean: number; sd: number; threshold: number } {
    return { mean: this.mean, sd: Math.sqrt(this.variance), threshold: this.threshold };
  }
}
