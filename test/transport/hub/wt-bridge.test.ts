import { describe, expect, it, vi } from 'vitest';
import { AnalysisHub } from '../../../src/transport/hub.js';
import { attachWebTransport, createWebTransportAuthorizer } from '../../../src/transport/wt-bridge.js';
import { FrameDecoder } from '../../../src/transport/framing.js';
import { STREAM_END_LINGER_MS } from '../../../src/transport/wt-sink.js';
import { silentLogger } from '../../../src/media/logger.js';
import { FakeSession, FakeWtServer, type FakeSendStream } from './fake-wt.js';
import { settle } from './memory-sink.js';

const deps = { streamExists: (id: string) => id === 'cam1', authorizeViewer: (_id: string, t: string | null) => t !== 'bad' };

function decode(stream: FakeSendStream | undefined): { channel: string; seq: number }[] {
  const dec = new FrameDecoder();
  return (stream?.chunks ?? []).flatMap((c) => dec.push(c)).map((t) => JSON.parse(t) as { channel: string; seq: number });
}

/** A hub, a fake WebTransport server bridged to it, and one viewer session on stream cam1. */
function bridgedSession(): { hub: AnalysisHub; session: FakeSession } {
  const hub = new AnalysisHub();
  const server = new FakeWtServer();
  attachWebTransport(server, { ...deps, hub, logger: silentLogger() });
  const session = new FakeSession('/streams/cam1/analysis');
  server.emit('session', session);
  return { hub, session };
}

