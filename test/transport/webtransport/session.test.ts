import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebTransportServer, WebTransportSession } from '../../../src/transport/webtransport/index.js';
import { webTransportCodeToHttp3 } from '../../../src/transport/webtransport/errors.js';
import { SettingId } from '../../../src/transport/webtransport/settings.js';
import { StreamCode } from '../../../src/transport/webtransport/stream-code.js';
import { startTestServer } from './helpers/server-fixture.js';
import { readAll, withTimeout, WtTestClient, type AsyncQueue } from './helpers/wt-client.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * Datagrams are unreliable: sends one now and again every 100 ms until `received` settles
 * (the receiver's own wait bounds how long).
 */
async function resendUntil<T>(send: () => void, received: Promise<T>): Promise<T> {
  send();
  const timer = setInterval(send, 100);
  try {
    return await received;
  } finally {
    clearInterval(timer);
  }
}

describe('WebTransport sessions over a real QUIC connection', () => {
  let server: WebTransportServer;
  let sessions: AsyncQueue<WebTransportSession>;
  let client: WtTestClient;

  beforeAll(async () => {
    ({ server, sessions } = await startTestServer());
    client = await WtTestClient.connect({ host: '127.0.0.1', port: server.port });
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('sends SETTINGS with both WebTransport generations, datagrams and extended CONNECT', async () => {
    await client.sendControl();
    const settings = await withTimeout(client.serverSettings, 5000, 'server SETTINGS');
    expect(settings.get(SettingId.ENABLE_WEBTRANSPORT_DRAFT02)).toBe(1);
    expect(settings.get(SettingId.WEBTRANSPORT_MAX_SESSIONS)).toBeGreaterThan(0);
    expect(settings.get(SettingId.H3_DATAGRAM)).toBe(1);
    expect(settings.get(SettingId.ENABLE_CONNECT_PROTOCOL)).toBe(1);
    expect(settings.get(SettingId.QPACK_MAX_TABLE_CAPACITY)).toBe(0);
  });

  it('accepts a CONNECT, then carries uni streams, bidi streams and datagrams both ways, and closes with a capsule', async () => {
    const clientSession = await client.openSession('localhost', '/ok/analysis?x=1');
    const session = await sessions.next();
    expect(session.path).toBe('/ok/analysis');
    expect(session.query.get('x')).toBe('1');
    expect(session.id).toBe(String(clientSession.sessionId));

    // Server → client uni stream.
    const send = await session.openUni();
    expect(send.desiredSize).toBeGreaterThan(0);
    await send.write(enc.encode('hello '));
    await send.write(enc.encode('viewer'));
    await send.close();
    const uni = await clientSession.uniStreams.next();
    expect(dec.decode(await readAll(uni))).toBe('hello viewer');

    // Datagrams both ways, each resent until it arrives.
    const got = new Promise<Uint8Array>((resolve) => session.once('datagram', resolve));
    const ping = await resendUntil(() => clientSession.sendDatagram(enc.encode('ping')), withTimeout(got, 10_000, 'datagram at server'));
    expect(dec.decode(ping)).toBe('ping');
    const accepted: boolean[] = [];
    const pong = await resendUntil(() => void accepted.push(session.sendDatagram(enc.encode('pong'))), clientSession.datagrams.next());
    expect(accepted[0]).toBe(true);
    expect(dec.decode(pong)).toBe('pong');

    // Client bidi stream, echoed by the server.
    session.on('bidi', ({ readable, writable }) => {
      void readable.pipeTo(writable).catch(() => undefined);
    });
    const bidi = await clientSession.openBidi();
    await bidi.writer.write(enc.encode('echo me'));
    await bidi.writer.close();
    expect(dec.decode(await readAll(bidi.readable))).toBe('echo me');

    // Server closes: CLOSE_WEBTRANSPORT_SESSION with code and reason, then FIN.
    const closedAtServer = new Promise((resolve) => session.once('close', resolve));
    session.close(7, 'bye');
    expect(await withTimeout(clientSession.request.closed, 5000, 'close capsule')).toEqual({ code: 7, reason: 'bye' });
    expect(await closedAtServer).toEqual({ code: 7, reason: 'bye' });
    expect(session.closed).toBe(true);
  });

  it('resets a send stream on abort(code) with the code mapped into the HTTP/3 range, and hands client uni streams over', async () => {
    const clientSession = await client.openSession('localhost', '/ok/abort');
    const session = await sessions.next();
    const send = await session.openUni();
    await send.write(enc.encode('partial'));
    const readable = await clientSession.uniStreams.next();
    send.abort(9);
    expect(send.desiredSize).toBeNull();
    const err = await readAll(readable).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(StreamCode);
    expect((err as StreamCode).code).toBe(webTransportCodeToHttp3(9));

    const gotUni = new Promise<ReadableStream<Uint8Array>>((resolve) => session.once('uni', resolve));
    const writer = await clientSession.openUni();
    await writer.write(enc.encode('from the client'));
    await writer.close();
    expect(dec.decode(await readAll(await withTimeout(gotUni, 5000, 'client uni stream')))).toBe('from the client');
  });

  it('emits close with the client capsule when the client closes the session', async () => {
    const clientSession = await client.openSession('localhost', '/ok/2');
    const session = await sessions.next();
    const closed = new Promise((resolve) => session.once('close', resolve));
    await clientSession.close(42, 'client done');
    expect(await withTimeout(closed, 5000, 'session close')).toEqual({ code: 42, reason: 'client done' });
  });

  it('answers a CONNECT refused by authorize with its status and no session', async () => {
    await expect(client.openSession('localhost', '/streams/unknown/analysis')).rejects.toMatchObject({ status: 404 });
    expect(sessions.size).toBe(0);
  });
});
