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
  /** Follow at most this many reference trajectories, evenly spread (default 4000). */
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
  /** ⟨ln d(k)⟩ for k = 0 … maxSteps (natural log of the mean-log distance). */
  divergence: Float64Array;
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
  const sum = new Float64Array(maxSteps + 1);
  const cnt = new Float64Array(maxSteps + 1);
  // Averaging over a few thousand reference trajectories is already smooth; more only costs.
  const stride = Math.max(1, count / (options.maxReferences ?? 4000));
  for (let r = 0; r < count; r += stride) {
    const i = Math.floor(r);
    tree.nearest(i, theiler);
    const j = tree.lastIndex;
    if (j < 0) continue;
    const last = Math.min(maxSteps, count - 1 - i, count - 1 - j);
    for (let k = 0; k <= last; k++) {
      const a = (i + k) * m;
      const b = (j + k) * m;
      let s = 0;
      for (let c = 0; c < m; c++) {
        const t = pts[a + c]! - pts[b + c]!;
        s += t * t;
      }
      sum[k]! += 0.5 * Math.log(s > floor ? s : floor);
      cnt[k]! += 1;
    }
  }
  const divergence = new Float64Array(maxSteps + 1);
  for (let k = 0; k <= maxSteps; k++) divergence[k] = cnt[k]! > 0 ? sum[k]! / cnt[k]! : NaN;
  const fit = chooseFitRegion(divergence);
  return {
    lambda: fit.slope / dt,
    lambdaPerStep: fit.slope,
    tau,
    m,
    theiler,
    meanPeriod,
    fit: { from: fit.from * dt, to: fit.to * dt, r2: fit.r2 },
    divergence,
    n,
  };
}
