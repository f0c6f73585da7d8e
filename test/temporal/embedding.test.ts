import { describe, expect, it } from 'vitest';
import {
  averageMutualInformation, chooseEmbedding, delayEmbed, falseNearestFractions, henonMap, KdTree, logisticMap, lorenz, seededRandom, whiteNoise,
} from '../../src/temporal/index.js';

describe('delay embedding', () => {
  it('builds delay vectors row-major', () => {
    expect([...delayEmbed([1, 2, 3, 4, 5], 2, 2)]).toEqual([1, 3, 2, 4, 3, 5]);
  });

  it('AMI is largest at lag 0 and falls for a chaotic flow', () => {
    const ami = averageMutualInformation(lorenz(4000, 0.01), 30);
    expect(ami[0]!).toBeGreaterThan(ami[10]!);
    expect(ami[10]!).toBeGreaterThan(0);
  });

  it('chooses τ = 1 for maps and a delay of about a tenth of an orbit for Lorenz', () => {
    expect(chooseEmbedding(logisticMap(3000)).tau).toBe(1);
    const { tau, m } = chooseEmbedding(lorenz(6000, 0.01));
    // First AMI minimum of Lorenz x is near 0.1–0.2 time units in the literature.
    expect(tau).toBeGreaterThanOrEqual(8);
    expect(tau).toBeLessThanOrEqual(25);
    expect(m).toBe(3);
  });

  it('false nearest neighbours vanish at m = 2 for Hénon but not for noise', () => {
    const henon = falseNearestFractions(henonMap(3000), 1, 3);
    expect(henon[0]!).toBeGreaterThan(0.3);
    expect(henon[1]!).toBeLessThan(0.01);
    const noise = falseNearestFractions(whiteNoise(3000, 9), 1, 3);
    expect(noise[2]!).toBeGreaterThan(0.1);
  });
});

describe('KdTree', () => {
  it('finds the same nearest neighbour as brute force, honouring the Theiler window', () => {
    const rnd = seededRandom(11);
    const dim = 3;
    const count = 400;
    const pts = Float64Array.from({ length: count * dim }, () => rnd.next());
    const tree = new KdTree(pts, dim);
    for (const w of [0, 5]) {
      for (let i = 0; i < count; i += 7) {
        let best = Infinity;
        for (let j = 0; j < count; j++) {
          if (Math.abs(i - j) <= w) continue;
          let s = 0;
          for (let k = 0; k < dim; k++) s += (pts[i * dim + k]! - pts[j * dim + k]!) ** 2;
          best = Math.min(best, s);
        }
        expect(tree.nearest(i, w)).toBe(best);
        expect(Math.abs(tree.lastIndex - i)).toBeGreaterThan(w);
      }
    }
  });
});
