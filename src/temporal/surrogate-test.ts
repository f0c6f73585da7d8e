import { predictionError } from './prediction-error.js';
import { seededRandom } from './prng.js';
import { gaussianise, iaaftSurrogate, phaseRandomisedSurrogate } from './surrogates.js';

export interface SurrogateTestResult {
  /** Prediction error of the data. */
  original: number;
  /** Mean and standard deviation of the surrogates' errors. */
  surrogateMean: number;
  surrogateSd: number;
  /** (surrogateMean − original) / surrogateSd: how many sds more predictable the data are. */
  z: number;
  /** True when the data beat every surrogate by a clear margin: nonlinear determinism. */
  deterministic: boolean;
}

export interface SurrogateTestOptions {
  m: number;
  tau: number;
  theiler: number;
  /** Number of surrogates (default 19: rank test at α = 0.05, Theiler et al. 1992). */
  count?: number;
  seed?: number;
  /** Use at most this many samples (a power of two; default 4096). */
  maxSamples?: number;
  /**
   * Surrogate kind (default 'iaaft'): amplitude-adjusted surrogates keep the data's value
   * distribution as well as its spectrum; 'phase' (plain phase randomisation) makes Gaussian
   * surrogates, against which any non-Gaussian noise looks "deterministic".
   */
  kind?: 'iaaft' | 'phase';
  /** Dominant period in samples, if any: the window then spans a whole number of periods. */
  period?: number;
}

/** Fewest whole periods in the window for the period to shape it. */
const MIN_PERIODS = 4;

/** Required z on top of the rank test, so that chance (5 % of linear noise) is not called chaos. */
const MIN_Z = 3;

/**
 * Tests the null hypothesis "a linear Gaussian process, observed through a static monotone
 * function" with IAAFT surrogates (Schreiber & Schmitz 1996) and nonlinear prediction error
 * as the statistic, computed on the Gaussianised data (ranks → normal quantiles: the same
 * test, but spikes do not dominate the error and IAAFT matches the spectrum closely).
 *
 * The FFT needs a power of two, and a window that does not wrap around smoothly leaks an
 * oscillation's power into neighbouring frequencies, whose randomised phases then make the
 * surrogates' cycles drift — a noisy cycle would beat them and pass for chaos. So with a
 * dominant `period`, the window spans a whole number of periods and is resampled (linear
 * interpolation) onto the nearest power of two; otherwise the data are truncated to a power
 * of two, starting where the first and last values match best (Theiler's end-matching).
 */
export function surrogateTest(x: ArrayLike<number>, options: SurrogateTestOptions): SurrogateTestResult {
  const limit = Math.min(x.length, options.maxSamples ?? 4096);
  const period = options.period;
  let window: Float64Array;
  let scale = 1;
  if (period !== undefined && period >= 2 && Math.floor((limit - 1) / period) >= MIN_PERIODS) {
    const span = Math.floor((limit - 1) / period) * period;
    const size = 2 ** Math.round(Math.log2(span));
    scale = size / span;
    window = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const t = i / scale;
      const k = Math.min(Math.floor(t), x.length - 2);
      const f = t - k;
      window[i] = x[k]! * (1 - f) + x[k + 1]! * f;
    }
  } else {
    let size = 1;
    while (size * 2 <= limit) size *= 2;
    let start = 0;
    let bestJump = Infinity;
    for (let s = 0; s + size <= x.length && s < 512; s++) {
      const jump = Math.abs(x[s]! - x[s + size - 1]!);
      if (jump < bestJump) {
        bestJump = jump;
        start = s;
      }
    }
    window = Float64Array.from({ length: size }, (_, i) => x[start + i]!);
  }
  const data = options.kind === 'phase' ? window : gaussianise(window);
  const m = options.m;
  const tau = Math.max(1, Math.round(options.tau * scale));
  const theiler = Math.round(options.theiler * scale);
  const horizon = tau;
  const original = predictionError(data, m, tau, horizon, theiler);
  const rnd = seededRandom(options.seed ?? 0x5eed);
  const count = options.count ?? 19;
  const errors: number[] = [];
  const make = options.kind === 'phase' ? phaseRandomisedSurrogate : iaaftSurrogate;
  for (let k = 0; k < count; k++) errors.push(predictionError(make(data, rnd), m, tau, horizon, theiler));
  const mean = errors.reduce((a, b) => a + b, 0) / count;
  const sd = Math.sqrt(errors.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, count - 1));
  const z = sd > 0 ? (mean - original) / sd : mean > original ? Infinity : 0;
  const deterministic = errors.every((e) => e > original) && z >= MIN_Z;
  return { original, surrogateMean: mean, surrogateSd: sd, z, deterministic };
}
