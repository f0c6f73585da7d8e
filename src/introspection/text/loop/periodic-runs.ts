/**
 * Exact periodicity over a stream of symbols: for every period p ≤ maxPeriod it keeps the
 * length of the current run where symbol[i] === symbol[i − p]. A run of 2p means the last
 * unit of p symbols is its third consecutive copy. O(maxPeriod) per symbol, fixed memory.
 */
export class PeriodicRuns {
  readonly maxPeriod: number;
  private readonly history: Int32Array;
  private readonly runs: Int32Array;
  private count = 0;

  constructor(maxPeriod: number) {
    this.maxPeriod = maxPeriod;
    this.history = new Int32Array(maxPeriod + 1);
    this.runs = new Int32Array(maxPeriod + 1);
  }

  /** Number of symbols pushed so far (the next symbol's index). */
  get length(): number {
    return this.count;
  }

  /**
   * Adds a symbol; returns the smallest period whose run spans at least `copies − 1` whole
   * units (its unit is now seen `copies` or more times in a row), or 0.
   */
  push(symbol: number, copies: number): number {
    const size = this.maxPeriod + 1;
    const i = this.count;
    const slot = i % size;
    const history = this.history;
    const runs = this.runs;
    const need = copies - 1;
    let found = 0;
    const top = Math.min(this.maxPeriod, i);
    // history[(i - p) mod size] walks backwards from slot - 1, wrapping once
    let j = slot - 1;
    for (let p = 1; p <= top; p += 1, j -= 1) {
      if (j < 0) j += size;
      if (history[j] === symbol) {
        const r = (runs[p] ?? 0) + 1;
        runs[p] = r;
        if (found === 0 && r >= need * p) found = p;
      } else {
        runs[p] = 0;
      }
    }
    history[slot] = symbol;
    this.count = i + 1;
    return found;
  }

  /** Current run length at period p. */
  run(p: number): number {
    return this.runs[p] ?? 0;
  }
}
