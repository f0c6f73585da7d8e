import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { StreamRegistry } from '../media/stream-registry.js';
import type { AnalysisHub } from '../transport/hub.js';
import { registerHubMetrics } from '../transport/metrics.js';
import type { AnalysisScheduler } from './analysis-scheduler.js';
import type { TemporalPool } from './temporal-pool.js';

/**
 * Prometheus metrics, read from the live components at scrape time (nothing on the hot
 * path increments a metric). Each gateway has its own prom-client Registry so several
 * gateways in one process (tests) do not collide.
 */
export function createMetrics(streams: StreamRegistry, hub: AnalysisHub, scheduler: AnalysisScheduler, temporal: TemporalPool): Registry {
  const register = new Registry();
  collectDefaultMetrics({ register, prefix: 'midstream_' });

  new Gauge({
    name: 'midstream_streams_live',
    help: 'Streams currently starting or live',
    registers: [register],
    collect() {
      this.set(streams.activeIds().length);
    },
  });

  const perStream = (name: string, help: string, read: (s: ReturnType<StreamRegistry['list']>[number]) => number) =>
    new Counter({
      name,
      help,
      labelNames: ['stream'] as const,
      registers: [register],
      collect() {
        this.reset();
        for (const s of streams.list()) if (s.state !== 'ended') this.inc({ stream: s.id }, read(s));
      },
    });
  perStream('midstream_video_frames_decoded_total', 'Video frames decoded per stream', (s) => s.stats.videoFrames);
  perStream('midstream_audio_frames_decoded_total', 'Audio blocks (20 ms) decoded per stream', (s) => s.stats.audioFrames);
  perStream('midstream_video_frames_dropped_total', 'Video frames dropped per stream (lagging decoder or consumer)', (s) => s.stats.videoDropped);
  perStream('midstream_decoder_restarts_total', 'Decoder processes restarted per stream', (s) => s.stats.decoderRestarts);

  registerHubMetrics(register, hub);
  new Counter({
    name: 'midstream_analysis_tasks_total',
    help: 'Analyzer tasks by outcome: run (on time or late), late, shed under overload',
    labelNames: ['outcome'] as const,
    registers: [register],
    collect() {
      this.reset();
      const s = scheduler.stats();
      this.inc({ outcome: 'run' }, s.run);
      this.inc({ outcome: 'late' }, s.late);
      this.inc({ outcome: 'shed' }, s.shed);
    },
  });
  new Counter({
    name: 'midstream_analysis_shed_total',
    help: 'Analyzer tasks shed under overload, by kind (video first, then audio; text runs anyway)',
    labelNames: ['kind'] as const,
    registers: [register],
    collect() {
      this.reset();
      for (const [kind, n] of Object.entries(scheduler.stats().shedByKind)) this.inc({ kind }, n);
      this.inc({ kind: 'temporal' }, temporal.stats.shed);
    },
  });
  new Gauge({
    name: 'midstream_analysis_budget_ms',
    help: 'Measured cost per analyzer task (EWMA), by kind',
    labelNames: ['kind'] as const,
    registers: [register],
    collect() {
      this.reset();
      for (const [kind, ms] of Object.entries(scheduler.stats().budgetMs)) this.set({ kind }, ms);
      this.set({ kind: 'temporal' }, temporal.stats.lastComputeMs);
    },
  });
  return register;
}
