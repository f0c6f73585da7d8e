import { createSocket, type Socket } from 'node:dgram';
import { native } from '@matrixai/quic';
import { FrameDecoder } from '../../../src/transport/framing.js';
import type { WireEvent } from '../../../src/media/types.js';
import { concatBytes } from '../../../src/transport/webtransport/bytes.js';
import { CapsuleReader, CapsuleType, decodeCloseSession } from '../../../src/transport/webtransport/capsule.js';
import { FrameReader, FrameType, StreamType } from '../../../src/transport/webtransport/frames.js';
import { decodeFieldSection } from '../../../src/transport/webtransport/qpack.js';
import { encodeSettings } from '../../../src/transport/webtransport/settings.js';
import { encodeVarint, readVarint } from '../../../src/transport/webtransport/varint.js';
import { quicheConnect, sendQueued } from '../webtransport/helpers/raw-quiche-client.js';
import { clientSettings, connectHeaders, headersFrame } from '../webtransport/helpers/wt-client.js';
import { SeqTracker } from './seq-tracker.js';

type NativeConnection = ReturnType<typeof native.quiche.Connection.connect>;
type CloseInfo = { code: number; reason: string } | null;

/** Our request stream (the CONNECT) and control stream ids: the client's first bidi and uni. */
const CONNECT_STREAM = 0;
const CONTROL_STREAM = 2;
/** Server-initiated unidirectional streams have ids 3, 7, 11, ... (RFC 9000 §2.1). */
const FIRST_SERVER_UNI = 3;

export interface LeanWtViewerOptions {
  /** Flow-control window of each server stream (initial_max_stream_data_uni). Default 4 MiB. */
  streamWindow?: number;
}

interface UniState {
  id: number;
  /** Bytes before the stream type (and for WebTransport the session id) are known. */
  prefix: Uint8Array;
  kind: 'unknown' | 'webtransport' | 'other';
  frames: FrameDecoder;
}

/**
 * An analysis viewer over WebTransport driven directly on quiche's native binding, for load
 * generation: hundreds in one process. The full test client (wt-client.ts, on QUICClient)
 * costs about half a millisecond of CPU per packet (web streams, events, a per-packet stream
 * scan through a native iterator); 200 of them in one process could not keep up with the
 * server they were meant to measure. This one reads the few streams it knows about, finds
 * new server streams by id, and keeps one timer. Same surface as WtViewer.
 */
export class LeanWtViewer extends SeqTracker {
  readonly closed: Promise<CloseInfo>;
  private resolveClosed!: (info: CloseInfo) => void;
  private readonly conn: NativeConnection;
  private readonly buffer = Buffer.alloc(65536);
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private sessionEnded = false;
  private finished = false;
  /** Datagrams handed to the socket and not yet sent (the socket closes after the last). */
  private sending = 0;
  private readonly socketClosed: Promise<void>;
  private readonly uni: UniState[] = [];
  private nextServerUni = FIRST_SERVER_UNI;
  private readonly responseFrames = new FrameReader(1 << 16, (t) => t !== FrameType.HEADERS && t !== FrameType.DATA);
  private readonly capsules = new CapsuleReader(1 << 16);
  private status: string | undefined;
  private paused = false;
  private closeInfo: CloseInfo = null;
  private ready!: { resolve: () => void; reject: (err: Error) => void };

  private constructor(
    private readonly socket: Socket,
    private readonly server: { host: string; port: number },
    private readonly path: string,
    private readonly onEvent: ((e: WireEvent) => void) | undefined,
    options: LeanWtViewerOptions,
  ) {
    super();
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.socketClosed = new Promise((resolve) => socket.once('close', () => resolve()));
    this.conn = quicheConnect(socket, server, {
      idleTimeoutMs: 60_000, maxData: 16 << 20, uniStreamWindow: options.streamWindow ?? 4 << 20, maxStreamsBidi: 16, maxStreamsUni: 64, datagrams: true,
    });
    socket.on('message', (data, rinfo) => this.onPacket(data, rinfo));
  }

  /** Connects and opens a session at `path`; resolves once the CONNECT is answered 200. */
  static async open(port: number, path: string, _streams?: number, onEvent?: (e: WireEvent) => void, options: LeanWtViewerOptions = {}): Promise<LeanWtViewer> {
    // A large receive buffer: with the default (~208 KiB) a busy viewer process drops
    // packets, and the loss recovery would be measured as the server's latency.
    const socket = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const viewer = new LeanWtViewer(socket, { host: '127.0.0.1', port }, path, onEvent, options);
    await new Promise<void>((resolve, reject) => {
      viewer.ready = { resolve, reject };
      viewer.flush();
    });
    return viewer;
  }

  /**
   * Stops reading the session's streams (a viewer whose page stopped reading): packets are
   * still acknowledged, but stream data stays in quiche until its flow-control window is full.
   */
  pause(): void {
    this.paused = true;
  }

  /** CONNECTION_CLOSE (application code 0x100, H3_NO_ERROR), then the socket closed once it is sent. */
  close(): Promise<void> {
    if (!this.finished) {
      try {
        this.conn.close(true, 0x100, Buffer.alloc(0));
      } catch {
        // already closing
      }
      this.flush();
      this.finish();
    }
    return this.socketClosed;
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    // A datagram handed to the socket leaves on a later tick: closing now would drop it
    // (our CONNECTION_CLOSE among them), so the last send's callback closes the socket.
    if (this.sending === 0) this.socket.close();
    this.ready.reject(new Error(`WebTransport session not established (status ${this.status ?? 'none'})`));
    this.resolveClosed(this.closeInfo);
    this.recheck();
  }

