import { describe, expect, it } from 'vitest';
import { RestartBackoff } from '../../src/media/backoff.js';

describe('RestartBackoff', () => {
  it('doubles per quick failure up to the cap, and starts afresh after a healthy run', () => {
    const b = new RestartBackoff(250, 5_000, 10_000);
    expect([b.next(10), b.next(10), b.next(10), b.next(10), b.next(10), b.next(10)]).toEqual([250, 500, 1_000, 2_000, 4_000, 5_000]);
    expect(b.next(60_000)).toBe(250);
    expect(b.next(5)).toBe(500);
  });
});
