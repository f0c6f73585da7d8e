import { dtw } from './dtw.js';
import { envelope } from './envelope.js';
import { lbKeogh } from './lb-keogh.js';
import { zNormalize } from './znorm.js';

export interface SubsequenceMatch {
  /** Start of the best window in the series. */
  index: number;
  /** Banded DTW distance between the z-normalised query and window. */
  distance: number;
}

export interface SubsequenceSearchOptions {
  /** Sakoe–Chiba half-width; default 10 % of the query length (the UCR suite's habit). */
  band?: number;
}

/** Windows below this standard deviation are flat: normalising them would amplify noise. */
const FLAT = 1e-8;

/**
 * The window of `series` closest to `query` under z-normalised banded DTW, searched the
 * UCR-suite way (Rakthanmanon et al. 2012): a running mean/sd per window, then LB_Kim
 * (first and last points), then LB_Keogh against the query's envelope, and only the
 * survivors get an early-abandoning DTW. Both bounds are true lower bounds, so pruning
 * never loses the best match. Returns null when the series is shorter than the query.
 */
export function findBestMatch(
  series: ArrayLike<number>,
  query: ArrayLike<number>,
  options: SubsequenceSearchOptions = {},
): SubsequenceMatch | null {
  const n = query.length;
  const total = series.length;
  if (n === 0 || total < n) return null;
  const band = options.band ?? Math.max(1, Math.floor(n / 10));
  const q = zNormalize(query);
  const env = envelope(q, band);
  const scratch = new Float64Array(n);
  // Centre on the global mean so the running sums keep their precision.
  let offset = 0;
  for (let i = 0; i < total; i++) offset += series[i]!;
  offset /= total;

  let best = Infinity;
  let bestIndex = -1;
  let sum = 0;
  let sumSq = 0;
  for (let start = 0; start + n <= total; start++) {
    if (start % 4096 === 0) {
      // Resynchronise the running sums now and then against floating-point drift.
      sum = 0;
      sumSq = 0;
      for (let i = start; i < start + n; i++) {
        const v = series[i]! - offset;
        sum += v;
        sumSq += v * v;
      }
    } else {
      const out = series[start - 1]! - offset;
      const inn = series[start + n - 1]! - offset;
      sum += inn - out;
      sumSq += inn * inn - out * out;
    }
    let mean = sum / n;
    let variance = sumSq / n - mean * mean;
    if (variance < 1e-3 * (sumSq / n)) {
      // Nearly flat window: E[x²] − E[x]² has cancelled away its digits, so redo it in two passes.
      mean = 0;
      for (let i = start; i < start + n; i++) mean += series[i]! - offset;
      mean /= n;
      variance = 0;
      for (let i = start; i < start + n; i++) variance += (series[i]! - offset - mean) ** 2;
      variance /= n;
    }
    // A flat window is only centred: scaling it up would turn rounding noise into shape.
    const sd = variance > FLAT * FLAT ? Math.sqrt(variance) : 1;
    const mu = mean + offset;

    // LB_Kim: the first and the last points are aligned with each other by every path.
    const d0 = (series[start]! - mu) / sd - q[0]!;
    const d1 = (series[start + n - 1]! - mu) / sd - q[n - 1]!;
    const kim = n === 1 ? d0 * d0 : d0 * d0 + d1 * d1;
    if (kim > best * best) continue;
    if (lbKeogh(series, env, best, start, mu, sd) > best) continue;
    for (let i = 0; i < n; i++) scratch[i] = (series[start + i]! - mu) / sd;
    const d = dtw(q, scratch, { band, bestSoFar: best });
    if (d < best) {
      best = d;
      bestIndex = start;
    }
  }
  return { index: bestIndex, distance: best };
}
