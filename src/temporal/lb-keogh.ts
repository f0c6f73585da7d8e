import type { Envelope } from './envelope.js';

/**
 * LB_Keogh (Keogh & Ratanamahatana 2005): a lower bound of the banded DTW distance between
 * a candidate and the query whose band-r envelope is given, in the same units as `dtw`
 * (square root of summed squared excursions outside the envelope). O(n).
 *
 * `candidate[offset + i]` is normalised on the fly as (value − mean) / sd, so a window of a
 * long series can be bounded without copying it. Stops early, returning Infinity, once the
 * bound exceeds `bestSoFar`.
 */
export function lbKeogh(
  candidate: ArrayLike<number>,
  env: Envelope,
  bestSoFar = Infinity,
  offset = 0,
  mean = 0,
  sd = 1,
): number {
  const { upper, lower } = env;
  const n = upper.length;
  const limit = bestSoFar * bestSoFar;
  const inv = 1 / sd;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const c = (candidate[offset + i]! - mean) * inv;
    const u = upper[i]!;
    const l = lower[i]!;
    if (c > u) sum += (c - u) * (c - u);
    else if (c < l) sum += (l - c) * (l - c);
    if (sum > limit) return Infinity;
  }
  return Math.sqrt(sum);
}
