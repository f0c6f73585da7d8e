import { webcrypto } from 'node:crypto';
import { QUICClient, events, type QUICClientConfigInput, type QUICStream } from '@matrixai/quic';
import { silentLogger } from '../../../../src/media/logger.js';
import { quicLogger } from '../../../../src/transport/webtransport/quic-logger.js';
import { concatBytes } from '../../../../src/transport/webtransport/bytes.js';
import { CapsuleReader, CapsuleType, decodeCloseSession, encodeCloseSession } from '../../../../src/transport/webtransport/capsule.js';
import { decodeDatagram, encodeDatagram } from '../../../../src/transport/webtransport/datagram.js';
import { FrameReader, FrameType, StreamType, decodeGoaway, encodeFrame } from '../../../../src/transport/webtransport/frames.js';
import { afterEachRecv, flush, nativeOf } from '../../../../src/transport/webtransport/native.js';
import { decodeFieldSection, encodeFieldSection, type HeaderList } from '../../../../src/transport/webtransport/qpack.js';
import { SettingId, decodeSettings, encodeSettings, type Settings } from '../../../../src/transport/webtransport/settings.js';
import { StreamCode, codeToReason, reasonToCode } from '../../../../src/transport/webtransport/stream-code.js';
import { StreamPrefixReader } from '../../../../src/transport/webtransport/stream-reader.js';
import { encodeVarint } from '../../../../src/transport/webtransport/varint.js';
import { withTimeout } from '../../../helpers/wait.js';

/**
 * A small WebTransport-over-HTTP/3 client for Node on @matrixai/quic, for tests and load
 * generation: high-level `openSession()` like a browser, plus raw byte access (`rawBidi`,
 * `rawUni`, `sendControl`) to send malformed input on purpose.
 */

/** Draft-02 client SETTINGS, as Chromium sends them. */
export function clientSettings(): Settings {
  return new Map([
    [SettingId.QPACK_MAX_TABLE_CAPACITY, 0],
    [SettingId.QPACK_BLOCKED_STREAMS, 0],
    [SettingId.H3_DATAGRAM, 1],
    [SettingId.ENABLE_WEBTRANSPORT_DRAFT02, 1],
  ]);
}

export function connectHeaders(authority: string, path: string, protocol = 'webtransport'): HeaderList {
  return [
    [':method', 'CONNECT'],
    [':protocol', protocol],
    [':scheme', 'https'],
    [':authority', authority],
    [':path', path],
    ['sec-webtransport-http3-draft02', '1'],
    ['origin', 'http://127.0.0.1'],
  ];
}

export function headersFrame(headers: HeaderList): Uint8Array {
  return encodeFrame(FrameType.HEADERS, encodeFieldSection(headers));
}

export interface ConnectionClose {
  isApp: boolean;
  errorCode: number;
}

// The suite's one timeout helper, re-exported for the WebTransport tests that import it from here.
export { withTimeout };

/** A queue whose `next()` waits for the next pushed item. */
export class AsyncQueue<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((item: T) => void)[] = [];
  push(item: T): void {
    const w = this.waiters.shift();
    if (w) w(item);
    else this.items.push(item);
  }
  next(timeoutMs = 10_000): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return withTimeout(new Promise<T>((resolve) => this.waiters.push(resolve)), timeoutMs, 'queue item');
  }
  get size(): number {
    return this.items.length;
  }
}

export async function readAll(readable: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = readable.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return concatBytes(chunks);
    chunks.push(value);
  }
}

/** The server's answer on a request stream: the status, then (for a session) its close capsule. */
export interface RequestStream {
  stream: QUICStream;
  writer: WritableStreamDefaultWriter<Uint8Array>;
  /** Resolves with the response headers; rejects with a StreamCode if the server resets. */
  response: Promise<HeaderList>;
  /** Resolves with the CLOSE_WEBTRANSPORT_SESSION the server sent (or null at FIN without one). */
  closed: Promise<{ code: number; reason: string } | null>;
}

export class WtClientSession {
  readonly uniStreams = new AsyncQueue<ReadableStream<Uint8Array>>();
  readonly datagrams = new AsyncQueue<Uint8Array>();

  constructor(
    readonly client: WtTestClient,
    readonly request: RequestStream,
    readonly sessionId: number,
  ) {}

