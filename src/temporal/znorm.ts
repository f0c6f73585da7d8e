/**
 * Z-normalisation: subtract the mean, divide by the (population) standard deviation, so
 * that shape is compared regardless of offset and scale. A constant series maps to zeros.
 */
export function zNormalize(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean;
    ss += d * d;
  }
  const sd = Math.sqrt(ss / n);
  if (!(sd > 1e-12 * (Math.abs(mean) + 1))) return out;
  for (let i = 0; i < n; i++) out[i] = (x[i]! - mean) / sd;
  return out;
}