  private onPacket(data: Buffer, rinfo: { address: string; port: number }): void {
    if (this.finished) return;
    const local = this.socket.address();
    try {
      this.conn.recv(data, { from: { host: rinfo.address, port: rinfo.port }, to: { host: local.address, port: local.port } });
    } catch {
      // quiche refused the packet; its state says the rest (isClosed below)
    }
    if (!this.started && this.conn.isEstablished()) this.start();
    if (this.started) this.readStreams();
    this.flush();
    this.recheck();
  }

  /** As a browser does: our control stream with SETTINGS, then the extended CONNECT. */
  private start(): void {
    this.started = true;
    this.conn.streamSend(CONTROL_STREAM, concatBytes([encodeVarint(StreamType.CONTROL), encodeSettings(clientSettings())]), false);
    this.conn.streamSend(CONNECT_STREAM, headersFrame(connectHeaders('localhost', this.path)), false);
  }

  /** Reads what `id` holds; says whether the stream is over, and how (FIN or reset). */
  private read(id: number, onBytes: (bytes: Uint8Array) => void): 'open' | 'fin' | 'reset' {
    // streamReadable first: a streamRecv with nothing to read throws (Done), which is costly.
    while (this.conn.streamReadable(id)) {
      let result: [number, boolean] | null;
      try {
        result = this.conn.streamRecv(id, this.buffer);
      } catch {
        return 'reset'; // reset by the server (RESET_STREAM)
      }
      if (result === null) return 'open';
      // A copy: parsers keep unparsed tails, and the read buffer is reused.
      if (result[0] > 0) onBytes(Uint8Array.prototype.slice.call(this.buffer, 0, result[0]));
      if (result[1]) return 'fin';
    }
    return 'open';
  }

  private readStreams(): void {
    const connect = this.sessionEnded ? 'open' : this.read(CONNECT_STREAM, (bytes) => this.onResponse(bytes));
    if (connect !== 'open') {
      this.sessionEnded = true;
      // FIN: the server ended the session (capsule, or none: code 0). A reset is no clean
      // close: `closed` gets null, as for a lost connection.
      if (connect === 'fin') this.closeInfo ??= { code: 0, reason: '' };
      else this.closeInfo = null;
      try {
        // Like a browser, end our side of the CONNECT stream too.
        this.conn.streamSend(CONNECT_STREAM, new Uint8Array(0), true);
      } catch {
        // the server stopped it already
      }
      this.resolveClosed(this.closeInfo);
    }
    // New server streams, in id order.
    while (this.conn.streamReadable(this.nextServerUni)) {
      this.uni.push({ id: this.nextServerUni, prefix: new Uint8Array(0), kind: 'unknown', frames: new FrameDecoder() });
      this.nextServerUni += 4;
    }
    if (this.paused) return;
    for (let i = 0; i < this.uni.length; i += 1) {
      const s = this.uni[i];
      if (s && this.read(s.id, (bytes) => this.onUni(s, bytes)) !== 'open') {
        this.uni.splice(i, 1);
        i -= 1;
      }
    }
  }

  private onResponse(bytes: Uint8Array): void {
    for (const f of this.responseFrames.push(bytes)) {
      if (f.type === FrameType.HEADERS && this.status === undefined) {
        this.status = decodeFieldSection(f.payload).find(([n]) => n === ':status')?.[1];
        if (this.status === '200') this.ready.resolve();
        else {
          this.ready.reject(new Error(`CONNECT answered ${this.status}`));
          void this.close();
        }
      } else if (f.type === FrameType.DATA) {
        for (const c of this.capsules.push(f.payload)) {
          if (c.type === CapsuleType.CLOSE_WEBTRANSPORT_SESSION) this.closeInfo = decodeCloseSession(c.value);
        }
      }
    }
  }

  private onUni(s: UniState, bytes: Uint8Array): void {
    if (s.kind === 'other') return;
    let data = bytes;
    if (s.kind === 'unknown') {
      data = concatBytes([s.prefix, bytes]);
      const type = readVarint(data, 0);
      if (type === null) return void (s.prefix = data);
      if (type.value !== StreamType.WEBTRANSPORT) return void (s.kind = 'other');
      const session = readVarint(data, type.length);
      if (session === null) return void (s.prefix = data);
      s.kind = 'webtransport';
      data = data.subarray(type.length + session.length);
    }
    let texts: string[];
    try {
      texts = s.frames.push(data);
    } catch (err) {
      // A framing error is the server's bug: report it as a gap (the load test asserts none).
      this.gaps.push(`stream ${s.id}: ${(err as Error).message}`);
      s.kind = 'other';
      return;
    }
    for (const text of texts) {
      let e: WireEvent;
      try {
        e = JSON.parse(text) as WireEvent;
      } catch {
        this.gaps.push(`stream ${s.id}: a message that is not JSON`);
        continue;
      }
      this.record(e);
      this.onEvent?.(e);
    }
  }

  private flush(): void {
    sendQueued(this.conn, this.buffer, (datagram) => {
      if (this.finished) return;
      this.sending += 1;
      this.socket.send(datagram, this.server.port, this.server.host, () => {
        this.sending -= 1;
        if (this.finished && this.sending === 0) this.socket.close();
      });
    });
    clearTimeout(this.timer);
    if (this.finished) return;
    if (this.conn.isClosed()) return this.finish();
    const timeout = this.conn.timeout();
    if (timeout !== null) {
      this.timer = setTimeout(() => {
        this.conn.onTimeout();
        this.flush();
      }, timeout);
    }
  }
}
