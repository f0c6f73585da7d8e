import { lyapunovRosenstein, type LyapunovResult } from './rosenstein.js';
import { powerSpectrum, spectralPeaks, type SpectralPeak } from './spectrum.js';
import { surrogateTest, type SurrogateTestResult } from './surrogate-test.js';
import { repeatError } from './repeat-error.js';

export type AttractorClass = 'fixed' | 'periodic' | 'quasiperiodic' | 'chaotic' | 'stochastic';

export interface Classification {
  class: AttractorClass;
  /** Largest Lyapunov exponent per time unit (null for a constant series). */
  lambda: number | null;
  /** Period in time units, for `periodic`. */
  period?: number;
  /** 0 … 1: how clearly the evidence points to this class (see docs/temporal.md). */
  confidence: number;
  /** What the decision rested on, for display and debugging. */
  evidence: {
    /** Share of spectral power in the strongest few peaks. */
    lineShare: number;
    peaks: SpectralPeak[];
    lyapunov: LyapunovResult | null;
    surrogate: SurrogateTestResult | null;
  };
}

export interface ClassifyOptions {
  /** Sampling interval in time units (default 1). */
  dt?: number;
  /** Seed of the surrogates (default fixed, so results are reproducible). */
  seed?: number;
}

/** Fewest samples to classify (the surrogate test and Rosenstein need a few hundred). */
export const MIN_CLASSIFY_SAMPLES = 256;
/** Spectral peaks considered as "lines". */
const LINE_PEAKS = 8;
/** A line spectrum has at least this share of its power in LINE_PEAKS peaks. */
const LINE_SHARE = 0.95;
/** Above this share the spectrum is lines only, whatever a finite-data λ estimate says. */
const PURE_LINE_SHARE = 0.99;
/** Peaks below this share of the power are not components. */
const COMPONENT_SHARE = 0.01;
/** λ per mean period below this counts as "no exponential divergence". */
const NEUTRAL_LAMBDA_PER_PERIOD = 0.1;
/** Fewest cycles of a component in the series for it to count as an oscillation. */
const MIN_CYCLES = 4;
/** Largest subharmonic divisor tried for a common fundamental (period doubling, tripling…). */
const MAX_SUBHARMONIC = 4;
/** Largest repeat error (≈ relative noise level) of a periodic series. */
const MAX_REPEAT_ERROR = 0.1;
/**
 * Largest repeat error of a noisy cycle: the series repeats after the period of its
 * strongest component itself (no subharmonic) and as well after 2 and 3 periods — noise on
 * a cycle, which does not grow, unlike the separation of chaotic trajectories. Rössler's
 * one-loop repeat error is ≥ 0.4.
 */
const MAX_NOISY_REPEAT_ERROR = 0.3;
/** A noisy cycle's repeat error after 2 and 3 periods stays within this factor (+0.02). */
const NOISY_REPEAT_GROWTH = 1.15;
/** A strongest peak with this share of the power is an oscillation that sets the surrogate window. */
const OSCILLATION_SHARE = 0.2;
/** A converging series loses at least this factor of RMS from its first to last eighth. */
const CONVERGENCE = 0.05;

/**
 * Classifies the attractor behind a scalar series:
 * 1. `fixed` when the series is constant or its deviation from its final value decays
 *    (a damped oscillation spiralling into a point);
 * 2. `periodic` when the spectral components are whole multiples of one fundamental
 *    (subharmonics down to 1/4 allowed) and the series repeats after that period within
 *    ~10 % noise, or when a line spectrum (the strongest peaks hold ≥ 99 % of the power,
 *    or ≥ 95 % with λ ≈ 0) is harmonic; `quasiperiodic` when a line spectrum's components
 *    have no common fundamental;
 * 3. otherwise `chaotic` when phase-randomised surrogates are clearly less predictable than
 *    the data (nonlinear determinism) and λ > 0, else `stochastic` — so that noise, whose
 *    Rosenstein λ is positive too, is not called chaos.
 */
