import { createSocket, type Socket } from 'node:dgram';
import { webcrypto } from 'node:crypto';
import { native } from '@matrixai/quic';

type NativeConnection = ReturnType<typeof native.quiche.Connection.connect>;

/** Hands every datagram quiche has queued to `send` (each a copy: `buffer` is reused). */
export function sendQueued(conn: NativeConnection, buffer: Buffer, send: (datagram: Buffer) => void): void {
  for (;;) {
    let out: [number, unknown] | null;
    try {
      out = conn.send(buffer);
    } catch {
      return; // quiche has nothing it can send (closed)
    }
    if (out === null) return;
    send(Buffer.from(buffer.subarray(0, out[0])));
  }
}

/** What a test client connects with: HTTP/3 ALPN, no certificate check, the given limits. */
export interface QuicheClientLimits {
  idleTimeoutMs: number;
  maxData: number;
  /** Per-stream window of peer-opened uni streams (the gateway's channels). */
  uniStreamWindow: number;
  maxStreamsBidi: number;
  maxStreamsUni: number;
  /** Enable DATAGRAM frames (receive and send queues of 64). */
  datagrams: boolean;
}

/** Opens a client connection from `socket` to `server` with quiche's native binding. */
export function quicheConnect(socket: Socket, server: { host: string; port: number }, limits: QuicheClientLimits): NativeConnection {
  const config = new native.quiche.Config();
  config.verifyPeer(false);
  config.setApplicationProtos(['h3']);
  config.setMaxIdleTimeout(limits.idleTimeoutMs);
  config.setInitialMaxData(limits.maxData);
  config.setInitialMaxStreamDataBidiLocal(1 << 20);
  config.setInitialMaxStreamDataBidiRemote(1 << 20);
  config.setInitialMaxStreamDataUni(limits.uniStreamWindow);
  config.setInitialMaxStreamsBidi(limits.maxStreamsBidi);
  config.setInitialMaxStreamsUni(limits.maxStreamsUni);
  if (limits.datagrams) config.enableDgram(true, 64, 64);
  const local = socket.address();
  return native.quiche.Connection.connect('localhost', webcrypto.getRandomValues(new Uint8Array(20)), { host: local.address, port: local.port }, server, config);
}

/**
 * A bare QUIC client on quiche's native binding, driven by hand: unlike QUICClient it can
 * write stream data the moment the handshake completes on its side, so that the data
 * leaves in the same datagram as the handshake's Finished, which is what Chromium does
 * with its HTTP/3 control and QPACK streams.
 */
export class RawQuicheClient {
  private readonly socket: Socket;
  private timer: NodeJS.Timeout | undefined;
  private readonly buffer = Buffer.alloc(65536);
  private onEstablished: (() => void) | undefined;
  private readonly waiters: (() => void)[] = [];
  readonly conn: NativeConnection;

  private constructor(
    socket: Socket,
    private readonly server: { host: string; port: number },
  ) {
    this.socket = socket;
    this.conn = quicheConnect(socket, server, {
      idleTimeoutMs: 10_000, maxData: 1 << 20, uniStreamWindow: 1 << 20, maxStreamsBidi: 100, maxStreamsUni: 100, datagrams: false,
    });
    socket.on('message', (data, rinfo) => this.onMessage(data, rinfo));
  }

  /** Starts the handshake; `atFinished` runs when it completes, before anything is sent. */
  static async connect(server: { host: string; port: number }, atFinished: (conn: NativeConnection) => void): Promise<RawQuicheClient> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const client = new RawQuicheClient(socket, server);
    client.onEstablished = () => atFinished(client.conn);
    client.flush();
    return client;
  }

  /** Resolves after the next received datagram has been processed. */
  nextPacket(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Reads what has arrived on `streamId` so far. */
  read(streamId: number): Uint8Array {
    const chunks: Buffer[] = [];
    for (;;) {
      let result: [number, boolean] | null;
      try {
        result = this.conn.streamRecv(streamId, this.buffer);
      } catch {
        break; // Done: nothing more buffered
      }
      if (result === null || result[0] === 0) break;
      chunks.push(Buffer.from(this.buffer.subarray(0, result[0])));
    }
    return Buffer.concat(chunks);
  }

  write(streamId: number, data: Uint8Array, fin = false): void {
    this.conn.streamSend(streamId, data, fin);
    this.flush();
  }

  close(): void {
    clearTimeout(this.timer);
    this.socket.close();
  }

  private onMessage(data: Buffer, rinfo: { address: string; port: number }): void {
    const local = this.socket.address();
    try {
      this.conn.recv(data, { from: { host: rinfo.address, port: rinfo.port }, to: { host: local.address, port: local.port } });
    } catch {
      // quiche rejected the packet; its state says why (isClosed/peerError).
    }
    if (this.onEstablished && this.conn.isEstablished()) {
      const once = this.onEstablished;
      this.onEstablished = undefined;
      once();
    }
    this.flush();
    for (const w of this.waiters.splice(0)) w();
  }

  private flush(): void {
    sendQueued(this.conn, this.buffer, (datagram) => this.socket.send(datagram, this.server.port, this.server.host));
    clearTimeout(this.timer);
    const timeout = this.conn.timeout();
    if (timeout !== null) {
      this.timer = setTimeout(() => {
        this.conn.onTimeout();
        this.flush();
      }, timeout);
      this.timer.unref();
    }
  }
}
