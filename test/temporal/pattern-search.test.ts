import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dtw, envelope, findBestMatch, lbKeogh, PatternMatcher, seededRandom, sines, zNormalize } from '../../src/temporal/index.js';

/** Every window, z-normalised, full banded DTW, no pruning: the definition of the best match. */
function bruteForce(series: readonly number[], query: readonly number[], band: number): number {
  const q = zNormalize(query);
  let best = Infinity;
  for (let s = 0; s + query.length <= series.length; s++) {
    const win = series.slice(s, s + query.length);
    const mean = win.reduce((a, b) => a + b, 0) / win.length;
    const variance = win.reduce((a, b) => a + (b - mean) ** 2, 0) / win.length;
    const sd = variance > 1e-16 ? Math.sqrt(variance) : 1;
    best = Math.min(best, dtw(q, win.map((v) => (v - mean) / sd), { band }));
  }
  return best;
}

describe('envelope and LB_Keogh', () => {
  it('envelope is the running max/min over ±r', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 6 }), (x, r) => {
        const { upper, lower } = envelope(x, r);
        return x.every((_, i) => {
          const win = x.slice(Math.max(0, i - r), i + r + 1);
          return upper[i] === Math.max(...win) && lower[i] === Math.min(...win);
        });
      }),
    );
  });

  it('is a lower bound of banded DTW', () => {
    const arr = (n: number) => fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: n, maxLength: n });
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 30 }).chain((n) => fc.tuple(arr(n), arr(n), fc.integer({ min: 0, max: 5 }))), ([q, c, r]) => {
        return lbKeogh(c, envelope(q, r)) <= dtw(q, c, { band: r }) + 1e-9;
      }),
      { numRuns: 300 },
    );
  });
});

describe('findBestMatch', () => {
  it('never prunes the true best match (LB_Kim and LB_Keogh are lower bounds)', () => {
    // Values on a 0.1 grid: a window is either flat or clearly not, never at the flatness cliff
    // where the running and the two-pass variance could fall on different sides.
    const values = fc.array(fc.integer({ min: -30, max: 30 }).map((v) => v / 10), { minLength: 40, maxLength: 120 });
    fc.assert(
      fc.property(values, fc.integer({ min: 4, max: 16 }), fc.integer({ min: 0, max: 4 }), fc.nat(), (series, qlen, band, at) => {
        const start = at % (series.length - qlen);
        // The query is a distorted copy of a window, so some match is good and pruning matters.
        const query = series.slice(start, start + qlen).map((v, i) => v * 1.1 + 0.05 * Math.sin(i));
        const got = findBestMatch(series, query, { band })!;
        const expected = bruteForce(series, query, band);
        return Math.abs(got.distance - expected) <= 1e-9 * (1 + expected);
      }),
      { numRuns: 150 },
    );
  });

  it('finds an embedded pattern in a long noisy series, regardless of offset and scale', () => {
    const rnd = seededRandom(42);
    const series = Array.from({ length: 5000 }, () => rnd.gaussian());
    const pattern = Array.from({ length: 64 }, (_, i) => Math.sin((i / 64) * 4 * Math.PI) * (i / 64));
    for (let i = 0; i < 64; i++) series[3000 + i] = 10 + 5 * pattern[i]! + 0.01 * rnd.gaussian();
    const m = findBestMatch(series, pattern);
    expect(m?.index).toBe(3000);
    expect(m!.distance).toBeLessThan(0.5);
  });

  it('returns null when the query is longer than the series', () => {
    expect(findBestMatch([1, 2], [1, 2, 3])).toBeNull();
  });
});

describe('PatternMatcher', () => {
  it('reports a named template once when it passes by in the live stream', () => {
    const matcher = new PatternMatcher(16);
    const chirp = Array.from({ length: 50 }, (_, i) => Math.sin(0.002 * i * i * 2 * Math.PI));
    matcher.add('chirp', chirp, { threshold: 0.2 });
    matcher.add('sine', sines(40, 1, [{ freq: 0.05 }]), { threshold: 0.2 });
    const rnd = seededRandom(3);
    const stream: number[] = [];
    for (let i = 0; i < 300; i++) stream.push(0.3 * rnd.gaussian());
    for (const v of chirp) stream.push(7 + 3 * v);
    for (let i = 0; i < 300; i++) stream.push(0.3 * rnd.gaussian());
    const found = stream.flatMap((v) => matcher.push(v));
    expect(found.map((f) => f.name)).toEqual(['chirp']);
    expect(found[0]!.end).toBe(349);
    expect(found[0]!.score).toBeLessThan(0.2);
  });

  it('rejects templates too short to normalise', () => {
    expect(() => new PatternMatcher().add('x', [1])).toThrow(RangeError);
  });
});
