import { chooseFitRegion } from './fit-region.js';

export interface SlidingLyapunovOptions {
  /** Reference points kept (the window), default 1000. */
  window?: number;
  /** Embedding delay in samples, default 1. */
  tau?: number;
  /** Embedding dimension, default 3. */
  m?: number;
  /** Neighbours closer in time than this are skipped, default τ·m. */
  theiler?: number;
  /** Steps each neighbour pair is followed (the divergence curve's length), default 30. */
  horizon?: number;
  /** Sampling interval in time units, default 1. */
  dt?: number;
}

export interface SlidingLyapunovResult {
  /** Largest Lyapunov exponent per time unit over the window. */
  lambda: number;
  lambdaPerStep: number;
  fit: { from: number; to: number; r2: number };
  /** Pairs contributing to the curve. */
  pairs: number;
}

/**
 * Rosenstein's estimate over a sliding window, fed one sample at a time. Each new delay
 * vector gets its nearest earlier neighbour in the window (brute force, O(window·m)); every
 * pair started within the last `horizon` steps adds its log distance at its current age
 * to the running divergence curve, O(horizon·m); a pair leaving the window takes its
 * contributions back out, O(horizon). So each sample costs
 * O((window + horizon) · m), independent of the stream's length.
 */
export class SlidingLyapunov {
  private readonly w: number;
  private readonly tau: number;
  private readonly m: number;
  private readonly theiler: number;
  private readonly horizon: number;
  private readonly dt: number;
  /** Samples, a ring long enough for window + horizon + embedding span. */
  private readonly ring: Float64Array;
  /** Pair partner (start index) per reference point, a ring of `window` entries. */
  private readonly partner: Float64Array;
  /** log distance of each pair at each age, ring of window × (horizon + 1). */
  private readonly logs: Float64Array;
  private readonly sum: Float64Array;
  private readonly cnt: Float64Array;
  private samples = 0;
  /** Largest |x| seen: distances below 1e-9 of it are rounding, not separation. */
  private scale = 0;

  constructor(options: SlidingLyapunovOptions = {}) {
    this.w = options.window ?? 1000;
    this.tau = options.tau ?? 1;
    this.m = options.m ?? 3;
    this.theiler = options.theiler ?? this.tau * this.m;
    this.horizon = options.horizon ?? 30;
    this.dt = options.dt ?? 1;
    if (this.w <= this.theiler + 2 || this.w <= this.horizon) throw new RangeError('window must exceed the Theiler window and the horizon');
    this.ring = new Float64Array(this.w + this.horizon + (this.m - 1) * this.tau + 2);
    this.partner = new Float64Array(this.w).fill(-1);
    this.logs = new Float64Array(this.w * (this.horizon + 1));
    this.sum = new Float64Array(this.horizon + 1);
    this.cnt = new Float64Array(this.horizon + 1);
  }

  push(x: number): void {
    this.ring[this.samples % this.ring.length] = x;
    if (Math.abs(x) > this.scale) this.scale = Math.abs(x);
    this.samples += 1;
    // The newest complete delay vector starts here.
    const i = this.samples - 1 - (this.m - 1) * this.tau;
    if (i < 0) return;
    const H = this.horizon;
    const W = this.w;

    // Retire the reference point that leaves the window with this one's arrival.
    const slot = i % W;
    if (i >= W && this.partner[slot]! >= 0) {
      // It was followed for all H steps already, since W > H.
      for (let k = 0; k <= H; k++) {
        this.sum[k]! -= this.logs[slot * (H + 1) + k]!;
        this.cnt[k]! -= 1;
      }
    }
    this.partner[slot] = -1;

    // Older pairs grow one step older: distance between i' + k and j' + k with i' + k = i.
    for (let k = 1; k <= H; k++) {
      const ref = i - k;
      if (ref < 0 || ref < i - W + 1) break;
      const s = ref % W;
      const j = this.partner[s]!;
      if (j < 0) continue;
      const l = Math.log(this.distance(i, j + k));
      this.logs[s * (H + 1) + k] = l;
      this.sum[k]! += l;
      this.cnt[k]! += 1;
    }

    // Nearest earlier neighbour of the new point, outside the Theiler window, inside the window.
    let best = Infinity;
    let bestJ = -1;
    const oldest = Math.max(0, i - W + 1);
    for (let j = oldest; j < i - this.theiler; j++) {
      const d = this.distance(i, j);
      if (d < best) {
        best = d;
        bestJ = j;
      }
    }
    if (bestJ >= 0) {
      this.partner[slot] = bestJ;
      const l = Math.log(best);
      this.logs[slot * (H + 1)] = l;
      this.sum[0]! += l;
      this.cnt[0]! += 1;
    }
  }

  /** λ from the current divergence curve, or null before enough pairs have aged. */
  result(): SlidingLyapunovResult | null {
    const H = this.horizon;
    if (this.cnt[H]! < 10) return null;
    const curve = new Float64Array(H + 1);
    for (let k = 0; k <= H; k++) curve[k] = this.sum[k]! / this.cnt[k]!;
    const fit = chooseFitRegion(curve);
    return {
      lambda: fit.slope / this.dt,
      lambdaPerStep: fit.slope,
      fit: { from: fit.from * this.dt, to: fit.to * this.dt, r2: fit.r2 },
      pairs: this.cnt[0]!,
    };
  }

  /** Euclidean distance of delay vectors starting at sample indices a and b (floored above 0). */
  private distance(a: number, b: number): number {
    const len = this.ring.length;
    let s = 0;
    for (let c = 0; c < this.m; c++) {
      const t = this.ring[(a + c * this.tau) % len]! - this.ring[(b + c * this.tau) % len]!;
      s += t * t;
    }
    const floor = 1e-9 * this.scale + 1e-300;
    const d = Math.sqrt(s);
    return d > floor ? d : floor;
  }
}
