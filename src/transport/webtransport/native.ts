import type { QUICConnection, QUICServer } from '@matrixai/quic';

/**
 * The parts of quiche's native connection that @matrixai/quic does not wrap: QUIC
 * DATAGRAM frames (RFC 9221). The library keeps the native object in a protected field
 * `conn`; we reach it through this narrow interface instead of widening our use of it.
 */
export interface NativeDatagrams {
  dgramSend(data: Uint8Array): void | null;
  dgramRecvVec(): Uint8Array | null;
  dgramMaxWritableLen(): number | null;
  isClosed(): boolean;
}

interface WithNative {
  conn: NativeDatagrams;
  abandonClosingPeriod(): boolean;
  send(): Promise<void>;
  recv(data: Uint8Array, remoteInfo: unknown): Promise<void>;
}

export function nativeOf(connection: QUICConnection): NativeDatagrams {
  return (connection as unknown as WithNative).conn;
}

/** Flushes what quiche queued (datagrams are not flushed by the library itself). */
export function flush(connection: QUICConnection): void {
  (connection as unknown as WithNative).send().catch(() => undefined);
}

/**
 * Calls `after` once each received packet batch is processed, which is when quiche may
 * hold new datagrams. Wraps the instance's `recv` (not the prototype) so nothing else changes.
 */
export function afterEachRecv(connection: QUICConnection, after: () => void): void {
  const target = connection as unknown as WithNative;
  const recv = target.recv.bind(connection);
  target.recv = async (data, remoteInfo) => {
    try {
      await recv(data, remoteInfo);
    } finally {
      after();
    }
  };
}

/** Streams the peer opened before we subscribed to the connection's stream event. */
export function existingStreams(connection: QUICConnection): Iterable<unknown> {
  return (connection as unknown as { streamMap: Map<number, unknown> }).streamMap.values();
}

/**
 * Ends a connection's closing period now (our patch of @matrixai/quic adds the method):
 * for a server shutting down after its CONNECTION_CLOSE is sent. False while the close is
 * not sent yet.
 */
export function abandonClosingPeriod(connection: QUICConnection): boolean {
  return (connection as unknown as WithNative).abandonClosingPeriod();
}

/**
 * Every connection the server's socket routes to, handshaking ones included (the library
 * registers a connection before its handshake completes and emits it only after).
 */
export function serverConnections(server: QUICServer): Iterable<QUICConnection> {
  return (server as unknown as { socket: { connectionMap: { serverConnections: Map<unknown, QUICConnection> } } }).socket.connectionMap.serverConnections.values();
}
