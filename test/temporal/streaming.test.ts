import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  logisticMap, RunningStats, SlidingAttractor, SlidingLyapunov, SlidingStats, sines, whiteNoise,
} from '../../src/temporal/index.js';

const mean = (x: ArrayLike<number>): number => Array.from(x).reduce((a, b) => a + b, 0) / x.length;
const variance = (x: ArrayLike<number>): number => {
  const m = mean(x);
  return Array.from(x).reduce((a, b) => a + (b - m) ** 2, 0) / x.length;
};

describe('running and sliding statistics', () => {
  it('RunningStats matches the two-pass mean and variance', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 200 }), (x) => {
        const s = new RunningStats();
        for (const v of x) s.push(v);
        return Math.abs(s.mean - mean(x)) <= 1e-9 * 1e3 && Math.abs(s.variance - variance(x)) <= 1e-7 * (1 + variance(x));
      }),
    );
  });

  it('SlidingStats matches the two-pass statistics of the last window', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 40 }), (x, w) => {
        const s = new SlidingStats(w);
        for (const v of x) s.push(v);
        const tail = x.slice(-w);
        return Math.abs(s.mean - mean(tail)) <= 1e-8 && Math.abs(s.variance - variance(tail)) <= 1e-6 * (1 + variance(tail)) && s.values().every((v, i) => v === tail[i]);
      }),
    );
  });
});

describe('SlidingLyapunov', () => {
  it('tracks ln 2 on the logistic map, one sample at a time', () => {
    const s = new SlidingLyapunov({ window: 2000, tau: 1, m: 1, horizon: 15, theiler: 2 });
    expect(s.result()).toBeNull();
    for (const v of logisticMap(6000)) s.push(v);
    const r = s.result()!;
    expect(Math.abs(r.lambda / Math.LN2 - 1)).toBeLessThan(0.1);
    expect(r.pairs).toBeLessThanOrEqual(2000);
  });

  it('forgets what left the window: after a switch to a sine, λ falls to about zero', () => {
    const s = new SlidingLyapunov({ window: 600, tau: 5, m: 2, horizon: 20, theiler: 10 });
    for (const v of logisticMap(3000)) s.push(v);
    expect(s.result()!.lambda).toBeGreaterThan(0.5);
    for (const v of sines(3000, 1, [{ freq: 1 / 37 }])) s.push(v);
    expect(Math.abs(s.result()!.lambda)).toBeLessThan(0.05);
  });
});

describe('SlidingAttractor', () => {
  it('reports null until the window is full, then the class of the current regime', () => {
    const a = new SlidingAttractor({ window: 512, hop: 128 });
    const chaos = logisticMap(512);
    for (let i = 0; i < 511; i++) a.push(chaos[i]!);
    expect(a.result()).toBeNull();
    a.push(chaos[511]!);
    expect(a.result()!.class).toBe('chaotic');
    for (const v of sines(512, 1, [{ freq: 1 / 16 }])) a.push(v);
    const r = a.result()!;
    expect(r.class).toBe('periodic');
    expect(r.period!).toBeCloseTo(16, 0);
  });

  it('answers from its cache within a hop, and ignores non-finite samples', () => {
    const a = new SlidingAttractor({ window: 256, hop: 64 });
    for (const v of whiteNoise(256, 4)) a.push(v);
    const first = a.result();
    a.push(NaN);
    a.push(0.5);
    expect(a.count).toBe(257);
    expect(a.result()).toBe(first);
    expect(first!.class).toBe('stochastic');
  });
});
