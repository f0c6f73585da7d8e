/**
 * Levenshtein distance between two sequences of integer token ids (insert, delete and
 * substitute each cost 1).
 *
 * With `maxDistance = k` only the diagonal band |i - j| <= k is computed (Ukkonen 1985:
 * a cell outside it already costs more than k) and the computation stops as soon as a whole
 * row exceeds k, since every alignment path crosses every row. The result is then exact
 * when it is <= k and `k + 1` otherwise. Two rows of Int32Array, no allocation per cell.
 */
export function editDistance(a: ArrayLike<number>, b: ArrayLike<number>, maxDistance?: number): number {
  // The rows run over the shorter sequence.
  const [s, t] = a.length >= b.length ? [a, b] : [b, a];
  const n = s.length;
  const m = t.length;
  const k = maxDistance === undefined || !(maxDistance < n) ? n : Math.max(0, Math.floor(maxDistance));
  const cap = k + 1;
  if (n - m > k) return cap;
  if (m === 0) return n;

  let prev = new Int32Array(m + 1);
  let cur = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j < cap ? j : cap;

  for (let i = 1; i <= n; i++) {
    const lo = i - k > 1 ? i - k : 1;
    const hi = i + k < m ? i + k : m;
    // The cell left of the band is either the first column (i deletions) or out of band.
    let left = lo === 1 ? (i < cap ? i : cap) : cap;
    cur[lo - 1] = left;
    let rowMin = left;
    const si = s[i - 1];
    for (let j = lo; j <= hi; j++) {
      let v = prev[j - 1]! + (si === t[j - 1] ? 0 : 1);
      const up = prev[j]! + 1;
      if (up < v) v = up;
      if (left + 1 < v) v = left + 1;
      if (v > cap) v = cap;
      cur[j] = v;
      left = v;
      if (v < rowMin) rowMin = v;
    }
    // The next row reads one cell further right, which lies outside this row's band.
    if (hi < m) cur[hi + 1] = cap;
    if (rowMin > k) return cap;
    const swap = prev;
    prev = cur;
    cur = swap;
  }
  const d = prev[m]!;
  return d > k ? cap : d;
}
