/**
 * The envelope of a series for LB_Keogh: upper[i] = max and lower[i] = min of
 * x[i - r .. i + r]. Computed in O(n) with Lemire's monotonic deques (Lemire 2006,
 * "Streaming maximum-minimum filter using no more than three comparisons per element").
 */
export interface Envelope {
  upper: Float64Array;
  lower: Float64Array;
}

export function envelope(x: ArrayLike<number>, r: number): Envelope {
  const n = x.length;
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const w = Math.max(0, Math.floor(r));
  const maxQ = new Int32Array(n);
  const minQ = new Int32Array(n);
  let maxHead = 0;
  let maxTail = 0;
  let minHead = 0;
  let minTail = 0;
  // Element k enters when the window centred on k - w first contains it.
  for (let k = 0; k < n + w; k++) {
    if (k < n) {
      const v = x[k]!;
      while (maxTail > maxHead && x[maxQ[maxTail - 1]!]! <= v) maxTail--;
      maxQ[maxTail++] = k;
      while (minTail > minHead && x[minQ[minTail - 1]!]! >= v) minTail--;
      minQ[minTail++] = k;
    }
    const i = k - w;
    if (i < 0) continue;
    while (maxQ[maxHead]! < i - w) maxHead++;
    while (minQ[minHead]! < i - w) minHead++;
    upper[i] = x[maxQ[maxHead]!]!;
    lower[i] = x[minQ[minHead]!]!;
  }
  return { upper, lower };
}
