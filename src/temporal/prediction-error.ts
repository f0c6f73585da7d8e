import { delayEmbed } from './delay-embedding.js';
import { KdTree } from './kd-tree.js';

/**
 * Normalised error of the simplest nonlinear predictor (Lorenz's method of analogues;
 * Sugihara & May 1990): x[i + (m−1)τ + h] is predicted by what followed the nearest
 * neighbour of point i in the delay embedding. Deterministic dynamics predict well; noise,
 * and a linear process with the same spectrum, do not. RMS error / standard deviation.
 */
export function predictionError(x: ArrayLike<number>, m: number, tau: number, horizon: number, theiler: number): number {
  const n = x.length;
  const lead = (m - 1) * tau;
  const count = n - lead - horizon;
  if (count < 10) return NaN;
  const pts = delayEmbed(x, m, tau, count);
  const tree = new KdTree(pts, m, count);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (x[i]! - mean) ** 2;
  variance /= n;
  let se = 0;
  let used = 0;
  for (let i = 0; i < count; i++) {
    tree.nearest(i, theiler);
    const j = tree.lastIndex;
    if (j < 0) continue;
    const e = x[i + lead + horizon]! - x[j + lead + horizon]!;
    se += e * e;
    used += 1;
  }
  return used > 0 && variance > 0 ? Math.sqrt(se / used / variance) : NaN;
}
