import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { StreamRegistry } from '../media/stream-registry.js';

/**
 * Prometheus metrics, read from the live components at scrape time (nothing on the hot
 * path increments a metric). Each gateway has its own prom-client Registry so several
 * gateways in one process (tests) do not collide.
 */
export function createMetrics(streams: StreamRegistry): Registry {
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
  return register;
}
