import { errors, events } from '@matrixai/quic';
import { describe, expect, it } from 'vitest';
import { H3 } from '../../../src/transport/webtransport/errors.js';
import { startTestServer } from './helpers/server-fixture.js';
import { readAll, withTimeout, WtTestClient } from './helpers/wt-client.js';

describe('WebTransport server lifecycle', () => {
  it('close() sends GOAWAY, closes sessions with a capsule, ends the connection with H3_NO_ERROR, and is idempotent', async () => {
    const { server, sessions } = await startTestServer();
    const client = await WtTestClient.connect({ host: '127.0.0.1', port: server.port });
    try {
      const clientSession = await client.openSession('localhost', '/ok');
      const session = await sessions.next();
      const serverSideClose = new Promise((resolve) => session.once('close', resolve));
      await Promise.all([server.close(), server.close()]);
      // RFC 9114 §5.2: the id of the first request not processed, here the one after ours.
      expect(await client.goaways.next()).toBe(clientSession.sessionId + 4);
      expect(await withTimeout(clientSession.request.closed, 5000, 'close capsule')).toEqual({ code: 0, reason: 'server shutting down' });
      expect(await withTimeout(client.connectionClosed, 5000, 'CONNECTION_CLOSE')).toEqual({ isApp: true, errorCode: H3.NO_ERROR });
      expect(await serverSideClose).toEqual({ code: 0, reason: 'server shutting down' });
      await server.close();
    } finally {
      await client.close();
    }
  });

  it('notices a client that vanishes without a word (idle timeout) and emits close', async () => {
    const { server, sessions } = await startTestServer({ idleTimeoutMs: 1000 });
    const client = await WtTestClient.connect({ host: '127.0.0.1', port: server.port });
    try {
      await client.openSession('localhost', '/ok');
      const session = await sessions.next();
      const closed = new Promise<{ code: number; reason: string }>((resolve) => session.once('close', resolve));
      // Cut the client's outgoing packets: from the server's side it is gone.
      (client.quic as unknown as { socket: { send_: () => Promise<void> } }).socket.send_ = async () => undefined;
      expect((await withTimeout(closed, 10_000, 'session close')).reason).toMatch(/lost|closed/);
      expect(session.closed).toBe(true);
      expect(session.sendDatagram(new Uint8Array(1))).toBe(false);
      await expect(session.openUni()).rejects.toThrow(/closed/);
      expect(server.sessionCount).toBe(0);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('applies backpressure: write() waits while the viewer does not read, desiredSize says so', async () => {
    const { server, sessions } = await startTestServer();
    // A 64 KiB stream window keeps the transfer small.
    const client = await WtTestClient.connect({ host: '127.0.0.1', port: server.port, config: { initialMaxStreamDataUni: 64 * 1024 } });
    try {
      const clientSession = await client.openSession('localhost', '/ok');
      const session = await sessions.next();
      const stream = await session.openUni();
      const big = new Uint8Array(512 * 1024).fill(7); // beyond the client's stream window and our high-water mark
      let accepted = false;
      const write = stream.write(big).then(() => (accepted = true));
      expect(stream.desiredSize).toBeLessThan(0);
      const readable = await clientSession.uniStreams.next();
      expect(accepted).toBe(false);
      const closing = write.then(() => stream.close());
      const received = await readAll(readable);
      await closing;
      expect(accepted).toBe(true);
      expect(received.byteLength).toBe(big.byteLength);
      expect(stream.desiredSize).toBeNull();
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('closes one connection whose QUIC layer fails internally, without an uncaught exception', async () => {
    const { server, sessions } = await startTestServer();
    const client = await WtTestClient.connect({ host: '127.0.0.1', port: server.port });
    const escaped: unknown[] = [];
    const record = (err: unknown) => void escaped.push(err);
    process.on('uncaughtException', record);
    try {
      await client.openSession('localhost', '/ok');
      const session = await sessions.next();
      const closed = new Promise((resolve) => session.once('close', resolve));
      // What the library dispatches when a quiche send fails; its own handler rethrows it.
      const quic = (session as unknown as { connection: EventTarget }).connection;
      quic.dispatchEvent(new events.EventQUICConnectionError({ detail: new errors.ErrorQUICConnectionInternal('simulated') }));
      expect(await withTimeout(closed, 5000, 'session close')).toEqual({ code: 0, reason: 'the QUIC connection failed' });
      expect(await withTimeout(client.connectionClosed, 5000, 'CONNECTION_CLOSE')).toEqual({ isApp: true, errorCode: H3.INTERNAL_ERROR });
      expect(escaped).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
      await client.close();
      await server.close();
    }
  });

  it('answers 429 beyond the per-connection session limit', async () => {
    const { server } = await startTestServer({ maxSessionsPerConnection: 1 });
    const client = await WtTestClient.connect({ host: '127.0.0.1', port: server.port });
    try {
      await client.openSession('localhost', '/ok/1');
      await expect(client.openSession('localhost', '/ok/2')).rejects.toMatchObject({ status: 429 });
    } finally {
      await client.close();
      await server.close();
    }
  });
});
