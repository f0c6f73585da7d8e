import dgram from 'node:dgram';
import type { QUICConnection } from '@matrixai/quic';
import { describe, expect, it, vi } from 'vitest';
import { H3 } from '../../../src/transport/webtransport/errors.js';
import { concatBytes } from '../../../src/transport/webtransport/bytes.js';
import { FrameReader, FrameType, StreamType, encodeFrame } from '../../../src/transport/webtransport/frames.js';
import { decodeFieldSection } from '../../../src/transport/webtransport/qpack.js';
import { encodeSettings } from '../../../src/transport/webtransport/settings.js';
import { encodeVarint } from '../../../src/transport/webtransport/varint.js';
import { nativeOf } from '../../../src/transport/webtransport/native.js';
import { RawQuicheClient } from './helpers/raw-quiche-client.js';
import { startTestServer } from './helpers/server-fixture.js';
import { clientSettings, connectHeaders, headersFrame, withTimeout, WtTestClient } from './helpers/wt-client.js';

interface PathStatsView { pathStats(): { rtt: number }[]; isDraining(): boolean }
const connectionOf = (session: unknown): QUICConnection => (session as { connection: QUICConnection }).connection;

async function readBytes(reader: ReadableStreamDefaultReader<Uint8Array>, n: number): Promise<number> {
  let got = 0;
  while (got < n) {
    const { value, done } = await withTimeout(reader.read(), 10_000, `${n} bytes`);
    if (done) break;
    got += value.byteLength;
  }
  return got;
}

/**
 * What patches/@matrixai+quic+2.0.9.patch fixes, reproduced from Node. Without the patch
 * these fail (connections never complete, the process dies with InvalidStreamState, every
 * small write leaves in its own packet, or shutdown waits out every closing period).
 */
