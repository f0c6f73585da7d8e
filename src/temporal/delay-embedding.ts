/**
 * Delay-coordinate embedding (Takens 1981): point i is (x[i], x[i+τ], …, x[i+(m−1)τ]),
 * row-major in one Float64Array. `count` limits the number of points (default: all that fit).
 */
export function delayEmbed(x: ArrayLike<number>, m: number, tau: number, count?: number): Float64Array {
  const fit = x.length - (m - 1) * tau;
  const points = Math.max(0, Math.min(count ?? fit, fit));
  const out = new Float64Array(points * m);
  for (let i = 0; i < points; i++) for (let k = 0; k < m; k++) out[i * m + k] = x[i + k * tau]!;
  return out;
}
