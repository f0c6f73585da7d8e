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

/** Most IAAFT iterations; the ranks usually stop changing well before (tens of iterations). */
export const IAAFT_MAX_ITERATIONS = 100;
/**
 * IAAFT stops when the spectrum misfit improves by less than this fraction per iteration:
 * on Gaussian-valued data that is after ~15–20 iterations, within ~5 % of the misfit at
 * full convergence (exact rank order), at a fifth of the cost.
 */
const IAAFT_TOLERANCE = 0.02;

/**
 * Iterative amplitude-adjusted Fourier transform surrogate (Schreiber & Schmitz 1996,
 * "Improved surrogate data for nonlinearity tests", PRL 77:635): the same values as the
 * data (hence the same amplitude distribution) in an order whose power spectrum matches the
 * data's. Null hypothesis: a linear Gaussian process seen through a static monotone,
 * possibly nonlinear, measurement function — so skewed, spiky or positive-only noise is not
 * mistaken for determinism, as it is against Gaussian phase-randomised surrogates.
 *
 * Starts from a random shuffle, then alternates (1) imposing the data's Fourier amplitudes,
 * keeping the phases, and (2) imposing the data's values by rank order, until the order no
 * longer changes, the spectrum misfit stops improving (< 2 % per iteration), or
 * `maxIterations`. Returns the rank-ordered series (exact values,
 * spectrum matched up to the last step's small error). The length must be a power of two.
 */
export function iaaftSurrogate(x: ArrayLike<number>, rnd: Random, maxIterations = IAAFT_MAX_ITERATIONS): Float64Array {
  const n = x.length;
  const sorted = Float64Array.from(x).sort();
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) re[i] = x[i]!;
  fft(re, im);
  const amplitude = new Float64Array(n);
  for (let k = 0; k < n; k++) amplitude[k] = Math.sqrt(re[k]! * re[k]! + im[k]! * im[k]!);

  // Random shuffle (Fisher–Yates) of the data's values.
  const out = Float64Array.from(x);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd.next() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  const order = new Uint32Array(n);
  const scratch = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let lastMisfit = Infinity;
  for (let it = 0; it < maxIterations; it++) {
    re.set(out);
    im.fill(0);
    fft(re, im);
    let misfit = 0;
    for (let k = 0; k < n; k++) {
      const a = Math.sqrt(re[k]! * re[k]! + im[k]! * im[k]!);
      misfit += (a - amplitude[k]!) ** 2;
      if (a > 0) {
        const s = amplitude[k]! / a;
        re[k] = re[k]! * s;
        im[k] = im[k]! * s;
      } else {
        re[k] = amplitude[k]!;
        im[k] = 0;
      }
    }
    fft(re, im, true);
    // Few ranks change after the first iterations: insertion sort from the last order is
    // then ~O(n); when it would do much more work, merge sort instead.
    const moved = it === 0 ? (mergeSort(order, re, scratch), true) : insertionSort(order, re, 8 * n) ?? (mergeSort(order, re, scratch), true);
    for (let r = 0; r < n; r++) out[order[r]!] = sorted[r]!;
    // Converged: the order is fixed, or the spectrum misfit improves by under IAAFT_TOLERANCE.
    if (!moved || misfit > (1 - IAAFT_TOLERANCE) * lastMisfit) break;
    lastMisfit = misfit;
  }
  return out;
}

/**
 * Sorts indices by key in place, starting from their current order, with at most `budget`
 * shifts. Returns whether any index moved, or null when over budget (order then unspecified).
 */
function insertionSort(order: Uint32Array, key: Float64Array, budget: number): boolean | null {
  let moved = false;
  let shifts = 0;
  for (let i = 1; i < order.length; i++) {
    const idx = order[i]!;
    const v = key[idx]!;
    let j = i - 1;
    while (j >= 0 && key[order[j]!]! > v) {
      order[j + 1] = order[j]!;
      j--;
    }
    if (j !== i - 1) {
      order[j + 1] = idx;
      moved = true;
      shifts += i - 1 - j;
      if (shifts > budget) return null;
    }
  }
  return moved;
}

/** Stable bottom-up merge sort of indices by key (typed-array sort with a comparator is slow). */
function mergeSort(order: Uint32Array, key: ArrayLike<number>, scratch: Uint32Array): void {
  const n = order.length;
  let src = order;
  let dst = scratch;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) dst[k++] = key[src[j]!]! < key[src[i]!]! ? src[j++]! : src[i++]!;
      while (i < mid) dst[k++] = src[i++]!;
      while (j < hi) dst[k++] = src[j++]!;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== order) order.set(src);
}

/**
 * Replaces each value by the standard normal quantile of its rank, (rank + ½) / n: a static
 * monotone map onto a Gaussian amplitude distribution (ties keep their order of appearance).
 * Under the IAAFT null hypothesis the result is a linear Gaussian process, whose spectrum
 * IAAFT matches closely; on strongly skewed data (exp of an AR process) it would not.
 */
export function gaussianise(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  mergeSort(order, x, new Uint32Array(n));
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) out[order[r]!] = normalQuantile((r + 0.5) / n);
  return out;
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    const v = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
    return p < low ? v : -v;
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
