import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatBytes } from '../../../src/transport/webtransport/bytes.js';
import { H3 } from '../../../src/transport/webtransport/errors.js';
import { FrameType, StreamType, encodeFrame } from '../../../src/transport/webtransport/frames.js';
import type { WebTransportServer } from '../../../src/transport/webtransport/index.js';
import { encodeSettings } from '../../../src/transport/webtransport/settings.js';
import { StreamCode } from '../../../src/transport/webtransport/stream-code.js';
import { encodeVarint } from '../../../src/transport/webtransport/varint.js';
import { startTestServer } from './helpers/server-fixture.js';
import { clientSettings, connectHeaders, headersFrame, withTimeout, WtTestClient, type RequestStream } from './helpers/wt-client.js';

/**
 * Malformed input from a peer speaking raw HTTP/3 bytes: each case must end the stream or
 * the connection with the HTTP/3 error code the RFC names, and the server must go on
 * serving others.
 */

const RESERVED_FRAME = 0x1f * 3 + 0x21; // RFC 9114 §7.2.8
const v = encodeVarint;
const connect = (path = '/ok') => headersFrame(connectHeaders('localhost', path));

describe('malformed HTTP/3 and WebTransport input', () => {
  let server: WebTransportServer;
  const clients: WtTestClient[] = [];

  const newClient = async (): Promise<WtTestClient> => {
    const c = await WtTestClient.connect({ host: '127.0.0.1', port: server.port });
    clients.push(c);
    return c;
  };
  const connectionError = async (c: WtTestClient): Promise<number> => {
    const closed = await withTimeout(c.connectionClosed, 10_000, 'CONNECTION_CLOSE');
    expect(closed.isApp).toBe(true);
    return closed.errorCode;
  };
  const streamReset = async (req: RequestStream): Promise<number> => {
    const err = await withTimeout(req.response.then(() => null, (e: unknown) => e), 10_000, 'stream reset');
    expect(err).toBeInstanceOf(StreamCode);
    return (err as StreamCode).code;
  };
  const status = async (req: RequestStream): Promise<string | undefined> =>
    (await withTimeout(req.response, 10_000, 'response')).find(([n]) => n === ':status')?.[1];

  beforeAll(async () => {
    ({ server } = await startTestServer({ maxFieldSectionSize: 4096 }));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server?.close();
  });

  describe('ignored where the RFC says to ignore', () => {
    it('unknown frame types on the control stream and before HEADERS on a request stream', async () => {
      const c = await newClient();
      await c.sendControl(concatBytes([encodeSettings(clientSettings()), encodeFrame(RESERVED_FRAME, new Uint8Array(5000))]));
      const req = await c.rawBidi(concatBytes([encodeFrame(RESERVED_FRAME, new Uint8Array(10)), connect()]));
      expect(await status(req)).toBe('200');
    });

    it('unknown SETTINGS identifiers (GREASE)', async () => {
      const c = await newClient();
      await c.sendControl(encodeSettings(new Map([...clientSettings(), [0x1f * 9 + 0x21, 77]])));
      expect(await status(await c.rawBidi(connect()))).toBe('200');
    });
  });

  describe('stream errors: the request is reset, the connection lives on', () => {
    it('oversized HEADERS → H3_EXCESSIVE_LOAD', async () => {
      const c = await newClient();
      await c.sendControl();
      const big = connectHeaders('localhost', `/ok?pad=${'x'.repeat(5000)}`);
      expect(await streamReset(await c.rawBidi(headersFrame(big)))).toBe(H3.EXCESSIVE_LOAD);
      expect(await status(await c.rawBidi(connect()))).toBe('200');
    });

    it('wrong :protocol → H3_REQUEST_REJECTED', async () => {
      const c = await newClient();
      await c.sendControl();
      expect(await streamReset(await c.rawBidi(headersFrame(connectHeaders('localhost', '/ok', 'websocket'))))).toBe(H3.REQUEST_REJECTED);
      expect(await status(await c.rawBidi(connect()))).toBe('200');
    });

    it('missing :path, uppercase names, :protocol on GET → H3_MESSAGE_ERROR', async () => {
      const c = await newClient();
      await c.sendControl();
      const noPath = connectHeaders('localhost', '/ok').filter(([n]) => n !== ':path');
      expect(await streamReset(await c.rawBidi(headersFrame(noPath)))).toBe(H3.MESSAGE_ERROR);
      const upper = [...connectHeaders('localhost', '/ok'), ['X-Upper', '1']] as [string, string][];
      expect(await streamReset(await c.rawBidi(headersFrame(upper)))).toBe(H3.MESSAGE_ERROR);
      const get = connectHeaders('localhost', '/ok').map(([n, val]): [string, string] => [n, n === ':method' ? 'GET' : val]);
      expect(await streamReset(await c.rawBidi(headersFrame(get)))).toBe(H3.MESSAGE_ERROR);
    });

    it('CONNECT refused by authorize (unknown stream id) → its HTTP status, no session', async () => {
      const c = await newClient();
      await c.sendControl();
      const req = await c.rawBidi(connect('/streams/no-such-stream/analysis'));
      expect(await status(req)).toBe('404');
      expect(await withTimeout(req.closed, 10_000, 'FIN')).toBeNull();
    });

    it('a WebTransport stream for a session that does not exist → WEBTRANSPORT_BUFFERED_STREAM_REJECTED', async () => {
      const c = await newClient();
      await c.sendControl();
      const req = await c.rawBidi(concatBytes([v(FrameType.WEBTRANSPORT_STREAM), v(400), new Uint8Array([1, 2, 3])]));
      expect(await streamReset(req)).toBe(H3.WEBTRANSPORT_BUFFERED_STREAM_REJECTED);
    });

    it('an unknown unidirectional stream type → STOP_SENDING with H3_STREAM_CREATION_ERROR', async () => {
      const c = await newClient();
      await c.sendControl();
      const writer = await c.rawUni(concatBytes([v(0x1f * 5 + 0x21), new Uint8Array(100)]));
      const stopped = writer.closed.then(() => null, (e: unknown) => e);
      // quiche reports STOP_SENDING to the writer on its next write.
      const keepWriting = (async () => {
        for (let i = 0; i < 200 && (await Promise.race([stopped.then(() => true), Promise.resolve(false)])) === false; i++) {
          await writer.write(new Uint8Array(10)).catch(() => undefined);
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      const err = await withTimeout(stopped, 10_000, 'STOP_SENDING');
      await keepWriting;
      expect(err).toBeInstanceOf(StreamCode);
      expect((err as StreamCode).code).toBe(H3.STREAM_CREATION_ERROR);
      expect(await status(await c.rawBidi(connect()))).toBe('200');
    });
  });

  describe('connection errors: the connection is closed with the code', () => {
    const cases: [string, (c: WtTestClient) => Promise<unknown>, number][] = [
      ['a frame of an HTTP/2-only type (PRIORITY) on a request stream', (c) => c.rawBidi(encodeFrame(0x02, new Uint8Array(5))), H3.FRAME_UNEXPECTED],
      ['DATA before HEADERS', (c) => c.rawBidi(encodeFrame(FrameType.DATA, new Uint8Array(3))), H3.FRAME_UNEXPECTED],
      ['SETTINGS on a request stream', (c) => c.rawBidi(encodeSettings(clientSettings())), H3.FRAME_UNEXPECTED],
      ['a request stream ending inside a varint (bad varint)', async (c) => (await c.rawBidi(Uint8Array.of(0x40))).writer.close(), H3.FRAME_ERROR],
      ['a request stream ending inside a frame', async (c) => (await c.rawBidi(connect().subarray(0, 6))).writer.close(), H3.FRAME_ERROR],
      ['a truncated varint inside SETTINGS', (c) => c.sendControl(encodeFrame(FrameType.SETTINGS, Uint8Array.of(0x06, 0x40))), H3.FRAME_ERROR],
      ['an HTTP/2 setting', (c) => c.sendControl(encodeFrame(FrameType.SETTINGS, Uint8Array.of(0x02, 0x01))), H3.SETTINGS_ERROR],
      ['a control stream that does not start with SETTINGS', (c) => c.sendControl(encodeFrame(FrameType.GOAWAY, v(0))), H3.MISSING_SETTINGS],
      ['a second SETTINGS', (c) => c.sendControl(concatBytes([encodeSettings(clientSettings()), encodeSettings(clientSettings())])), H3.FRAME_UNEXPECTED],
      ['DATA on the control stream', (c) => c.sendControl(concatBytes([encodeSettings(clientSettings()), encodeFrame(FrameType.DATA, v(1))])), H3.FRAME_UNEXPECTED],
      ['a second control stream', async (c) => (await c.sendControl(), c.sendControl()), H3.STREAM_CREATION_ERROR],
      ['the control stream closed', async (c) => (await c.sendControl()).close(), H3.CLOSED_CRITICAL_STREAM],
      ['a push stream from the client', (c) => c.rawUni(concatBytes([v(StreamType.PUSH), v(0)])), H3.STREAM_CREATION_ERROR],
      ['a session id that is not a client bidi stream', (c) => c.rawUni(concatBytes([v(StreamType.WEBTRANSPORT), v(2), v(1)])), H3.ID_ERROR],
      ['a dynamic-table reference in HEADERS', (c) => c.rawBidi(encodeFrame(FrameType.HEADERS, Uint8Array.of(0x02, 0x00, 0x80))), H3.QPACK_DECOMPRESSION_FAILED],
      ['a Huffman string with bad padding', (c) => c.rawBidi(encodeFrame(FrameType.HEADERS, Uint8Array.of(0x00, 0x00, 0x51, 0x81, 0x1c))), H3.QPACK_DECOMPRESSION_FAILED],
    ];
    it.each(cases)('%s', async (_name, send, code) => {
      const c = await newClient();
      await send(c);
      expect(await connectionError(c)).toBe(code);
    });
  });

  it('still serves a well-behaved client afterwards', async () => {
    const c = await newClient();
    const session = await c.openSession('localhost', '/ok/after');
    expect(session.sessionId % 4).toBe(0);
    expect(server.sessionCount).toBeGreaterThan(0);
  });
});