export function classifyAttractor(x: ArrayLike<number>, options: ClassifyOptions = {}): Classification {
  const n = x.length;
  if (n < MIN_CLASSIFY_SAMPLES) throw new RangeError(`need at least ${MIN_CLASSIFY_SAMPLES} samples, got ${n}`);
  const dt = options.dt ?? 1;
  const noEvidence = { lineShare: 0, peaks: [], lyapunov: null, surrogate: null };

  const decay = convergence(x);
  if (decay !== null) {
    // λ < 0 on the way in is further evidence; a constant has none to give.
    const lyapunov = decay < 1 || !isConstant(x) ? tryLyapunov(x, dt) : null;
    return { class: 'fixed', lambda: lyapunov?.lambda ?? null, confidence: decay, evidence: { ...noEvidence, lyapunov } };
  }

  const spectrum = powerSpectrum(x);
  const peaks = spectralPeaks(spectrum, LINE_PEAKS);
  const lineShare = peaks.reduce((s, p) => s + p.share, 0);
  const lyapunov = lyapunovRosenstein(x, { dt });
  const divergesPerPeriod = lyapunov.lambdaPerStep * lyapunov.meanPeriod;
  // Oscillations, not trends: a component needs a few cycles in the series.
  const components = peaks.filter((p) => p.share >= COMPONENT_SHARE && p.freq * n >= MIN_CYCLES);
  const fundamental = commonFundamental(components, n);

  // Periodic, first way: the components share a fundamental (subharmonics allowed) and the
  // series repeats after its period up to ~10 % noise. Stricter would miss noisy cycles;
  // looser would take Rössler's near-repetition after three loops (repeat error ≥ 0.16).
  if (fundamental !== null && fundamental * n >= MIN_CYCLES) {
    const { period, error } = refinePeriod(x, 1 / fundamental);
    if (error <= MAX_REPEAT_ERROR) {
      const evidence = { lineShare, peaks, lyapunov, surrogate: null };
      return { class: 'periodic', lambda: lyapunov.lambda, period: period * dt, confidence: Math.max(0, Math.min(1, 1 - error)), evidence };
    }
  }
  // Periodic, second way: a noisy cycle. The strongest component is the fundamental and the
  // series repeats after one, two and three of its periods equally well (noise does not grow).
  if (fundamental !== null && fundamental * n >= 3 * MIN_CYCLES && commonFundamental(components, n, 1) !== null) {
    const { period, error } = refinePeriod(x, 1 / fundamental);
    if (error <= MAX_NOISY_REPEAT_ERROR && [2, 3].every((k) => refinePeriod(x, k * period, 0.0005).error <= NOISY_REPEAT_GROWTH * error + 0.02)) {
      const evidence = { lineShare, peaks, lyapunov, surrogate: null };
      return { class: 'periodic', lambda: lyapunov.lambda, period: period * dt, confidence: Math.max(0, Math.min(1, 1 - error)), evidence };
    }
  }
  // A line spectrum: a pure one settles it; a merely strong one (a phase-coherent chaotic
  // flow like Rössler's has most power in a few peaks) must also show no divergence.
  if (components.length > 0 && (lineShare >= PURE_LINE_SHARE || (lineShare >= LINE_SHARE && divergesPerPeriod < NEUTRAL_LAMBDA_PER_PERIOD))) {
    const evidence = { lineShare, peaks, lyapunov, surrogate: null };
    const lowest = Math.min(...components.map((p) => p.freq));
    if (commonFundamental(components, n, 1) !== null) return { class: 'periodic', lambda: lyapunov.lambda, period: dt / lowest, confidence: lineShare, evidence };
    if (fundamental === null) return { class: 'quasiperiodic', lambda: lyapunov.lambda, confidence: lineShare, evidence };
    // Commensurate only through a subharmonic, yet not repeating: leave it to the surrogates.
  }

  // A clear oscillation shapes the surrogate window (whole periods: no leakage, see surrogateTest).
  const strongest = components[0];
  const cycle = strongest !== undefined && strongest.share >= OSCILLATION_SHARE ? { period: 1 / strongest.freq } : {};
  const surrogate = surrogateTest(x, { m: Math.max(2, lyapunov.m), tau: lyapunov.tau, theiler: lyapunov.theiler, seed: options.seed ?? 0x5eed, ...cycle });
  const evidence = { lineShare, peaks, lyapunov, surrogate };
  // Confidence grows with the surrogate z-score: 3 sds is the decision line, 10 is certain.
  const strength = Math.max(0, Math.min(1, surrogate.z / 10));
  if (surrogate.deterministic && lyapunov.lambda > 0) return { class: 'chaotic', lambda: lyapunov.lambda, confidence: Math.max(0.5, strength), evidence };
  return { class: 'stochastic', lambda: lyapunov.lambda, confidence: Math.max(0.5, 1 - strength), evidence };
}

