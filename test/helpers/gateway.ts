import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Gateway } from '../../src/gateway/gateway.js';
import type { GatewayConfig } from '../../src/gateway/config.js';
import type { StreamState, StreamStateChange } from '../../src/media/stream-registry.js';
import type { VideoFrame, AudioFrame } from '../../src/media/types.js';
import { LogCapture } from './log-capture.js';
import { waitForEvent, withTimeout } from './wait.js';

export const TEST_KEY = 'test-publish-key';
export const TEST_ADMIN = 'test-admin-token';

export interface TestGateway {
  gateway: Gateway;
  logs: LogCapture;
  base: string;
  rtmpUrl(streamId: string, key?: string): string;
  /**
   * Resolves once stream `id` is at `state` or past it (starting < live < ended), now or by a
   * later change: a caller that awaited something else first does not wait forever for a state
   * the stream already went through. The result carries the state actually reached. (An id
   * whose earlier stream ended counts as ended, even for a publish about to start it afresh.)
   */
  waitState(id: string, state: StreamState, ms?: number): Promise<StreamStateChange>;
  /** Collects the next `n` decoded video frames of a stream. */
  nextVideoFrames(id: string, n: number, ms?: number): Promise<VideoFrame[]>;
  nextAudioFrames(id: string, n: number, ms?: number): Promise<AudioFrame[]>;
  close(): Promise<void>;
}

export async function startTestGateway(overrides: Partial<GatewayConfig> = {}): Promise<TestGateway> {
  const logs = new LogCapture();
  const config: GatewayConfig = {
    host: '127.0.0.1', httpPort: 0, rtmpPort: 0, wtPort: 0,
    publishKeys: [TEST_KEY], adminToken: TEST_ADMIN,
    dataDir: mkdtempSync(path.join(tmpdir(), 'midstream-test-')), demo: false,
    ...overrides,
  };
  const gateway = new Gateway(config, logs.logger);
  await gateway.start();

  const order: Record<StreamState, number> = { starting: 0, live: 1, ended: 2 };
  const waitState = (id: string, state: StreamState, ms = 30_000): Promise<StreamStateChange> => {
    const now = gateway.streams.state(id);
    if (now !== null && order[now] >= order[state]) return Promise.resolve({ id, state: now, previous: null });
    return waitForEvent<StreamStateChange>(gateway.streams, 'state', (c) => c.id === id && order[c.state] >= order[state], ms, `stream ${id} to be ${state}`);
  };

  async function nextFrames<T>(id: string, kind: 'video' | 'audio', n: number, ms: number): Promise<T[]> {
    const runner = gateway.runners.get(id);
    if (!runner) throw new Error(`no runner for stream ${id}`);
    const sub = runner.bus.subscribe();
    const out: T[] = [];
    try {
      await withTimeout((async () => {
        for await (const frame of sub[kind]) {
          out.push(frame as T);
          if (out.length >= n) break;
        }
      })(), ms, `${n} ${kind} frames of ${id}`);
    } finally {
      sub.unsubscribe();
    }
    if (out.length < n) throw new Error(`stream ${id} ended after ${out.length} of ${n} ${kind} frames`);
    return out;
  }

  return {
    gateway,
    logs,
    base: `http://127.0.0.1:${gateway.httpPort}`,
    rtmpUrl: (id, key = TEST_KEY) => gateway.rtmpUrl(id, key),
    waitState,
    nextVideoFrames: (id, n, ms = 30_000) => nextFrames<VideoFrame>(id, 'video', n, ms),
    nextAudioFrames: (id, n, ms = 30_000) => nextFrames<AudioFrame>(id, 'audio', n, ms),
    close: () => gateway.close(),
  };
}
