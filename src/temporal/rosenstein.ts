import { delayEmbed } from './delay-embedding.js';
import { chooseDelay } from './embedding.js';
import { dimensionFromFnn } from './false-nearest-neighbours.js';
import { KdTree } from './kd-tree.js';
import { meanFrequency, powerSpectrum } from './spectrum.js';
import { chooseFitRegion } from './fit-region.js';

export interface LyapunovOptions {
  /** Sampling interval in time units (default 1: λ per sample). */
  dt?: number;
  /** Embedding delay in samples (default: first AMI minimum). */
  tau?: number;
  /** Embedding dimension (default: false nearest neighbours). */
  m?: number;
  /** Minimum temporal separation of neighbours in samples (default: the mean period). */
  theiler?: number;
  /** Length of the divergence curve in samples (default: 12 mean periods). */
  maxSteps?: number;
  /** Follow at most this many reference trajectories, evenly spread (default 2000). */
  maxReferences?: number;
}

export interface LyapunovResult {
  /** Largest Lyapunov exponent per time unit (lambdaPerStep / dt). */
  lambda: number;
  lambdaPerStep: number;
  tau: number;
  m: number;
  theiler: number;
  /** Mean period of the series in samples (1 / mean frequency of the power spectrum). */
  meanPeriod: number;
  /** The fitted region of the divergence curve, in time units, and the fit's r². */
  fit: { from: number; to: number; r2: number };
  /** ⟨ln d⟩ after k·divergenceStep samples, k = 0, 1, …: the divergence curve. */
  divergence: Float64Array;
  /** Samples between points of `divergence` (long curves of smooth flows are thinned). */
  divergenceStep: number;
  /** Samples used. */
  n: number;
}

/** Smallest series the estimate accepts; below this the neighbours are not neighbours. */
export const MIN_LYAPUNOV_SAMPLES = 200;

/**
 * Largest Lyapunov exponent by Rosenstein, Collins & De Luca (1993), "A practical method
 * for calculating largest Lyapunov exponents from small data sets": in the delay embedding
 * each point's nearest neighbour (outside the Theiler window) is followed forward; the
 * slope of the average log distance over time, on its linear region, is λ.
 */
export function lyapunovRosenstein(x: ArrayLike<number>, options: LyapunovOptions = {}): LyapunovResult {
  const n = x.length;
  if (n < MIN_LYAPUNOV_SAMPLES) throw new RangeError(`need at least ${MIN_LYAPUNOV_SAMPLES} samples, got ${n}`);
  const dt = options.dt ?? 1;
  const tau = options.tau ?? chooseDelay(x);
  const m = options.m ?? dimensionFromFnn(x, tau);
  const meanPeriod = Math.max(1, Math.round(1 / Math.max(meanFrequency(powerSpectrum(x)), 1e-9)));
  const count = n - (m - 1) * tau;
  // Mean period, as Rosenstein advises, but leaving at least half the points as candidates
  // (a slow drift has a "period" as long as the series).
  const theiler = options.theiler ?? Math.max(tau, Math.min(meanPeriod, Math.floor(count / 4)));
  const maxSteps = Math.max(8, Math.min(options.maxSteps ?? 12 * meanPeriod, Math.floor(count / 4)));
  if (count < 2 * theiler + 20) throw new RangeError(`series too short for m=${m}, tau=${tau}: ${n} samples`);

  const pts = delayEmbed(x, m, tau, count);
  const tree = new KdTree(pts, m, count);
  // Distances at rounding level are not a separation: a series that repeats exactly (a sine
  // whose period is a whole number of samples) would otherwise "diverge" from 1e-16 upward.
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (x[i]! - mean) ** 2;
  const floor = (1e-9 * 1e-9 * variance) / n;
  // A flow sampled finely has a smooth curve hundreds of steps long; ~200 points of it fit
  // the same slope at a fraction of the logarithms.
  const step = Math.max(1, Math.floor(maxSteps / 200));
  const points = Math.floor(maxSteps / step) + 1;
  const sum = new Float64Array(points);
  const cnt = new Float64Array(points);
  // Averaging over a couple of thousand reference trajectories is already smooth; more only costs.
  const stride = Math.max(1, count / (options.maxReferences ?? 2000));
  for (let r = 0; r < count; r += stride) {
    const i = Math.floor(r);
    tree.nearest(i, theiler);
    const j = tree.lastIndex;
    if (j < 0) continue;
    const last = Math.min(points - 1, Math.floor((count - 1 - Math.max(i, j)) / step));
    for (let p = 0; p <= last; p++) {
      const a = (i + p * step) * m;
      const b = (j + p * step) * m;
      let s = 0;
      for (let c = 0; c < m; c++) {
        const t = pts[a + c]! - pts[b + c]!;
        s += t * t;
      }
      sum[p]! += 0.5 * Math.log(s > floor ? s : floor);
      cnt[p]! += 1;
    }
  }
  const divergence = new Float64Array(points);
  for (let p = 0; p < points; p++) divergence[p] = cnt[p]! > 0 ? sum[p]! / cnt[p]! : NaN;
  const fit = chooseFitRegion(divergence);
  const lambdaPerStep = fit.slope / step;
  return {
    lambda: lambdaPerStep / dt,
    lambdaPerStep,
    tau,
    m,
    theiler,
    meanPeriod,
    fit: { from: fit.from * step * dt, to: fit.to * step * dt, r2: fit.r2 },
    divergence,
    divergenceStep: step,
    n,
  };
}
