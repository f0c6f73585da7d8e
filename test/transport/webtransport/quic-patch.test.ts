import { describe, expect, it } from 'vitest';
import { H3 } from '../../../src/transport/webtransport/errors.js';
import { concatBytes } from '../../../src/transport/webtransport/bytes.js';
import { FrameReader, FrameType, StreamType, encodeFrame } from '../../../src/transport/webtransport/frames.js';
import { decodeFieldSection } from '../../../src/transport/webtransport/qpack.js';
import { encodeSettings } from '../../../src/transport/webtransport/settings.js';
import { encodeVarint } from '../../../src/transport/webtransport/varint.js';
import { RawQuicheClient } from './helpers/raw-quiche-client.js';
import { startTestServer } from './helpers/server-fixture.js';
import { clientSettings, connectHeaders, headersFrame, withTimeout, WtTestClient } from './helpers/wt-client.js';

/**
 * What patches/@matrixai+quic+2.0.9.patch fixes, reproduced from Node. Without the patch
 * these fail (connections never complete, or the process dies with InvalidStreamState).
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
});
