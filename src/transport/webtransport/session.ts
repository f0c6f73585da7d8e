import type { QUICConnection, QUICStream } from '@matrixai/quic';
import type { Logger } from '../../media/logger.js';
import { encodeCloseSession } from './capsule.js';
import { encodeDatagram } from './datagram.js';
import { H3 } from './errors.js';
import { FrameType, StreamType, encodeFrame } from './frames.js';
import { flush, nativeOf } from './native.js';
import { SafeEmitter } from './safe-emitter.js';
import { SendStream } from './send-stream.js';
import { StreamCode } from './stream-code.js';
import type { WebTransportCloseInfo, WebTransportSession, WebTransportSessionEvents } from './types.js';
import { concatBytes } from './bytes.js';
import { encodeVarint, varintLength } from './varint.js';

/**
 * One WebTransport session (draft-ietf-webtrans-http3): identified by its CONNECT stream,
 * which stays open for capsules; streams and datagrams carry its id.
 */
export class Session extends SafeEmitter<WebTransportSessionEvents> implements WebTransportSession {
  readonly id: string;
  private isClosed = false;
  private readonly sendStreams = new Set<SendStream>();
  private readonly peerStreams = new Set<QUICStream>();

  constructor(
    readonly sessionId: number,
    readonly path: string,
    readonly query: URLSearchParams,
    readonly authority: string,
    private readonly connection: QUICConnection,
    private readonly connectWriter: WritableStreamDefaultWriter<Uint8Array>,
    logger: Logger,
  ) {
    super(logger);
    this.id = String(sessionId);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  async openUni(): Promise<SendStream> {
    if (this.isClosed) throw new Error('WebTransport session is closed');
    const stream = this.connection.newStream('uni');
    // draft-ietf-webtrans-http3 §4.1: stream type 0x54, then the session id.
    const send = new SendStream(stream, concatBytes([encodeVarint(StreamType.WEBTRANSPORT), encodeVarint(this.sessionId)]));
    this.sendStreams.add(send);
    void stream.closedP.finally(() => this.sendStreams.delete(send));
    return send;
  }

  maxDatagramSize(): number | null {
    if (this.isClosed) return null;
    const max = nativeOf(this.connection).dgramMaxWritableLen();
    return max === null ? null : max - varintLength(this.sessionId / 4);
  }

  sendDatagram(payload: Uint8Array): boolean {
    const max = this.maxDatagramSize();
    if (max === null || payload.byteLength > max) return false;
    try {
      nativeOf(this.connection).dgramSend(encodeDatagram(this.sessionId, payload));
    } catch {
      // quiche says Done when its send queue is full.
      return false;
    }
    flush(this.connection);
    return true;
  }

  close(code = 0, reason = ''): void {
    if (this.isClosed) return;
    // draft-ietf-webtrans-http3 §6: CLOSE_WEBTRANSPORT_SESSION in a DATA frame, then FIN.
    const capsule = encodeFrame(FrameType.DATA, encodeCloseSession(code, reason));
    this.connectWriter.write(capsule).catch(() => undefined);
    this.connectWriter.close().catch(() => undefined);
    this.finish({ code, reason });
  }

  // --- called by the connection ---

  /** The client's data for this session (datagrams, streams, capsules), routed by id. */
  handleDatagram(payload: Uint8Array): void {
    if (!this.isClosed) this.safeEmit('datagram', payload);
  }

  handleBidi(stream: QUICStream, readable: ReadableStream<Uint8Array>): void {
    if (this.isClosed) return void stream.cancel(new StreamCode(H3.WEBTRANSPORT_SESSION_GONE));
    this.peerStreams.add(stream);
    void stream.closedP.finally(() => this.peerStreams.delete(stream));
    this.safeEmit('bidi', { readable, writable: stream.writable });
  }

  handleUni(stream: QUICStream, readable: ReadableStream<Uint8Array>): void {
    if (this.isClosed) return void stream.cancel(new StreamCode(H3.WEBTRANSPORT_SESSION_GONE));
    this.peerStreams.add(stream);
    void stream.closedP.finally(() => this.peerStreams.delete(stream));
    this.safeEmit('uni', readable);
  }

  /** The session ended: by a capsule, the CONNECT stream ending, or the connection going away. */
  finish(info: WebTransportCloseInfo): void {
    if (this.isClosed) return;
    this.isClosed = true;
    // draft-ietf-webtrans-http3 §6: streams of a closed session are reset.
    for (const s of this.sendStreams) s.reset(H3.WEBTRANSPORT_SESSION_GONE);
    for (const s of this.peerStreams) s.cancel(new StreamCode(H3.WEBTRANSPORT_SESSION_GONE));
    this.sendStreams.clear();
    this.peerStreams.clear();
    this.safeEmit('close', info);
    this.removeAllListeners();
  }
}
