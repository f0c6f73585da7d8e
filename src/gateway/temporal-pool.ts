import { Worker } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from '../media/logger.js';

export interface TemporalJob {
  id: number;
  samples: Float64Array;
  dt: number;
}

export type TemporalResult =
  | { id: number; ok: true; class: string; lambda: number | null; confidence: number; period?: number; computeMs: number }
  | { id: number; ok: false; error: string; computeMs: number };

export type TemporalOutcome = Omit<Extract<TemporalResult, { ok: true }>, 'id' | 'ok'>;

/** Jobs waiting beyond this are shed (the newest window supersedes an old one anyway). */
const MAX_PENDING = 32;

/**
 * Runs temporal-engine analyses on one worker thread, in order. Bounded: when the worker
 * falls behind by MAX_PENDING jobs, new jobs are refused (counted in `shed`) instead of
 * queueing without end. A crashed worker is replaced; its pending jobs fail.
 */
export class TemporalPool {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: TemporalOutcome) => void; reject: (e: Error) => void }>();
  private closed = false;
  readonly stats = { run: 0, failed: 0, shed: 0, lastComputeMs: 0 };

  constructor(private readonly logger: Logger) {}

  /** Classifies the attractor behind `samples` (sampling interval `dt` seconds). */
  classify(samples: Float64Array, dt: number): Promise<TemporalOutcome> | null {
    if (this.closed) return null;
    if (this.pending.size >= MAX_PENDING) {
      this.stats.shed += 1;
      return null;
    }
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<TemporalOutcome>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const job: TemporalJob = { id, samples, dt };
      worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    this.failAll('temporal pool closed');
    if (w) await w.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const here = fileURLToPath(import.meta.url);
    // Compiled: a .js sibling. From sources (tests, tsx): the .ts sibling through tsx's loader.
    const ts = here.endsWith('.ts');
    const file = here.replace(/temporal-pool\.(ts|js)$/, `temporal-worker.${ts ? 'ts' : 'js'}`);
    const worker = ts
      ? new Worker(
        `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); })`,
        { eval: true },
      )
      : new Worker(file);
    worker.unref();
    worker.on('message', (r: TemporalResult) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      this.stats.lastComputeMs = r.computeMs;
      if (r.ok) {
        this.stats.run += 1;
        const { id: _id, ok: _ok, ...outcome } = r;
        p.resolve(outcome);
      } else {
        this.stats.failed += 1;
        p.reject(new Error(r.error));
      }
    });
    worker.on('error', (err) => {
      this.logger.error({ err: err.message }, 'temporal worker crashed; replacing it');
      this.worker = null;
      this.failAll(`temporal worker crashed: ${err.message}`);
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
    });
    this.worker = worker;
    return worker;
  }

  private failAll(reason: string): void {
    for (const p of this.pending.values()) p.reject(new Error(reason));
    this.pending.clear();
  }
}
