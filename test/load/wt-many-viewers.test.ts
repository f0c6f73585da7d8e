import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/media/logger.js';
import type { Channel } from '../../src/media/types.js';
import { AnalysisHub } from '../../src/transport/hub.js';
import { attachWebTransport, createWebTransportAuthorizer } from '../../src/transport/wt-bridge.js';
import { WebTransportServer } from '../../src/transport/webtransport/index.js';

// The load test: 200 viewers of one stream for 30 s over our QUIC stack. Overridable
// (TRANSPORT_VIEWERS / TRANSPORT_SECONDS) for quick local runs. It runs after the rest of
// `npm test`, alone (vitest.load.config.ts): 200 QUIC clients in one Node process take a core
// by themselves, and beside the suite's ffmpeg and Chromium tests on 2 cores they could not
// keep up with the server.
const VIEWERS = Number(process.env['TRANSPORT_VIEWERS'] ?? 200);
const SECONDS = Number(process.env['TRANSPORT_SECONDS'] ?? 30);
const RELIABLE: Channel[] = ['transcript', 'text', 'temporal', 'alerts'];
/** Every how many 100 ms ticks each channel gets an event: 37 events/s, 7,400 deliveries/s to 200 viewers. */
const EVERY_TICKS: Partial<Record<Channel, number>> = { video: 1, text: 1, transcript: 1, temporal: 2, alerts: 5 };
const FLEET = fileURLToPath(new URL('../transport/hub/wt-viewer-fleet.ts', import.meta.url));

interface Delivered { gaps: string[]; lost: number; lostHow: string[]; short: number; latencyMs: { p50: number; p99: number; events: number } }

describe(`${VIEWERS} WebTransport viewers of one stream for ${SECONDS} s`, () => {
  const hub = new AnalysisHub();
  let wt: WebTransportServer;
  let fleet: ChildProcess;
  const deps = { streamExists: (id: string) => id === 'live' };
  const next = <T>(op: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: unknown): void => {
        if ((m as { op?: string }).op !== op) return;
        fleet.off('message', onMessage);
        resolve(m as T);
      };
      fleet.on('message', onMessage);
      if (fleet.exitCode !== null) reject(new Error(`viewer fleet exited (${fleet.exitCode}) before "${op}"`));
      fleet.once('exit', (code) => reject(new Error(`viewer fleet exited (${code}) before "${op}"`)));
    });

  beforeAll(async () => {
    wt = new WebTransportServer({ host: '127.0.0.1', port: 0, logger: silentLogger(), authorize: createWebTransportAuthorizer(deps) });
    await wt.start();
    attachWebTransport(wt, { ...deps, hub, logger: silentLogger() });
    // The viewers run in their own process, as real viewers would: they must not share the
    // server's event loop (in one process, 200 QUIC clients starve the server they measure).
    fleet = fork(FLEET, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ready = next('ready');
    fleet.send({ port: wt.port, path: '/streams/live/analysis', viewers: VIEWERS, streams: Object.keys(EVERY_TICKS).length });
    await ready;
  }, 180_000);

  afterAll(async () => {
    if (fleet && fleet.exitCode === null) fleet.kill();
    const t0 = performance.now();
    await wt?.close();
    console.log(`WebTransportServer.close() after ${VIEWERS} viewers: ${Math.round(performance.now() - t0)} ms`);
  }, 60_000);

  it('delivers every reliable event to every viewer with no gap, then ends cleanly', async () => {
    expect(hub.viewerCount('live')).toBe(VIEWERS);
    const published: Partial<Record<Channel, number>> = {};
    await new Promise<void>((resolve) => {
      let tick = 0;
      // A synthetic analysis source paced like a live stream (the timer paces, it does not synchronise).
      const timer = setInterval(() => {
        for (const [channel, every] of Object.entries(EVERY_TICKS) as [Channel, number][]) {
          if (tick % every !== 0) continue;
          hub.publish('live', { channel, type: 'synthetic', pts: tick * 100, data: { tick } });
          published[channel] = (published[channel] ?? 0) + 1;
        }
        tick += 1;
        if (tick === SECONDS * 10) {
          clearInterval(timer);
          resolve();
        }
      }, 100);
    });
    // Everything must arrive while the stream is live; the end-of-stream close is checked after.
    const delivered = next<Delivered>('delivered');
    fleet.send({ op: 'expect', counts: Object.fromEntries(RELIABLE.map((c) => [c, published[c]])) });
    const result = await delivered;
    const { p50, p99, events } = result.latencyMs;
    console.log(`${VIEWERS} WebTransport viewers, ${SECONDS} s: ${events} events received, ts -> viewer p50 ${p50} ms, p99 ${p99} ms`);
    expect({ lost: result.lost, short: result.short, gaps: result.gaps }, `lost: ${result.lostHow.join('; ')}; hub ${JSON.stringify(hub.stats())}`).toEqual({ lost: 0, short: 0, gaps: [] });
    expect(hub.stats().closedForLag).toBe(0);
    const closed = next<{ codes: (number | null)[] }>('closed');
    fleet.send({ op: 'await-close' });
    hub.endStream('live');
    expect((await closed).codes.filter((c) => c !== 0)).toEqual([]);
  }, 300_000);
});
