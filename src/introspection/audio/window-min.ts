/**
 * Minimum of the last `size` values pushed: the "minimum statistics" noise-floor tracker
 * (Martin 2001), which follows a rising floor within one window length instead of staying
 * at the quietest value ever seen. A plain scan: windows here are ~75 values, so a
 * monotonic deque would save nothing worth its code.
 */
export class WindowMin {
  private readonly values: Float64Array;
  private next = 0;
  private count = 0;

  constructor(size: number) {
    if (!(size >= 1)) throw new RangeError('window must hold at least one value');
    this.values = new Float64Array(size);
  }

  push(value: number): void {
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.values.length;
    if (this.count < this.values.length) this.count++;
  }

  /** The minimum, or `fallback` while the window is empty. */
  min(fallback: number): number {
    if (this.count === 0) return fallback;
    let m = Infinity;
    for (let i = 0; i < this.count; i++) if (this.values[i]! < m) m = this.values[i]!;
    return m;
  }
}