describe('WebTransport bridge', () => {
  it('authorises CONNECT with the same rules as the WebSocket path', () => {
    const authorize = createWebTransportAuthorizer(deps);
    const q = (s: string) => new URLSearchParams(s);
    expect(authorize({ path: '/streams/cam1/analysis', query: q(''), authority: 'x' })).toBe(200);
    expect(authorize({ path: '/streams/nope/analysis', query: q(''), authority: 'x' })).toBe(404);
    expect(authorize({ path: '/other', query: q(''), authority: 'x' })).toBe(404);
    expect(authorize({ path: '/streams/cam1/analysis', query: q('since=text:z'), authority: 'x' })).toBe(400);
    expect(authorize({ path: '/streams/cam1/analysis', query: q('token=bad'), authority: 'x' })).toBe(403);
  });

  it('puts each channel on its own uni stream, length-prefixed, resumes with since', async () => {
    const hub = new AnalysisHub();
    const server = new FakeWtServer();
    attachWebTransport(server, { ...deps, hub, logger: silentLogger() });
    hub.publish('cam1', { channel: 'text', type: 'x', pts: 0, data: null });
    const session = new FakeSession('/streams/cam1/analysis', 'since=text:0');
    server.emit('session', session);
    hub.publish('cam1', { channel: 'alerts', type: 'x', pts: 0, data: null });
    hub.publish('cam1', { channel: 'text', type: 'x', pts: 1, data: null });
    await settle();
    expect(session.streams).toHaveLength(2);
    const byChannel = new Map(session.streams.map((s) => [decode(s)[0]?.channel, decode(s)]));
    expect(byChannel.get('text')?.map((e) => e.seq)).toEqual([1, 2]);
    expect(byChannel.get('alerts')?.map((e) => e.seq)).toEqual([1]);
  });

  it('echoes datagrams, sends datagram channels as bare JSON, and detaches on close', async () => {
    const hub = new AnalysisHub();
    const server = new FakeWtServer();
    attachWebTransport(server, { ...deps, hub, logger: silentLogger() });
    const session = new FakeSession('/streams/cam1/analysis', 'datagrams=video');
    server.emit('session', session);
    session.emit('datagram', new Uint8Array([1, 2, 3]));
    hub.publish('cam1', { channel: 'video', type: 'frame', pts: 0, data: { index: 0 } });
    expect([...(session.datagramsSent[0] ?? [])]).toEqual([1, 2, 3]);
    expect(JSON.parse(new TextDecoder().decode(session.datagramsSent[1]))).toMatchObject({ channel: 'video', seq: 1, type: 'frame' });
    expect(session.streams).toHaveLength(0);
    expect(hub.viewerCount('cam1')).toBe(1);
    session.emit('close');
    expect(hub.viewerCount('cam1')).toBe(0);
  });

  it('on stream end closes the streams with FIN, then, STREAM_END_LINGER_MS later, the session with code 0', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const { hub, session } = bridgedSession();
      hub.publish('cam1', { channel: 'transcript', type: 'delta', pts: 0, data: { itemId: 'a', text: 'hi' } });
      hub.endStream('cam1');
      await settle();
      expect(session.streams[0]?.closedWithFin).toBe(true);
      expect(decode(session.streams[0])).toHaveLength(1);
      vi.advanceTimersByTime(STREAM_END_LINGER_MS - 1);
      expect(session.closeCall).toBeNull();
      vi.advanceTimersByTime(1);
      expect(session.closeCall?.code).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not close again a session that closed while its stream end lingered', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const { hub, session } = bridgedSession();
      hub.publish('cam1', { channel: 'text', type: 'x', pts: 0, data: null });
      hub.endStream('cam1');
      await settle();
      expect(session.closeCall).toBeNull();
      // The server shut down meanwhile (it closes every session itself) or the viewer left.
      session.close(1001, 'shutdown');
      vi.advanceTimersByTime(STREAM_END_LINGER_MS);
      expect(session.closeCall).toEqual({ code: 1001, reason: 'shutdown' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('closes a lagging session with 4008 and the reason', async () => {
    const hub = new AnalysisHub({ reliableQueueCapacity: 2 });
    const server = new FakeWtServer();
    attachWebTransport(server, { ...deps, hub, logger: silentLogger() });
    const session = new FakeSession('/streams/cam1/analysis');
    server.emit('session', session);
    hub.publish('cam1', { channel: 'text', type: 'x', pts: 0, data: null });
    await settle();
    const stream = session.streams[0];
    if (!stream) throw new Error('no stream opened');
    stream.full = true;
    // the write resolves but the stream reports no room: each write is now awaited; make it hang
    stream.write = () => new Promise<void>(() => undefined);
    for (let i = 0; i < 10; i += 1) hub.publish('cam1', { channel: 'text', type: 'x', pts: i, data: null });
    expect(session.closeCall?.code).toBe(4008);
    expect(JSON.parse(session.closeCall?.reason ?? '{}')).toMatchObject({ error: { code: 'OVERLOADED' } });
  });

  it('refuses a session for an unknown stream with its HTTP status as the close code', () => {
    const hub = new AnalysisHub();
    const server = new FakeWtServer();
    attachWebTransport(server, { ...deps, hub, logger: silentLogger() });
    const session = new FakeSession('/streams/ghost/analysis');
    server.emit('session', session);
    expect(session.closeCall?.code).toBe(404);
  });
});

describe('WebTransport sink batching', () => {
  it('writes what a channel has queued as one chunk once the stream asked it to wait', async () => {
    const hub = new AnalysisHub();
    const server = new FakeWtServer();
    attachWebTransport(server, { ...deps, hub, logger: silentLogger() });
    const session = new FakeSession('/streams/cam1/analysis', 'channels=text');
    server.emit('session', session);
    hub.publish('cam1', { channel: 'text', type: 'x', pts: 0, data: null });
    await settle();
    const stream = session.streams[0];
    if (!stream) throw new Error('no stream opened');
    // No room: the next write is awaited; hold it so the rest queue up behind it.
    stream.full = true;
    let release!: () => void;
    const original = stream.write.bind(stream);
    stream.write = (chunk) => original(chunk).then(() => new Promise<void>((r) => (release = r)));
    for (let i = 1; i <= 10; i += 1) hub.publish('cam1', { channel: 'text', type: 'x', pts: i, data: null });
    await settle();
    release();
    await settle();
    expect(stream.chunks).toHaveLength(3);
    expect(decode(stream).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});
