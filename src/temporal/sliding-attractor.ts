import { classifyAttractor, MIN_CLASSIFY_SAMPLES, type AttractorClass } from './classify.js';
import { SlidingStats } from './running-stats.js';

export interface SlidingAttractorOptions {
  /** Samples analysed (default 1024, at least MIN_CLASSIFY_SAMPLES). */
  window?: number;
  /** Reclassify at most once per this many new samples (default window / 4). */
  hop?: number;
  /** Sampling interval in time units (default 1). */
  dt?: number;
  /** Surrogate seed (default fixed: same input, same answer). */
  seed?: number;
}

export interface SlidingAttractorResult {
  class: AttractorClass;
  /** Largest Lyapunov exponent per time unit over the window (null for `fixed`). */
  lambda: number | null;
  /** Period in time units, for `periodic`. */
  period?: number;
  confidence: number;
  /** Mean and standard deviation of the window. */
  mean: number;
  std: number;
  /** Index (count of pushed samples) of the window's last sample when it was classified. */
  at: number;
}

/**
 * The attractor class of a live series over a sliding window, for one stream.
 *
 * `push` is O(1) (a ring buffer and sliding mean/variance), so feeding every sample is
 * cheap whatever the rate. `result` classifies the current window with
 * {@link classifyAttractor}, at most once per `hop` new samples (otherwise it returns the
 * cached answer), so its cost is that of one classification of `window` samples,
 * amortised over `hop` samples. It is the unit of work to hand to the DeadlineScheduler.
 */
export class SlidingAttractor {
  private readonly stats: SlidingStats;
  private readonly hop: number;
  private readonly dt: number;
  private readonly seed: number | undefined;
  private pushed = 0;
  private cached: SlidingAttractorResult | null = null;

  constructor(options: SlidingAttractorOptions = {}) {
    const window = options.window ?? 1024;
    if (window < MIN_CLASSIFY_SAMPLES) throw new RangeError(`window must be at least ${MIN_CLASSIFY_SAMPLES} samples`);
    this.stats = new SlidingStats(window);
    this.hop = Math.max(1, options.hop ?? Math.floor(window / 4));
    this.dt = options.dt ?? 1;
    this.seed = options.seed;
  }

  push(x: number): void {
    if (!Number.isFinite(x)) return; // a gap or glitch must not poison the window
    this.stats.push(x);
    this.pushed += 1;
  }

  /** Samples accepted so far. */
  get count(): number {
    return this.pushed;
  }

  /** The class of the current window, or null until the window is full. */
  result(): SlidingAttractorResult | null {
    if (this.stats.count < this.stats.window) return null;
    if (this.cached && this.pushed - this.cached.at < this.hop) return this.cached;
    const c = classifyAttractor(this.stats.values(), this.seed === undefined ? { dt: this.dt } : { dt: this.dt, seed: this.seed });
    const result: SlidingAttractorResult = { class: c.class, lambda: c.lambda, confidence: c.confidence, mean: this.stats.mean, std: this.stats.std, at: this.pushed };
    if (c.period !== undefined) result.period = c.period;
    this.cached = result;
    return result;
  }
}
