/**
 * Longest common subsequence for real-valued series (Vlachos, Kollios & Gunopulos 2002):
 * two samples match when they differ by at most `epsilon` and, with `band`, lie at most
 * `band` positions apart. Robust to outliers where DTW is not, because a mismatch costs
 * nothing instead of its size.
 */
export function lcss(a: ArrayLike<number>, b: ArrayLike<number>, epsilon: number, band?: number): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return 0;
  const w = band === undefined ? Math.max(n, m) : Math.max(0, Math.floor(band));
  let prev = new Int32Array(m + 1);
  let cur = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    const ai = a[i - 1]!;
    const lo = Math.max(1, i - w);
    const hi = Math.min(m, i + w);
    // Outside the band no match is allowed, so values just carry over.
    for (let j = 1; j < lo; j++) cur[j] = Math.max(prev[j]!, cur[j - 1]!);
    for (let j = lo; j <= hi; j++) {
      const d = ai - b[j - 1]!;
      if (d <= epsilon && d >= -epsilon) cur[j] = prev[j - 1]! + 1;
      else cur[j] = prev[j]! > cur[j - 1]! ? prev[j]! : cur[j - 1]!;
    }
    for (let j = hi + 1; j <= m; j++) cur[j] = Math.max(prev[j]!, cur[j - 1]!);
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[m]!;
}

/** 1 − LCSS / min(length): 0 for identical series, 1 when nothing matches. */
export function lcssDistance(a: ArrayLike<number>, b: ArrayLike<number>, epsilon: number, band?: number): number {
  const shorter = Math.min(a.length, b.length);
  return shorter === 0 ? (a.length === b.length ? 0 : 1) : 1 - lcss(a, b, epsilon, band) / shorter;
}