/**
 * Returns a confidence in [0, 1] when x settles onto a point, else null: the RMS deviation
 * from the final value falls from the first to the last eighth by at least CONVERGENCE,
 * and never rises much from one eighth to the next on the way down.
 */
function convergence(x: ArrayLike<number>): number | null {
  const n = x.length;
  const seg = Math.floor(n / 8);
  let tail = 0;
  const tailLen = Math.max(1, Math.floor(n / 20));
  for (let i = n - tailLen; i < n; i++) tail += x[i]!;
  tail /= tailLen;
  const rms: number[] = [];
  for (let s = 0; s < 8; s++) {
    let ss = 0;
    for (let i = s * seg; i < (s + 1) * seg; i++) ss += (x[i]! - tail) ** 2;
    rms.push(Math.sqrt(ss / seg));
  }
  const first = rms[0]!;
  const last = rms[7]!;
  if (first === 0) return 1; // constant
  if (!(last <= CONVERGENCE * first)) return null;
  for (let s = 1; s < 8; s++) if (rms[s]! > 1.2 * rms[s - 1]! + 1e-12 * first) return null;
  return Math.min(1, 1 - last / first);
}

function isConstant(x: ArrayLike<number>): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
}

function tryLyapunov(x: ArrayLike<number>, dt: number): LyapunovResult | null {
  try {
    return lyapunovRosenstein(x, { dt });
  } catch (err) {
    if (err instanceof RangeError) return null;
    throw err;
  }
}

/**
 * The common fundamental of the components (cycles per sample): the lowest frequency
 * divided by the smallest q ≤ MAX_SUBHARMONIC of which every component is a whole multiple
 * within the spectral resolution; null when there is none (incommensurate frequencies).
 */
function commonFundamental(components: readonly SpectralPeak[], n: number, maxDivisor = MAX_SUBHARMONIC): number | null {
  if (components.length === 0) return null;
  const lowest = Math.min(...components.map((p) => p.freq));
  const resolution = 2 / n;
  for (let q = 1; q <= maxDivisor; q++) {
    const f0 = lowest / q;
    const ok = components.every((p) => {
      const ratio = p.freq / f0;
      return Math.abs(ratio - Math.round(ratio)) * f0 <= resolution + 0.01 * p.freq;
    });
    if (ok) return f0;
  }
  return null;
}

/**
 * The spectral period is only as precise as the spectrum's resolution; a small error
 * shifts sharp edges (a square wave) and inflates the repeat error. Tries ±2 % around it
 * in 0.1 % steps, and the nearest whole number of samples.
 */
function refinePeriod(x: ArrayLike<number>, estimate: number, step = 0.001): { period: number; error: number } {
  let best = { period: estimate, error: repeatError(x, estimate) };
  const candidates = [Math.round(estimate)];
  for (let k = -20; k <= 20; k++) if (k !== 0) candidates.push(estimate * (1 + k * step));
  for (const period of candidates) {
    const error = repeatError(x, period);
    if (error < best.error) best = { period, error };
  }
  return best;
}
