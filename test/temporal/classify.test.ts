import { describe, expect, it } from 'vitest';
import {
  ar1, classifyAttractor, dampedOscillator, henonMap, logisticMap, lorenz, rossler, sines, whiteNoise,
} from '../../src/temporal/index.js';

describe('attractor classification', () => {
  it('calls the logistic and Hénon maps chaotic', () => {
    expect(classifyAttractor(logisticMap(4000)).class).toBe('chaotic');
    expect(classifyAttractor(henonMap(4000)).class).toBe('chaotic');
  });

  it('calls the Lorenz and Rössler flows chaotic', () => {
    expect(classifyAttractor(lorenz(8000, 0.01), { dt: 0.01 }).class).toBe('chaotic');
    const r = classifyAttractor(rossler(8000, 0.1), { dt: 0.1 });
    expect(r.class).toBe('chaotic');
    expect(r.evidence.surrogate?.deterministic).toBe(true);
  });

  it('calls white and AR(1) noise stochastic, though their Rosenstein λ is positive', () => {
    for (const [name, x] of [['white', whiteNoise(4000, 1)], ['white', whiteNoise(4000, 2)], ['ar1 0.9', ar1(4000, 0.9, 3)], ['ar1 0.5', ar1(4000, 0.5, 4)]] as const) {
      const c = classifyAttractor(x);
      expect(c.class, name).toBe('stochastic');
      expect(c.lambda!, name).toBeGreaterThan(0);
      expect(c.evidence.surrogate?.deterministic, name).toBe(false);
    }
  });

  it('calls a sine periodic and reports its period in time units', () => {
    const c = classifyAttractor(sines(4000, 0.01, [{ freq: 1.3 }]), { dt: 0.01 });
    expect(c.class).toBe('periodic');
    expect(c.period!).toBeCloseTo(1 / 1.3, 2);
  });

  it('calls a sine with 5 % additive noise periodic, and a noisy cycle does not become chaos', () => {
    const x = sines(4000, 0.01, [{ freq: 1.3 }]);
    const noise = whiteNoise(4000, 8);
    const c = classifyAttractor(x.map((v, i) => v + 0.05 * Math.SQRT1_2 * noise[i]!), { dt: 0.01 });
    expect(c.class).toBe('periodic');
    expect(c.period!).toBeCloseTo(1 / 1.3, 2);
  });

  it('does not take the Rössler flow\'s near-repetition after three loops for a period', () => {
    for (const [n, dt] of [[2048, 0.05], [4000, 0.05], [1024, 0.2], [10_000, 0.2]] as const) {
      expect(classifyAttractor(rossler(n, dt), { dt }).class, `n ${n} dt ${dt}`).toBe('chaotic');
    }
  });

  it('calls a sine with harmonics and a period-4 logistic orbit periodic', () => {
    const h = classifyAttractor(sines(4000, 0.01, [{ freq: 2 }, { freq: 4, amp: 0.5 }, { freq: 6, amp: 0.2 }]), { dt: 0.01 });
    expect(h.class).toBe('periodic');
    expect(h.period!).toBeCloseTo(0.5, 2);
    const p4 = classifyAttractor(logisticMap(2000, 3.5));
    expect(p4.class).toBe('periodic');
    expect(p4.period!).toBeCloseTo(4, 1);
  });

  it('calls sums of incommensurate sines quasiperiodic', () => {
    const two = sines(4000, 0.05, [{ freq: 1 }, { freq: Math.SQRT2, amp: 0.7 }]);
    expect(classifyAttractor(two, { dt: 0.05 }).class).toBe('quasiperiodic');
    const three = sines(8000, 0.05, [{ freq: 0.5 }, { freq: 0.5 * Math.SQRT2, amp: 0.7 }, { freq: 0.5 * Math.sqrt(3), amp: 0.5 }]);
    expect(classifyAttractor(three, { dt: 0.05 }).class).toBe('quasiperiodic');
  });

  it('calls a damped oscillator and a constant fixed', () => {
    expect(classifyAttractor(dampedOscillator(4000, 0.01)).class).toBe('fixed');
    expect(classifyAttractor(new Float64Array(500).fill(3)).class).toBe('fixed');
  });

  it('is deterministic and gives a confidence in [0, 1]', () => {
    const x = ar1(2000, 0.7, 5);
    const a = classifyAttractor(x);
    const b = classifyAttractor(x);
    expect(a.confidence).toBe(b.confidence);
    expect(a.confidence).toBeGreaterThanOrEqual(0);
    expect(a.confidence).toBeLessThanOrEqual(1);
  });
});
