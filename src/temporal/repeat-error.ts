/**
 * How well a series repeats itself after `period` samples (fractional periods are read
 * by linear interpolation): RMS of x(t + T) − x(t), divided by √2·sd so that unrelated
 * values score about 1 and an exact repetition 0. Additive noise of relative size ε
 * scores about ε.
 */
export function repeatError(x: ArrayLike<number>, period: number): number {
  const n = x.length;
  const k = Math.floor(period);
  const frac = period - k;
  if (!(period > 0) || k + 1 >= n) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (x[i]! - mean) ** 2;
  variance /= n;
  if (!(variance > 0)) return 0;
  let se = 0;
  let count = 0;
  for (let i = 0; i + k + 1 < n; i++) {
    const later = x[i + k]! * (1 - frac) + x[i + k + 1]! * frac;
    se += (later - x[i]!) ** 2;
    count += 1;
  }
  return Math.sqrt(se / count / (2 * variance));
}