  /** A client bidi stream: signal 0x41, session id, then application data (draft-ietf-webtrans-http3 §4.2). */
  async openBidi(): Promise<{ readable: ReadableStream<Uint8Array>; writer: WritableStreamDefaultWriter<Uint8Array> }> {
    const stream = this.client.quic.connection.newStream('bidi');
    const writer = stream.writable.getWriter();
    await writer.write(concatBytes([encodeVarint(FrameType.WEBTRANSPORT_STREAM), encodeVarint(this.sessionId)]));
    return { readable: stream.readable as ReadableStream<Uint8Array>, writer };
  }

  async openUni(): Promise<WritableStreamDefaultWriter<Uint8Array>> {
    const stream = this.client.quic.connection.newStream('uni');
    const writer = stream.writable.getWriter();
    await writer.write(concatBytes([encodeVarint(StreamType.WEBTRANSPORT), encodeVarint(this.sessionId)]));
    return writer;
  }

  sendDatagram(payload: Uint8Array): void {
    nativeOf(this.client.quic.connection).dgramSend(encodeDatagram(this.sessionId, payload));
    flush(this.client.quic.connection);
  }

  async close(code = 0, reason = ''): Promise<void> {
    await this.request.writer.write(encodeFrame(FrameType.DATA, encodeCloseSession(code, reason)));
    await this.request.writer.close();
  }
}

export class WtTestClient {
  /** SETTINGS the server sent on its control stream. */
  readonly serverSettings: Promise<Settings>;
  /** GOAWAY ids the server sent. */
  readonly goaways = new AsyncQueue<number>();
  /** How the server closed the connection (CONNECTION_CLOSE), once it did. */
  readonly connectionClosed: Promise<ConnectionClose>;
  private readonly sessions = new Map<number, WtClientSession>();
  private resolveSettings!: (s: Settings) => void;
  private controlOpened = false;

  private constructor(readonly quic: QUICClient) {
    this.serverSettings = new Promise((resolve) => (this.resolveSettings = resolve));
    this.connectionClosed = new Promise((resolve) => {
      quic.connection.addEventListener(events.EventQUICConnectionError.name, (evt) => {
        const data = ((evt as events.EventQUICConnectionError).detail as { data?: { isApp?: boolean; errorCode?: number } }).data;
        if (data && typeof data.errorCode === 'number') resolve({ isApp: data.isApp === true, errorCode: data.errorCode });
      });
    });
    quic.connection.addEventListener(events.EventQUICConnectionStream.name, (evt) => {
      void this.onServerStream((evt as events.EventQUICConnectionStream).detail).catch(() => undefined);
    });
    afterEachRecv(quic.connection, () => this.drainDatagrams());
  }

  static async connect(opts: { host: string; port: number; serverName?: string; config?: QUICClientConfigInput }): Promise<WtTestClient> {
    const quic = await QUICClient.createQUICClient({
      host: opts.host,
      port: opts.port,
      serverName: opts.serverName ?? 'localhost',
      crypto: { ops: { randomBytes: async (data: ArrayBuffer) => void webcrypto.getRandomValues(new Uint8Array(data)) } },
      config: { verifyPeer: false, applicationProtos: ['h3'], enableDgram: [true, 1024, 1024], maxIdleTimeout: 30_000, ...opts.config },
      reasonToCode,
      codeToReason,
      logger: quicLogger(silentLogger(), 'QUICClient'),
    });
    return new WtTestClient(quic);
  }

  /** SHA-256 (base64) of the certificate the server presented. */
  async serverCertificateSha256(): Promise<string> {
    const der = this.quic.connection.getRemoteCertsChain()[0];
    if (!der) throw new Error('no server certificate');
    return Buffer.from(await webcrypto.subtle.digest('SHA-256', der)).toString('base64');
  }

  /** Opens our control stream with `bytes` after the stream type (default: SETTINGS). */
  async sendControl(bytes: Uint8Array = encodeSettings(clientSettings())): Promise<WritableStreamDefaultWriter<Uint8Array>> {
    this.controlOpened = true;
    return this.rawUni(concatBytes([encodeVarint(StreamType.CONTROL), bytes]));
  }

