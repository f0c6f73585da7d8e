import { describe, expect, it } from 'vitest';
import { ar1, classifyAttractor, gaussianise, iaaftSurrogate, seededRandom } from '../../src/temporal/index.js';
import { fft } from '../../src/temporal/fft.js';

function powerOf(x: Float64Array): Float64Array {
  const re = Float64Array.from(x);
  const im = new Float64Array(x.length);
  fft(re, im);
  return re.map((r, k) => r * r + im[k]! * im[k]!);
}

describe('IAAFT surrogates (Schreiber & Schmitz 1996)', () => {
  it('keep the values exactly and the power spectrum closely, and are seeded', () => {
    const x = ar1(512, 0.9, 11).map(Math.exp);
    const s = iaaftSurrogate(x, seededRandom(1));
    expect(Float64Array.from(s).sort()).toEqual(Float64Array.from(x).sort());
    expect(s).not.toEqual(x);
    const p = powerOf(x);
    const q = powerOf(s);
    let diff = 0;
    let total = 0;
    for (let k = 1; k < 256; k++) {
      diff += Math.abs(p[k]! - q[k]!);
      total += p[k]!;
    }
    expect(diff / total).toBeLessThan(0.35);
    expect(iaaftSurrogate(x, seededRandom(1))).toEqual(s);
  });

  it('gaussianise maps values by rank onto normal quantiles', () => {
    const g = gaussianise(Float64Array.from([3, 100, -1, 7]));
    expect(g[2]!).toBeLessThan(g[0]!);
    expect(g[0]!).toBeLessThan(g[3]!);
    expect(g[3]!).toBeLessThan(g[1]!);
    expect(g[0]! + g[3]!).toBeCloseTo(0, 9);
    expect(g[1]!).toBeCloseTo(1.1503, 3); // Φ⁻¹(7/8)
  });
});

// Each of these was called chaotic (often with high confidence) against Gaussian
// phase-randomised surrogates: non-Gaussian values, not dynamics, made them "predictable".
describe('non-Gaussian noise is not chaos', () => {
  const dt = 1 / 30;

  it('calls a static monotone nonlinear transform of AR(1) noise stochastic', () => {
    for (const [name, x] of [
      ['exp, seed 1', ar1(512, 0.9, 1).map(Math.exp)],
      ['exp, seed 4', ar1(512, 0.9, 4).map(Math.exp)],
      ['cube, seed 1', ar1(512, 0.9, 1).map((v) => v ** 3)],
      ['exp φ 0.5, seed 2', ar1(512, 0.5, 2).map(Math.exp)],
    ] as const) {
      const c = classifyAttractor(x, { dt });
      expect(c.class, name).toBe('stochastic');
      expect(c.evidence.surrogate?.deterministic, name).toBe(false);
    }
  });

  it('calls a spiky positive series (|AR(1)|, AR(1)²) stochastic', () => {
    for (const [name, x] of [
      ['abs, seed 9', ar1(512, 0.9, 9).map(Math.abs)],
      ['square, seed 9', ar1(512, 0.9, 9).map((v) => v * v)],
    ] as const) {
      expect(classifyAttractor(x, { dt }).class, name).toBe('stochastic');
    }
  });
});

describe('a noisy cycle is not chaos', () => {
  const dt = 1 / 30;
  const noisySine = (amp: number, seed: number, n = 512): Float64Array => {
    const rnd = seededRandom(seed);
    return Float64Array.from({ length: n }, (_, i) => Math.sin(i / 5) + amp * rnd.next());
  };

  it('calls sin(i/5) + 30 % uniform noise (512 samples, dt 1/30) periodic, with its period', () => {
    for (const seed of [1, 2, 4, 5]) {
      const c = classifyAttractor(noisySine(0.3, seed), { dt });
      expect(c.class, `seed ${seed}`).toBe('periodic');
      expect(c.period!, `seed ${seed}`).toBeCloseTo(2 * Math.PI * 5 * dt, 1);
    }
  });

  it('calls a sine buried in more noise periodic or stochastic, never chaotic', () => {
    for (const [amp, seed] of [[0.6, 101], [1, 7], [1, 14], [2, 21]] as const) {
      expect(classifyAttractor(noisySine(amp, seed), { dt }).class, `amp ${amp} seed ${seed}`).not.toBe('chaotic');
    }
  });
});
