import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dtw, dtwAlignment, lcss, lcssDistance } from '../../src/temporal/index.js';

/** Textbook DTW over the full matrix with an optional band: the definition. */
function naiveDtw(a: readonly number[], b: readonly number[], band = Infinity): number {
  const D = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(Infinity));
  D[0]![0] = 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      if (Math.abs(i - j) > band) continue;
      const c = (a[i - 1]! - b[j - 1]!) ** 2;
      D[i]![j] = c + Math.min(D[i - 1]![j - 1]!, D[i - 1]![j]!, D[i]![j - 1]!);
    }
  }
  return Math.sqrt(D[a.length]![b.length]!);
}

// Small integers keep every sum exact, so "agrees exactly" means bit-for-bit.
const series = fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 25 });

describe('dtw', () => {
  it('agrees exactly with the naive O(n²) reference', () => {
    fc.assert(fc.property(series, series, (a, b) => dtw(a, b) === naiveDtw(a, b)), { numRuns: 400 });
  });

  it('with a Sakoe–Chiba band agrees with the banded definition', () => {
    fc.assert(
      fc.property(series, series, fc.integer({ min: 0, max: 30 }), (a, b, w) => dtw(a, b, { band: w }) === naiveDtw(a, b, w)),
      { numRuns: 400 },
    );
  });

  it('early abandoning is exact up to bestSoFar and Infinity beyond it', () => {
    fc.assert(
      fc.property(series, series, fc.double({ min: 0, max: 80, noNaN: true }), (a, b, bsf) => {
        const exact = naiveDtw(a, b);
        const got = dtw(a, b, { bestSoFar: bsf });
        return exact <= bsf ? got === exact : got === Infinity;
      }),
      { numRuns: 400 },
    );
  });

  it('is the Euclidean distance with band 0 on equal lengths', () => {
    expect(dtw([1, 2, 3], [1, 2, 5], { band: 0 })).toBe(2);
    expect(dtw([1, 2], [1, 2, 3], { band: 0 })).toBe(Infinity);
  });

  it('aligns a time-shifted copy at zero cost along a valid path', () => {
    const a = [0, 0, 1, 2, 1, 0];
    const b = [0, 1, 2, 1, 0, 0];
    const r = dtwAlignment(a, b);
    expect(r?.distance).toBe(0);
    expect(r?.path[0]).toEqual([0, 0]);
    expect(r?.path.at(-1)).toEqual([5, 5]);
    fc.assert(
      fc.property(series, series, (x, y) => {
        const al = dtwAlignment(x, y)!;
        const cost = Math.sqrt(al.path.reduce((s, [i, j]) => s + (x[i]! - y[j]!) ** 2, 0));
        const steps = al.path.every(([i, j], k) => k === 0 || (i - al.path[k - 1]![0] <= 1 && j - al.path[k - 1]![1] <= 1 && i + j > al.path[k - 1]![0] + al.path[k - 1]![1]));
        return steps && cost === al.distance && al.distance === naiveDtw(x, y);
      }),
      { numRuns: 200 },
    );
  });
});

describe('lcss', () => {
  it('counts matches within epsilon and ignores outliers', () => {
    expect(lcss([1, 2, 3, 4], [1, 2, 100, 4], 0.5)).toBe(3);
    expect(lcssDistance([1, 2, 3], [1, 2, 3], 0)).toBe(0);
    expect(lcssDistance([1, 2, 3], [7, 8, 9], 0.1)).toBe(1);
  });

  it('equals the classic LCS on integer sequences with epsilon 0', () => {
    const naiveLcs = (a: number[], b: number[]): number => {
      const L = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
      for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) L[i]![j] = a[i - 1] === b[j - 1] ? L[i - 1]![j - 1]! + 1 : Math.max(L[i - 1]![j]!, L[i]![j - 1]!);
      return L[a.length]![b.length]!;
    };
    const s = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 20 });
    fc.assert(fc.property(s, s, (a, b) => lcss(a, b, 0) === naiveLcs(a, b)), { numRuns: 300 });
  });

  it('never matches outside the band', () => {
    expect(lcss([1, 0, 0, 0], [0, 0, 0, 1], 0, 1)).toBe(3);
    expect(lcss([5, 0, 0, 0], [0, 0, 0, 5], 0, 1)).toBe(3);
    expect(lcss([5, 1, 1, 1], [2, 2, 2, 5], 0, 2)).toBe(0);
  });
});
