/**
 * Worker thread for the temporal engine's heavy analyses (attractor classification with
 * surrogate tests takes 100+ ms on a 512-sample window): run here, they never stall the event
 * loop that moves every stream's frames and events.
 */
import { parentPort } from 'node:worker_threads';
import { classifyAttractor } from '../temporal/index.js';
import type { TemporalJob, TemporalResult } from './temporal-pool.js';

parentPort?.on('message', (job: TemporalJob) => {
  const started = performance.now();
  let result: TemporalResult;
  try {
    const c = classifyAttractor(job.samples, { dt: job.dt });
    result = {
      id: job.id, ok: true, class: c.class, lambda: c.lambda, confidence: c.confidence,
      ...(c.period !== undefined ? { period: c.period } : {}), computeMs: performance.now() - started,
    };
  } catch (err) {
    result = { id: job.id, ok: false, error: err instanceof Error ? err.message : String(err), computeMs: performance.now() - started };
  }
  parentPort?.postMessage(result);
});
