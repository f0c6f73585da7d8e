import { fft } from './fft.js';
import type { Random } from './prng.js';

/**
 * Phase-randomised surrogate (Theiler et al. 1992): the same power spectrum (hence the same
 * autocorrelation) with uniformly random Fourier phases, i.e. a realisation of the linear
 * Gaussian process the data would be if they were "just coloured noise". The length must
 * be a power of two (callers truncate).
 */
export function phaseRandomisedSurrogate(x: ArrayLike<number>, rnd: Random): Float64Array {
  const n = x.length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) re[i] = x[i]!;
  fft(re, im);
  const half = n >> 1;
  for (let k = 1; k < half; k++) {
    const amp = Math.hypot(re[k]!, im[k]!);
    const phi = 2 * Math.PI * rnd.next();
    re[k] = amp * Math.cos(phi);
    im[k] = amp * Math.sin(phi);
    // Hermitian symmetry keeps the inverse transform real.
    re[n - k] = re[k]!;
    im[n - k] = -im[k]!;
  }
  fft(re, im, true);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = re[i]! / n;
  return out;
}
