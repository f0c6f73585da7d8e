import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { AnalysisHub } from '../../../src/transport/hub.js';
import { transportPlugin } from '../../../src/transport/plugin.js';
import { silentLogger } from '../../../src/media/logger.js';
import type { Channel } from '../../../src/media/types.js';
import type { WtServer } from '../../../src/transport/wt-types.js';
import { refusedStatus, WsViewer } from './ws-client.js';

let app: FastifyInstance;
let hub: AnalysisHub;
let base: string;
const streams = new Set(['cam1']);

async function start(extra: { wt?: WtServer; authorizeViewer?: (id: string, token: string | null) => boolean } = {}): Promise<void> {
  hub = new AnalysisHub({ reliableQueueCapacity: 16 });
  app = Fastify();
  await app.register(transportPlugin, { hub, streamExists: (id) => streams.has(id), logger: silentLogger(), ...extra });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  base = `127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}

const pub = (channel: Channel, n = 1) => {
  for (let i = 0; i < n; i += 1) hub.publish('cam1', { channel, type: 'x', pts: i, data: { i } });
};

describe('transport plugin over WebSocket', () => {
  beforeEach(() => start());
  afterEach(() => app.close());

  it('delivers several channels, and a reconnect with since gets exactly the missing events', async () => {
    const a = new WsViewer(`ws://${base}/streams/cam1/analysis`);
    await a.opened;
    pub('text', 3);
    pub('alerts', 2);
    pub('video', 2);
    await a.until(() => a.events.length === 7);
    expect(a.seqs('text')).toEqual([1, 2, 3]);
    expect(a.seqs('alerts')).toEqual([1, 2]);
    a.ws.close();
    await a.closed;
    pub('text', 2);
    pub('alerts', 1);
    const b = new WsViewer(`ws://${base}/streams/cam1/analysis?since=text:3,alerts:2&channels=text,alerts`);
    await b.opened;
    pub('text', 1);
    await b.until(() => b.seqs('text').length === 3 && b.seqs('alerts').length === 1);
    expect(b.seqs('text')).toEqual([4, 5, 6]);
    expect(b.seqs('alerts')).toEqual([3]);
    expect(b.seqs('video')).toEqual([]);
    b.ws.close();
  });

  it('refuses unknown streams, bad parameters and other paths with the JSON error shape', async () => {
    const unknown = await refusedStatus(`ws://${base}/streams/nope/analysis`);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toEqual({ error: { code: 'STREAM_NOT_FOUND', message: 'no stream "nope"' } });
    expect((await refusedStatus(`ws://${base}/streams/cam1/analysis?since=text:x`)).status).toBe(400);
    expect((await refusedStatus(`ws://${base}/streams/cam1/analysis?channels=bogus`)).status).toBe(400);
    expect((await refusedStatus(`ws://${base}/elsewhere`)).status).toBe(404);
  });

  it('tells the viewer the stream ended after delivering what was queued', async () => {
    const a = new WsViewer(`ws://${base}/streams/cam1/analysis`);
    await a.opened;
    pub('transcript', 5);
    hub.endStream('cam1');
    const closed = await a.closed;
    expect(closed.code).toBe(1000);
    expect(a.seqs('transcript')).toEqual([1, 2, 3, 4, 5]);
  });

  it('closes a viewer whose socket stopped reading, with a reason, while another gets every event', async () => {
    const slow = new WsViewer(`ws://${base}/streams/cam1/analysis?channels=text`);
    const fast = new WsViewer(`ws://${base}/streams/cam1/analysis?channels=text`);
    await Promise.all([slow.opened, fast.opened]);
    // Stop reading at the TCP level: kernel buffers, then ws's buffer, then the hub's queue fill.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const padding = 'x'.repeat(16 * 1024);
    let published = 0;
    let slowClosed = false;
    void slow.closed.then(() => (slowClosed = true));
    while (hub.stats().closedForLag === 0 && published < 20_000) {
      for (let i = 0; i < 50; i += 1) hub.publish('cam1', { channel: 'text', type: 'x', pts: published++, data: padding });
      await fast.until(() => fast.seqs('text').length === published);
    }
    expect(hub.stats().closedForLag).toBe(1);
    expect(fast.seqs('text')).toEqual(Array.from({ length: published }, (_, i) => i + 1));
    // once it reads again it finds what it got, then the error and the close code
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const closed = await slow.closed;
    expect(slowClosed).toBe(true);
    expect(closed.code).toBe(4008);
    expect(slow.errors[0]?.code).toBe('OVERLOADED');
    const got = slow.seqs('text');
    expect(got).toEqual(Array.from({ length: got.length }, (_, i) => i + 1));
    fast.ws.close();
  });

  it('exports buffered events as NDJSON', async () => {
    pub('text', 4);
    pub('alerts', 1);
    const res = await app.inject({ url: '/api/streams/cam1/events?channel=text&since=2' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = res.body.trim().split('\n').map((l) => JSON.parse(l) as { seq: number; channel: string });
    expect(lines.map((l) => l.seq)).toEqual([3, 4]);
    const all = await app.inject({ url: '/api/streams/cam1/events' });
    expect(all.body.trim().split('\n')).toHaveLength(5);
    expect((await app.inject({ url: '/api/streams/nope/events' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/streams/cam1/events?channel=bogus' })).json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });

  it('answers 404 for /api/webtransport when WebTransport is off', async () => {
    const res = await app.inject({ url: '/api/webtransport' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});

describe('transport plugin options', () => {
  afterEach(() => app.close());

  it('checks view tokens through authorizeViewer', async () => {
    await start({ authorizeViewer: (_id, token) => token === 'good' });
    expect((await refusedStatus(`ws://${base}/streams/cam1/analysis`)).status).toBe(401);
    expect((await refusedStatus(`ws://${base}/streams/cam1/analysis?token=bad`)).status).toBe(403);
    const ok = new WsViewer(`ws://${base}/streams/cam1/analysis?token=good`);
    await ok.opened;
    ok.ws.close();
  });

  it('describes the WebTransport endpoint with current certificate hashes', async () => {
    let hash = 'AAAA';
    const wt: WtServer = { port: 4433, certificateHashes: () => [{ algorithm: 'sha-256', value: hash }], on: () => wt };
    await start({ wt });
    expect((await app.inject({ url: '/api/webtransport', headers: { host: '127.0.0.1:1' } })).json()).toEqual({
      url: 'https://127.0.0.1:4433',
      certificateHashes: [{ algorithm: 'sha-256', value: 'AAAA' }],
    });
    hash = 'BBBB';
    expect((await app.inject({ url: '/api/webtransport' })).json()).toMatchObject({ certificateHashes: [{ value: 'BBBB' }] });
  });
});
