import { describe, expect, it } from 'vitest';
import { henonMap, logisticMap, lorenz, lyapunovRosenstein, rossler } from '../../src/temporal/index.js';

/** Relative error against the literature value. */
const rel = (got: number, want: number): number => Math.abs(got / want - 1);

describe('largest Lyapunov exponent (Rosenstein)', () => {
  it('logistic map r = 4: ln 2 per step within 10 %', () => {
    const r = lyapunovRosenstein(logisticMap(5000));
    expect(rel(r.lambda, Math.LN2)).toBeLessThan(0.1);
    expect(r.lambda).toBe(r.lambdaPerStep);
    expect(r.fit.r2).toBeGreaterThan(0.95);
  });

  it('Hénon map a = 1.4, b = 0.3: 0.419 per step within 10 %', () => {
    const r = lyapunovRosenstein(henonMap(5000));
    expect(rel(r.lambda, 0.419)).toBeLessThan(0.1);
    expect(r.m).toBeGreaterThanOrEqual(2);
  });

  it('Lorenz (RK4, dt = 0.01): 0.906 per time unit within 20 %', () => {
    const dt = 0.01;
    const r = lyapunovRosenstein(lorenz(10_000, dt), { dt });
    expect(rel(r.lambda, 0.906)).toBeLessThan(0.2);
    expect(r.lambdaPerStep).toBeCloseTo(r.lambda * dt, 12);
    // The fit region is reported in time units and lies inside the curve.
    expect(r.fit.from).toBeGreaterThanOrEqual(0);
    expect(r.fit.to).toBeGreaterThan(r.fit.from);
    expect(r.fit.to).toBeLessThanOrEqual((r.divergence.length - 1) * r.divergenceStep * dt);
  });

  it('Rössler (RK4, dt = 0.1): 0.0714 per time unit within 20 %', () => {
    const dt = 0.1;
    const r = lyapunovRosenstein(rossler(20_000, dt), { dt });
    expect(rel(r.lambda, 0.0714)).toBeLessThan(0.2);
  });

  it('rejects series too short for the method', () => {
    expect(() => lyapunovRosenstein(logisticMap(50))).toThrow(RangeError);
  });
});
