import { fitLine } from './linear-fit.js';

export interface FitRegion {
  /** First and last index of the fitted part of the curve. */
  from: number;
  to: number;
  slope: number;
  r2: number;
}

/** Largest max/min ratio of local slopes still called "the same slope". */
const SLOPE_RATIO = 1.35;
/** The fit stays below this fraction of the rise to the plateau (saturation bends the curve). */
const BELOW_SATURATION = 0.8;
/** A curve that grows less than this (in ln units) shows no exponential divergence. */
const MIN_RISE = 0.5;

/**
 * Picks the linear region of a Rosenstein divergence curve automatically. The curve has
 * three parts: a short transient while neighbour separations turn into the unstable
 * direction, the linear rise whose slope is λ, and saturation at the attractor's size
 * (Rosenstein et al. 1993, Fig. 3). Local slopes are taken over short segments below
 * 80 % of the rise; the fit covers the longest run of consecutive segments whose slopes
 * stay within a factor 1.35 of each other. A curve without real rise (periodic,
 * quasiperiodic, fixed) is fitted whole, which gives a slope near or below zero.
 */
export function chooseFitRegion(y: Float64Array): FitRegion {
  let last = y.length - 1;
  while (last > 0 && Number.isNaN(y[last]!)) last--;
  const whole = (from: number, to: number): FitRegion => {
    const f = fitLine(y, from, to);
    return { from, to, slope: f.slope, r2: f.r2 };
  };
  if (last < 2) return whole(0, Math.max(last, 0));
  const y0 = y[0]!;
  let top = -Infinity;
  for (let k = 0; k <= last; k++) if (y[k]! > top) top = y[k]!;
  const rise = top - y0;
  if (!(rise > MIN_RISE)) return whole(0, last);
  let end = 0;
  while (end < last && y[end + 1]! < y0 + BELOW_SATURATION * rise) end++;
  if (end < 2) return whole(0, Math.max(1, end + 1));

  const width = Math.max(1, Math.round(last / 40));
  const segments = Math.floor(end / width);
  if (segments < 2) return whole(0, end);
  const slope = new Float64Array(segments);
  for (let s = 0; s < segments; s++) slope[s] = fitLine(y, s * width, (s + 1) * width).slope;

  let bestA = 0;
  let bestB = 0;
  for (let a = 0; a < segments; a++) {
    if (!(slope[a]! > 0)) continue;
    let lo = slope[a]!;
    let hi = slope[a]!;
    let b = a;
    while (b + 1 < segments) {
      const s = slope[b + 1]!;
      if (!(s > 0) || Math.max(hi, s) > SLOPE_RATIO * Math.min(lo, s)) break;
      if (s < lo) lo = s;
      if (s > hi) hi = s;
      b++;
    }
    if (b - a > bestB - bestA) {
      bestA = a;
      bestB = b;
    }
  }
  return whole(bestA * width, (bestB + 1) * width);
}
