import { afterAll, describe, expect, it } from 'vitest';
import { TemporalPool } from '../../src/gateway/temporal-pool.js';
import { silentLogger } from '../../src/media/logger.js';

const pool = new TemporalPool(silentLogger());
afterAll(() => pool.close());

describe('TemporalPool (temporal engine on a worker thread)', () => {
  it('classifies a window off the event loop and returns the class with λ and confidence', async () => {
    const dt = 1 / 30;
    const x = Float64Array.from({ length: 512 }, (_, i) => Math.sin(2 * Math.PI * 0.5 * i * dt));
    const job = pool.classify(x, dt);
    expect(job).not.toBeNull();
    const c = await job;
    expect(c?.class).toBe('periodic');
    expect(c?.period).toBeCloseTo(2, 1);
    expect(c?.computeMs).toBeGreaterThan(0);
    expect(pool.stats.run).toBe(1);
  });

  it('sheds jobs instead of queueing without bound when the worker falls behind', async () => {
    const x = Float64Array.from({ length: 512 }, (_, i) => Math.sin(i / 7) * Math.cos(i / 3.1));
    const jobs = Array.from({ length: 40 }, () => pool.classify(x, 1));
    expect(jobs.filter((j) => j === null)).toHaveLength(8);
    expect(pool.stats.shed).toBe(8);
    await Promise.all(jobs.filter((j) => j !== null));
  });

  it('reports a bad window as a failure of that job only', async () => {
    await expect(pool.classify(new Float64Array(10), 1)).rejects.toThrow(/samples/);
    const ok = await pool.classify(Float64Array.from({ length: 300 }, (_, i) => Math.sin(i / 4)), 1);
    expect(ok?.class).toBeDefined();
  });
});
