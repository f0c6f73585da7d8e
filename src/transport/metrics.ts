import { Counter, Gauge, type Registry } from 'prom-client';
import type { AnalysisHub } from './hub.js';

/**
 * Registers the hub's figures on a gateway's prom-client registry, read at scrape time
 * (the hub's hot path increments plain numbers, never a metric).
 */
export function registerHubMetrics(register: Registry, hub: AnalysisHub): void {
  new Gauge({
    name: 'midstream_analysis_viewers',
    help: 'Analysis viewers connected (WebTransport and WebSocket)',
    registers: [register],
    collect() {
      this.set(hub.stats().viewers);
    },
  });
  new Counter({
    name: 'midstream_analysis_viewers_total',
    help: 'Analysis viewer sessions opened',
    registers: [register],
    collect() {
      this.reset();
      this.inc(hub.stats().viewersTotal);
    },
  });
  new Counter({
    name: 'midstream_analysis_events_published_total',
    help: 'Analysis events published, per channel',
    labelNames: ['channel'] as const,
    registers: [register],
    collect() {
      this.reset();
      for (const [channel, n] of Object.entries(hub.stats().published)) this.inc({ channel }, n);
    },
  });
  new Counter({
    name: 'midstream_analysis_events_skipped_total',
    help: 'Events skipped by slow viewers on lossy channels (video, audio)',
    labelNames: ['channel'] as const,
    registers: [register],
    collect() {
      this.reset();
      const { skipped } = hub.stats();
      this.inc({ channel: 'video' }, skipped.video);
      this.inc({ channel: 'audio' }, skipped.audio);
    },
  });
  new Counter({
    name: 'midstream_analysis_viewers_closed_for_lag_total',
    help: 'Viewers closed because a reliable channel fell too far behind',
    registers: [register],
    collect() {
      this.reset();
      this.inc(hub.stats().closedForLag);
    },
  });
}
