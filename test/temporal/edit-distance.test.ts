import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { editDistance } from '../../src/temporal/index.js';

/** Textbook full-matrix Levenshtein, the reference. */
function naive(a: readonly number[], b: readonly number[]): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    d.push([]);
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) d[i]![j] = i + j;
      else d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

const tokens = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 30 });

describe('editDistance', () => {
  it('computes known distances', () => {
    const enc = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
    expect(editDistance(enc('kitten'), enc('sitting'))).toBe(3);
    expect(editDistance(enc(''), enc('abc'))).toBe(3);
    expect(editDistance(Int32Array.from([1, 2, 3]), Int32Array.from([1, 2, 3]))).toBe(0);
  });

  it('agrees with the full-matrix reference', () => {
    fc.assert(fc.property(tokens, tokens, (a, b) => editDistance(a, b) === naive(a, b)), { numRuns: 500 });
  });

  it('with maxDistance is exact up to the bound and bound + 1 beyond it', () => {
    fc.assert(
      fc.property(tokens, tokens, fc.integer({ min: 0, max: 12 }), (a, b, k) => {
        const d = naive(a, b);
        return editDistance(a, b, k) === (d <= k ? d : k + 1);
      }),
      { numRuns: 500 },
    );
  });
});