  /** A new client uni stream carrying `bytes`. */
  async rawUni(bytes: Uint8Array): Promise<WritableStreamDefaultWriter<Uint8Array>> {
    const writer = this.quic.connection.newStream('uni').writable.getWriter();
    await writer.write(bytes);
    return writer;
  }

  /** A new request (client bidi) stream carrying `bytes`, and what the server answers on it. */
  async rawBidi(bytes: Uint8Array): Promise<RequestStream> {
    const stream = this.quic.connection.newStream('bidi');
    const writer = stream.writable.getWriter();
    const reader = stream.readable.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    let resolveResponse!: (h: HeaderList) => void;
    let rejectResponse!: (e: unknown) => void;
    const response = new Promise<HeaderList>((res, rej) => ((resolveResponse = res), (rejectResponse = rej)));
    const closed = (async () => {
      const frames = new FrameReader(1 << 20, (t) => t !== FrameType.HEADERS && t !== FrameType.DATA);
      const capsules = new CapsuleReader(1 << 16);
      let close: { code: number; reason: string } | null = null;
      let gotHeaders = false;
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const f of frames.push(value)) {
            if (f.type === FrameType.HEADERS && !gotHeaders) {
              gotHeaders = true;
              resolveResponse(decodeFieldSection(f.payload));
            } else if (f.type === FrameType.DATA) {
              for (const c of capsules.push(f.payload)) if (c.type === CapsuleType.CLOSE_WEBTRANSPORT_SESSION) close = decodeCloseSession(c.value);
            }
          }
        }
      } catch (err) {
        rejectResponse(err);
        throw err;
      }
      if (!gotHeaders) rejectResponse(new Error('stream ended without a response'));
      return close;
    })();
    closed.catch(() => undefined);
    response.catch(() => undefined);
    await writer.write(bytes);
    return { stream, writer, response, closed };
  }

  /** Like a browser: control stream (once), extended CONNECT, and a 2xx response. */
  async openSession(authority: string, path: string): Promise<WtClientSession> {
    if (!this.controlOpened) await this.sendControl();
    const request = await this.rawBidi(headersFrame(connectHeaders(authority, path)));
    const session = new WtClientSession(this, request, request.stream.streamId);
    this.sessions.set(session.sessionId, session);
    const headers = await withTimeout(request.response, 10_000, 'CONNECT response');
    const status = headers.find(([n]) => n === ':status')?.[1];
    if (status !== '200') {
      this.sessions.delete(session.sessionId);
      throw Object.assign(new Error(`CONNECT answered ${status}`), { status: Number(status) });
    }
    return session;
  }

  async close(): Promise<void> {
    await this.quic.destroy({ isApp: true, errorCode: 0x100, force: true }).catch(() => undefined);
  }

  private async onServerStream(stream: QUICStream): Promise<void> {
    if (stream.type !== 'uni') return;
    const prefix = new StreamPrefixReader(stream.readable.getReader() as ReadableStreamDefaultReader<Uint8Array>);
    const type = await prefix.varint();
    if (type === StreamType.CONTROL) {
      let first = true;
      const frames = new FrameReader(1 << 16, (t) => t !== FrameType.SETTINGS && t !== FrameType.GOAWAY);
      const handle = (bytes: Uint8Array): void => {
        for (const f of frames.push(bytes)) {
          if (f.type === FrameType.SETTINGS && first) this.resolveSettings(decodeSettings(f.payload));
          if (f.type === FrameType.GOAWAY) this.goaways.push(decodeGoaway(f.payload));
          first = false;
        }
      };
      handle(prefix.takeBuffered());
      while (await prefix.fill()) handle(prefix.takeBuffered());
    } else if (type === StreamType.WEBTRANSPORT) {
      const sessionId = await prefix.varint();
      const session = sessionId === null ? undefined : this.sessions.get(sessionId);
      if (session) session.uniStreams.push(prefix.rest());
      else await prefix.cancel(new StreamCode(0x100));
    }
  }

  private drainDatagrams(): void {
    const native = nativeOf(this.quic.connection);
    for (;;) {
      let bytes: Uint8Array | null;
      try {
        bytes = native.dgramRecvVec();
      } catch {
        return;
      }
      if (bytes === null) return;
      const d = decodeDatagram(bytes);
      if (d) this.sessions.get(d.sessionId)?.datagrams.push(d.payload);
    }
  }
}
