import { predictionError } from './prediction-error.js';
import { seededRandom } from './prng.js';
import { phaseRandomisedSurrogate } from './surrogates.js';

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
}

/** Required z on top of the rank test, so that chance (5 % of linear noise) is not called chaos. */
const MIN_Z = 3;

/**
 * Tests the null hypothesis "a linear Gaussian process, observed as is" with
 * phase-randomised surrogates and nonlinear prediction error as the statistic. The data
 * are truncated to a power of two; the end-to-start jump is reduced by picking the start
 * offset whose first and last values match best (Theiler's end-matching advice).
 */
export function surrogateTest(x: ArrayLike<number>, options: SurrogateTestOptions): SurrogateTestResult {
  let size = 1;
  while (size * 2 <= Math.min(x.length, options.maxSamples ?? 4096)) size *= 2;
  let start = 0;
  let bestJump = Infinity;
  for (let s = 0; s + size <= x.length && s < 512; s++) {
    const jump = Math.abs(x[s]! - x[s + size - 1]!);
    if (jump < bestJump) {
      bestJump = jump;
      start = s;
    }
  }
  const data = Float64Array.from({ length: size }, (_, i) => x[start + i]!);
  const { m, tau, theiler } = options;
  const horizon = Math.max(1, tau);
  const original = predictionError(data, m, tau, horizon, theiler);
  const rnd = seededRandom(options.seed ?? 0x5eed);
  const count = options.count ?? 19;
  const errors: number[] = [];
  for (let k = 0; k < count; k++) errors.push(predictionError(phaseRandomisedSurrogate(data, rnd), m, tau, horizon, theiler));
  const mean = errors.reduce((a, b) => a + b, 0) / count;
  const sd = Math.sqrt(errors.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, count - 1));
  const z = sd > 0 ? (mean - original) / sd : mean > original ? Infinity : 0;
  const deterministic = errors.every((e) => e > original) && z >= MIN_Z;
  return { original, surrogateMean: mean, surrogateSd: sd, z, deterministic };
}
