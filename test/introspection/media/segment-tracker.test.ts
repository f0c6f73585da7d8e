import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SegmentTracker, type SegmentEdge } from '../../../src/introspection/video/index.js';

/** Feeds a pattern like '..###..' (one char per 10 ms frame) and collects the edges. */
function run(tracker: SegmentTracker, pattern: string, endPts?: number): SegmentEdge[] {
  const edges: SegmentEdge[] = [];
  [...pattern].forEach((c, i) => {
    const e = tracker.push(c === '#', i * 10);
    if (e !== null) edges.push(e);
  });
  if (endPts !== undefined) {
    const e = tracker.finish(endPts);
    if (e !== null) edges.push(e);
  }
  return edges;
}

describe('SegmentTracker', () => {
  it('reports a start at the first frame of the run once it has lasted minOn frames', () => {
    const t = new SegmentTracker({ minOnFrames: 3, minOffFrames: 1 });
    expect(run(t, '..##..###.')).toEqual([
      { state: 'start', pts: 60 },
      { state: 'end', pts: 90, startPts: 60, durationMs: 30 },
    ]);
  });

  it('ends a segment at the first frame without the condition once minOff frames have passed', () => {
    const t = new SegmentTracker({ minOnFrames: 1, minOffFrames: 3 });
    expect(run(t, '#..#...')).toEqual([
      { state: 'start', pts: 0 },
      { state: 'end', pts: 40, startPts: 0, durationMs: 40 },
    ]);
  });

  it('bridges a gap shorter than minOff inside an onset (fill short pauses, then drop short bursts)', () => {
    const t = new SegmentTracker({ minOnFrames: 3, minOffFrames: 2 });
    expect(run(t, '.#.##')).toEqual([{ state: 'start', pts: 10 }]);
    const strict = new SegmentTracker({ minOnFrames: 3, minOffFrames: 1 });
    expect(run(strict, '.#.##')).toEqual([]);
  });

  it('uses the onset pts for the start when the condition is seen one frame late', () => {
    const t = new SegmentTracker({ minOnFrames: 2, minOffFrames: 1 });
    expect(t.push(true, 100, 67)).toBeNull();
    expect(t.push(true, 133, 100)).toEqual({ state: 'start', pts: 67 });
  });

  it('closes an open segment at end of input, and drops an onset still being debounced', () => {
    expect(run(new SegmentTracker({ minOnFrames: 1, minOffFrames: 5 }), '.###', 40)).toEqual([
      { state: 'start', pts: 10 },
      { state: 'end', pts: 40, startPts: 10, durationMs: 30 },
    ]);
    expect(run(new SegmentTracker({ minOnFrames: 1, minOffFrames: 5 }), '.##..', 50).at(-1)).toEqual(
      { state: 'end', pts: 30, startPts: 10, durationMs: 20 },
    );
    expect(run(new SegmentTracker({ minOnFrames: 9, minOffFrames: 1 }), '.###', 40)).toEqual([]);
  });

  it('refuses a debounce of zero frames', () => {
    expect(() => new SegmentTracker({ minOnFrames: 0, minOffFrames: 1 })).toThrow(RangeError);
  });
});

/**
 * The offline reading of the same rules: merge "on" frames separated by fewer than minOff
 * "off" frames into runs, keep the runs at least minOn frames long; a segment spans from a
 * run's first frame to the first frame after its last "on" frame (or the end of input).
 */
function offline(conditions: readonly boolean[], minOn: number, minOff: number, endPts: number): SegmentEdge[] {
  const runs: Array<[number, number]> = [];
  for (let i = 0; i < conditions.length; i++) {
    if (!conditions[i]) continue;
    const last = runs.at(-1);
    if (last !== undefined && i - last[1] - 1 < minOff) last[1] = i;
    else runs.push([i, i]);
  }
  const edges: SegmentEdge[] = [];
  for (const [first, last] of runs) {
    if (last - first + 1 < minOn) continue;
    const end = last + 1 < conditions.length ? (last + 1) * 10 : endPts;
    edges.push({ state: 'start', pts: first * 10 }, { state: 'end', pts: end, startPts: first * 10, durationMs: end - first * 10 });
  }
  return edges;
}

describe('SegmentTracker (property)', () => {
  it('streams exactly the segments the offline rules give, for any input and debounce', () => {
    fc.assert(fc.property(
      fc.array(fc.boolean(), { maxLength: 200 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }),
      (conditions, minOn, minOff) => {
        const endPts = conditions.length * 10;
        const pattern = conditions.map((c) => (c ? '#' : '.')).join('');
        const streamed = run(new SegmentTracker({ minOnFrames: minOn, minOffFrames: minOff }), pattern, endPts);
        expect(streamed).toEqual(offline(conditions, minOn, minOff, endPts));
      },
    ), { numRuns: 500 });
  });
});
