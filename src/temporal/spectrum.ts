import { fft, nextPowerOfTwo } from './fft.js';

/**
 * One-sided periodogram of the mean-removed, Hann-windowed series, zero-padded to a power
 * of two (at least twice the length, so peaks are located between original bins).
 * `power[k]` belongs to frequency k / size cycles per sample.
 */
export interface Spectrum {
  power: Float64Array;
  /** FFT length (bins are 1/size cycles per sample apart). */
  size: number;
  /** Bins per original-resolution bin (zero-padding factor). */
  pad: number;
}

export function powerSpectrum(x: ArrayLike<number>, minPad = 2): Spectrum {
  const n = x.length;
  const size = nextPowerOfTwo(n * minPad);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  for (let i = 0; i < n; i++) re[i] = (x[i]! - mean) * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / Math.max(1, n - 1)));
  fft(re, im);
  const half = size >> 1;
  const power = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) power[k] = re[k]! * re[k]! + im[k]! * im[k]!;
  return { power, size, pad: size / n };
}

/** Mean frequency Σ f·P / Σ P in cycles per sample (DC excluded). */
export function meanFrequency(s: Spectrum): number {
  let num = 0;
  let den = 0;
  for (let k = 1; k < s.power.length; k++) {
    num += (k / s.size) * s.power[k]!;
    den += s.power[k]!;
  }
  return den > 0 ? num / den : 0;
}

export interface SpectralPeak {
  /** Cycles per sample, refined by parabolic interpolation of the log power. */
  freq: number;
  /** Fraction of the total power in the peak's band (the Hann main lobe). */
  share: number;
}

/**
 * Local maxima of the spectrum, strongest first, each with the power share of its main
 * lobe (±2 original-resolution bins). Bands never overlap: a peak inside a stronger one's
 * band is skipped.
 */
export function spectralPeaks(s: Spectrum, maxPeaks = 16): SpectralPeak[] {
  const p = s.power;
  let total = 0;
  for (let k = 1; k < p.length; k++) total += p[k]!;
  if (!(total > 0)) return [];
  const lobe = Math.ceil(2 * s.pad);
  const candidates: number[] = [];
  for (let k = 1; k < p.length; k++) if (p[k]! >= (p[k - 1] ?? 0) && p[k]! > (p[k + 1] ?? 0)) candidates.push(k);
  candidates.sort((a, b) => p[b]! - p[a]!);
  const taken = new Uint8Array(p.length);
  const peaks: SpectralPeak[] = [];
  for (const k of candidates) {
    if (peaks.length >= maxPeaks) break;
    if (taken[k]) continue;
    let band = 0;
    for (let j = Math.max(1, k - lobe); j <= Math.min(p.length - 1, k + lobe); j++) {
      if (!taken[j]) band += p[j]!;
      taken[j] = 1;
    }
    const l = Math.log(p[k - 1]! + 1e-300);
    const c = Math.log(p[k]! + 1e-300);
    const r = Math.log((p[k + 1] ?? p[k - 1]!) + 1e-300);
    const den = l - 2 * c + r;
    const shift = den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (l - r)) / den)) : 0;
    peaks.push({ freq: (k + shift) / s.size, share: band / total });
  }
  return peaks;
}
