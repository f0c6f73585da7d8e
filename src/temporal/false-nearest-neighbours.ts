import { delayEmbed } from './delay-embedding.js';
import { KdTree } from './kd-tree.js';

export interface FnnOptions {
  /** Kennel's distance-ratio threshold R_tol (default 15). */
  rtol?: number;
  /** Kennel's attractor-size threshold A_tol (default 2). */
  atol?: number;
  /** Temporal neighbours excluded from the search (default τ). */
  theiler?: number;
  /** Use at most this many points, for speed on long series (default 4000). */
  maxPoints?: number;
}

/**
 * Fraction of false nearest neighbours for m = 1 … maxDim (index m − 1), after Kennel,
 * Brown & Abarbanel (1992): a neighbour in m dimensions is false when adding the (m+1)-th
 * coordinate moves it much further away (criterion 1) or to attractor-size distance
 * (criterion 2, which keeps noise from looking low-dimensional).
 */
export function falseNearestFractions(x: ArrayLike<number>, tau: number, maxDim: number, options: FnnOptions = {}): Float64Array {
  const out = new Float64Array(maxDim);
  for (let m = 1; m <= maxDim; m++) out[m - 1] = fnnFraction(x, tau, m, options);
  return out;
}

/** The false-neighbour fraction for one dimension m (NaN when the series is too short). */
export function fnnFraction(x: ArrayLike<number>, tau: number, m: number, options: FnnOptions = {}): number {
  const rtol = options.rtol ?? 15;
  const atol = options.atol ?? 2;
  const w = options.theiler ?? tau;
  const n = Math.min(x.length, options.maxPoints ?? 4000);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i]! - mean) ** 2;
  const ra = Math.sqrt(ss / n);
  // Points that also have the (m+1)-th coordinate.
  const count = n - m * tau;
  if (count < 10) return NaN;
  const pts = delayEmbed(x, m, tau, count);
  const tree = new KdTree(pts, m, count);
  let falseCount = 0;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const d2 = tree.nearest(i, w);
    const j = tree.lastIndex;
    if (j < 0 || d2 === 0) continue;
    const extra = Math.abs(x[i + m * tau]! - x[j + m * tau]!);
    total += 1;
    if (extra / Math.sqrt(d2) > rtol || Math.sqrt(d2 + extra * extra) / ra > atol) falseCount += 1;
  }
  return total === 0 ? NaN : falseCount / total;
}

/**
 * Embedding dimension: the smallest m whose false-neighbour fraction is below `threshold`
 * (default 1 %); for data that never get there (noise), the m with the lowest fraction.
 */
export function dimensionFromFnn(x: ArrayLike<number>, tau: number, maxDim = 10, threshold = 0.01, options: FnnOptions = {}): number {
  let bestM = 1;
  let bestF = Infinity;
  for (let m = 1; m <= maxDim; m++) {
    const v = fnnFraction(x, tau, m, options);
    if (Number.isNaN(v)) break;
    if (v < threshold) return m;
    if (v < bestF) {
      bestF = v;
      bestM = m;
    } else if (m >= bestM + 2) break; // rising again for two dimensions: past the minimum
  }
  return bestM;
}
