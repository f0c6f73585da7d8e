/** Sample autocorrelation r(lag) for lag = 0 … maxLag (biased estimator, r(0) = 1). */
export function autocorrelation(x: ArrayLike<number>, maxLag: number): Float64Array {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let c0 = 0;
  for (let i = 0; i < n; i++) c0 += (x[i]! - mean) ** 2;
  const out = new Float64Array(Math.min(maxLag, n - 1) + 1);
  for (let lag = 0; lag < out.length; lag++) {
    let c = 0;
    for (let i = 0; i + lag < n; i++) c += (x[i]! - mean) * (x[i + lag]! - mean);
    out[lag] = c0 > 0 ? c / c0 : 0;
  }
  return out;
}

/** First lag at which the autocorrelation falls below 1/e (maxLag if it never does). */
export function decorrelationLag(x: ArrayLike<number>, maxLag: number): number {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let c0 = 0;
  for (let i = 0; i < n; i++) c0 += (x[i]! - mean) ** 2;
  if (!(c0 > 0)) return 1;
  const last = Math.min(maxLag, n - 1);
  // Lag by lag, stopping at the answer: usually a few lags, not maxLag.
  for (let lag = 1; lag <= last; lag++) {
    let c = 0;
    for (let i = 0; i + lag < n; i++) c += (x[i]! - mean) * (x[i + lag]! - mean);
    if (c / c0 < 1 / Math.E) return lag;
  }
  return Math.max(1, last);
}