describe('@matrixai/quic patch', () => {
  it('accepts a client whose Initial flight spans several datagrams (a large ClientHello, as Chromium sends)', async () => {
    const { server } = await startTestServer();
    // Long ALPN entries push the ClientHello past one 1200-byte Initial datagram, like
    // Chromium's post-quantum key share does. Before the patch each datagram started
    // its own connection and neither handshake completed.
    const padding = Array.from({ length: 8 }, (_, i) => `x${i}`.padEnd(200, 'x'));
    let client: WtTestClient | undefined;
    try {
      client = await withTimeout(
        WtTestClient.connect({ host: '127.0.0.1', port: server.port, config: { applicationProtos: ['h3', ...padding] } }),
        15_000,
        'QUIC handshake',
      );
      const session = await client.openSession('localhost', '/ok');
      expect(session.sessionId).toBe(0);
    } finally {
      await client?.close();
      await server.close();
    }
  });

  it('reads the control stream a client sends together with its handshake Finished', async () => {
    const { server } = await startTestServer();
    let client: RawQuicheClient | undefined;
    // Before the patch the failure surfaced as an unhandled rejection from the socket handler.
    const escaped: unknown[] = [];
    const record = (err: unknown) => void escaped.push(err);
    process.on('unhandledRejection', record);
    process.on('uncaughtException', record);
    try {
      let early = false;
      client = await RawQuicheClient.connect({ host: '127.0.0.1', port: server.port }, (conn) => {
        // Stream 2 (our first uni stream) leaves in the same flight as the Finished, while
        // the server's connection is still "starting". Before the patch the library shut
        // it for writing, which threw InvalidStreamState and took the process down.
        conn.streamSend(2, concatBytes([encodeVarint(StreamType.CONTROL), encodeSettings(clientSettings())]), false);
        early = true;
      });
      const c = client;
      while (!early) await withTimeout(c.nextPacket(), 10_000, 'handshake');
      // The request on stream 0 is answered: the connection is up on both sides.
      c.write(0, headersFrame(connectHeaders('localhost', '/ok')));
      const frames = new FrameReader(1 << 16, () => false);
      let status: string | undefined;
      while (status === undefined) {
        await withTimeout(c.nextPacket(), 10_000, 'CONNECT response');
        const headers = frames.push(c.read(0)).find((f) => f.type === FrameType.HEADERS);
        if (headers) status = decodeFieldSection(headers.payload).find(([n]) => n === ':status')?.[1];
      }
      expect(status).toBe('200');
      // The early control stream is being read: a DATA frame on it is a connection error.
      c.write(2, encodeFrame(FrameType.DATA, new Uint8Array(1)));
      while (c.conn.peerError() === null) await withTimeout(c.nextPacket(), 10_000, 'CONNECTION_CLOSE');
      expect(c.conn.peerError()?.errorCode).toBe(H3.FRAME_UNEXPECTED);
      expect(escaped).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
      client?.close();
      await server.close();
    }
  });

  it('sends the stream writes made in one turn of the event loop together, not one packet each', async () => {
    const datagrams: number[] = [];
    let serverPort = -1;
    const send = dgram.Socket.prototype.send;
    // Installed before the server starts: the library binds the socket's send once, at start.
    const spy = vi.spyOn(dgram.Socket.prototype, 'send').mockImplementation(function (this: dgram.Socket, ...args: unknown[]) {
      if (this.address().port === serverPort) datagrams.push(datagrams.length);
      return (send as (...a: unknown[]) => void).apply(this, args);
    });
    const { server, sessions } = await startTestServer();
    serverPort = server.port;
    const client = await WtTestClient.connect({ host: '127.0.0.1', port: server.port });
    try {
      const clientSession = await client.openSession('localhost', '/ok');
      const stream = await (await sessions.next()).openUni();
      const reader = (await clientSession.uniStreams.next()).getReader();
      const before = datagrams.length;
      // 50 small events in one go, as the hub writes a burst of findings.
      for (let i = 0; i < 50; i += 1) void stream.write(new Uint8Array(20).fill(i));
      expect(await readBytes(reader, 1000)).toBe(1000);
      // Unpatched, each write ran its own send: at least 50 datagrams.
      expect(datagrams.length - before).toBeLessThan(10);
    } finally {
      spy.mockRestore();
      await client.close();
      await server.close();
    }
  });

  it('close() sends CONNECTION_CLOSE and does not wait out the closing period (3 PTO: seconds on a slow path)', async () => {
    const { server, sessions } = await startTestServer({ closingGraceMs: 0 });
    const client = await WtTestClient.connect({ host: '127.0.0.1', port: server.port });
    try {
      const clientSession = await client.openSession('localhost', '/ok');
      const session = await sessions.next();
      const conn = nativeOf(connectionOf(session)) as unknown as PathStatsView;
      // A slow path: everything the client sends takes 400 ms to leave (path delay, not synchronisation).
      const socket = (client.quic as unknown as { socket: { send_: (...a: unknown[]) => Promise<void> } }).socket;
      const clientSend = socket.send_.bind(socket);
      socket.send_ = (...a: unknown[]) => new Promise((r) => setTimeout(r, 400)).then(() => clientSend(...a));
      const stream = await session.openUni();
      const reader = (await clientSession.uniStreams.next()).getReader();
      // Round trips until the server has measured the slow path (its PTO is then > 1 s).
      while ((conn.pathStats()[0]?.rtt ?? 0) < 300) {
        await stream.write(new Uint8Array(1));
        await readBytes(reader, 1);
        await new Promise((r) => setImmediate(r));
      }
      await server.close();
      // Closed with CONNECTION_CLOSE (the client got it) ...
      expect(await withTimeout(client.connectionClosed, 10_000, 'CONNECTION_CLOSE')).toEqual({ isApp: true, errorCode: H3.NO_ERROR });
      // ... and close() returned while quiche would still be in its closing period.
      expect(conn.isDraining()).toBe(true);
      expect(nativeOf(connectionOf(session)).isClosed()).toBe(false);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
