/**
 * Incremental mean and variance (Welford 1962): numerically stable, O(1) per sample,
 * no stored samples.
 */
export class RunningStats {
  private n = 0;
  private m = 0;
  private s = 0;

  push(x: number): void {
    this.n += 1;
    const d = x - this.m;
    this.m += d / this.n;
    this.s += d * (x - this.m);
  }

  get count(): number {
    return this.n;
  }

  get mean(): number {
    return this.n > 0 ? this.m : NaN;
  }

  /** Population variance. */
  get variance(): number {
    return this.n > 0 ? this.s / this.n : NaN;
  }

  get std(): number {
    return Math.sqrt(this.variance);
  }
}

/**
 * Mean and variance over the last `window` samples, O(1) per sample: Welford's update for
 * the sample entering and its inverse for the sample leaving, with a ring buffer of the
 * window. Recomputed exactly every `window · 64` samples so that rounding cannot drift.
 */
export class SlidingStats {
  readonly window: number;
  private readonly ring: Float64Array;
  private n = 0;
  private total = 0;
  private m = 0;
  private s = 0;

  constructor(window: number) {
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be a positive integer, got ${window}`);
    this.window = window;
    this.ring = new Float64Array(window);
  }

  push(x: number): void {
    const w = this.window;
    if (this.n < w) {
      this.n += 1;
      const d = x - this.m;
      this.m += d / this.n;
      this.s += d * (x - this.m);
    } else {
      const old = this.ring[this.total % w]!;
      const oldMean = this.m;
      this.m += (x - old) / w;
      this.s += (x - old) * (x - this.m + old - oldMean);
      if (this.s < 0) this.s = 0;
    }
    this.ring[this.total % w] = x;
    this.total += 1;
    if (this.total % (w * 64) === 0) this.resync();
  }

  get count(): number {
    return this.n;
  }

  get mean(): number {
    return this.n > 0 ? this.m : NaN;
  }

  get variance(): number {
    return this.n > 0 ? this.s / this.n : NaN;
  }

  get std(): number {
    return Math.sqrt(this.variance);
  }

  /** The window's samples, oldest first (a copy). */
  values(): Float64Array {
    const out = new Float64Array(this.n);
    const start = this.total - this.n;
    for (let k = 0; k < this.n; k++) out[k] = this.ring[(start + k) % this.window]!;
    return out;
  }

  private resync(): void {
    const v = this.values();
    let m = 0;
    for (const x of v) m += x;
    m /= v.length;
    let s = 0;
    for (const x of v) s += (x - m) ** 2;
    this.m = m;
    this.s = s;
  }
}
