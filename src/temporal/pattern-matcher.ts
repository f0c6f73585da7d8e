import { dtw } from './dtw.js';
import { envelope, type Envelope } from './envelope.js';
import { lbKeogh } from './lb-keogh.js';
import { zNormalize } from './znorm.js';

export interface TemplateOptions {
  /** Sakoe–Chiba half-width; default 10 % of the template length. */
  band?: number;
  /** Report a window whose z-normalised DTW distance per √sample is at most this (default 0.25). */
  threshold?: number;
}

export interface PatternMatch {
  name: string;
  /** Index (0-based count of pushed samples) of the window's last sample. */
  end: number;
  /** z-normalised banded DTW distance. */
  distance: number;
  /** distance / √length, comparable across template lengths. */
  score: number;
}

interface Template {
  name: string;
  query: Float64Array;
  env: Envelope;
  band: number;
  threshold: number;
  sum: number;
  sumSq: number;
  /** Samples to wait after a match, so one occurrence is reported once. */
  quietUntil: number;
}

/**
 * A registry of named templates matched against a live series fed one sample at a time.
 * Each template keeps running sums over its own window length; each sample costs, per
 * template of length n with band r, O(1) plus O(n) for LB_Keogh, plus O(n·(2r+1)) only for
 * windows that LB_Keogh does not prune: bounded, whatever the stream's length.
 */
export class PatternMatcher {
  private readonly templates = new Map<string, Template>();
  private ring: Float64Array;
  private scratch: Float64Array;
  private count = 0;

  constructor(capacity = 1024) {
    this.ring = new Float64Array(capacity);
    this.scratch = new Float64Array(capacity);
  }

  /** Adds or replaces a template. The sliding sums start from the samples already held. */
  add(name: string, template: ArrayLike<number>, options: TemplateOptions = {}): void {
    const n = template.length;
    if (n < 2) throw new RangeError(`template ${name} needs at least 2 samples`);
    if (n > this.ring.length) this.grow(n);
    const query = zNormalize(template);
    const band = options.band ?? Math.max(1, Math.floor(n / 10));
    const t: Template = { name, query, env: envelope(query, band), band, threshold: options.threshold ?? 0.25, sum: 0, sumSq: 0, quietUntil: 0 };
    const have = Math.min(n, this.count);
    for (let k = this.count - have; k < this.count; k++) {
      const v = this.at(k);
      t.sum += v;
      t.sumSq += v * v;
    }
    this.templates.set(name, t);
  }

  remove(name: string): boolean {
    return this.templates.delete(name);
  }

  get size(): number {
    return this.templates.size;
  }

  /** Feeds one sample; returns the templates that match the window ending at it. */
  push(x: number): PatternMatch[] {
    const cap = this.ring.length;
    const index = this.count;
    this.ring[index % cap] = x;
    this.count += 1;
    const found: PatternMatch[] = [];
    for (const t of this.templates.values()) {
      const n = t.query.length;
      t.sum += x;
      t.sumSq += x * x;
      if (index >= n) {
        const old = this.at(index - n);
        t.sum -= old;
        t.sumSq -= old * old;
      }
      // Recompute the sums now and then so rounding drift cannot build up on endless streams.
      if ((index & 0xffff) === 0xffff) this.resync(t);
      if (index + 1 < n || index < t.quietUntil) continue;
      const d = this.windowDistance(t, index + 1 - n);
      if (d <= t.threshold * Math.sqrt(n)) {
        found.push({ name: t.name, end: index, distance: d, score: d / Math.sqrt(n) });
        t.quietUntil = index + n;
      }
    }
    return found;
  }

  private windowDistance(t: Template, start: number): number {
    const n = t.query.length;
    const mean = t.sum / n;
    const variance = t.sumSq / n - mean * mean;
    const sd = variance > 1e-16 ? Math.sqrt(variance) : 1;
    const cap = this.ring.length;
    const limit = t.threshold * Math.sqrt(n);
    const w = this.scratch;
    for (let i = 0; i < n; i++) w[i] = (this.ring[(start + i) % cap]! - mean) / sd;
    if (lbKeogh(w, t.env, limit) > limit) return Infinity;
    return dtw(t.query, w.subarray(0, n), { band: t.band, bestSoFar: limit });
  }

  private resync(t: Template): void {
    const have = Math.min(t.query.length, this.count);
    t.sum = 0;
    t.sumSq = 0;
    for (let k = this.count - have; k < this.count; k++) {
      const v = this.at(k);
      t.sum += v;
      t.sumSq += v * v;
    }
  }

  private at(k: number): number {
    return this.ring[k % this.ring.length]!;
  }

  private grow(n: number): void {
    let cap = this.ring.length;
    while (cap < n) cap *= 2;
    const ring = new Float64Array(cap);
    const keep = Math.min(this.count, this.ring.length);
    for (let k = this.count - keep; k < this.count; k++) ring[k % cap] = this.at(k);
    this.ring = ring;
    this.scratch = new Float64Array(cap);
  }
}
