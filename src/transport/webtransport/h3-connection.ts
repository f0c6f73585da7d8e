import { events, type QUICConnection, type QUICStream } from '@matrixai/quic';
import type { Logger } from '../../media/logger.js';
import { concatBytes } from './bytes.js';
import { CapsuleReader, CapsuleType, decodeCloseSession } from './capsule.js';
import { decodeDatagram } from './datagram.js';
import { H3, H3Error } from './errors.js';
import { FrameReader, FrameType, HTTP2_ONLY_FRAME_TYPES, StreamType, decodeGoaway, encodeGoaway } from './frames.js';
import { afterEachRecv, existingStreams, nativeOf } from './native.js';
import { decodeFieldSection, encodeFieldSection } from './qpack.js';
import { parseConnectRequest, type ConnectRequest } from './request.js';
import { Session } from './session.js';
import { decodeSettings, encodeSettings, serverSettings } from './settings.js';
import { StreamCode } from './stream-code.js';
import { StreamPrefixReader } from './stream-reader.js';
import type { WebTransportConnectRequest } from './types.js';
import { encodeVarint } from './varint.js';

export interface H3ConnectionOptions {
  logger: Logger;
  authorize(req: WebTransportConnectRequest): number;
  maxFieldSectionSize: number;
  maxSessions: number;
  onSession(session: Session): void;
}

/** Frame types that belong on the control stream only (RFC 9114 §7.2). */
const CONTROL_ONLY: ReadonlySet<number> = new Set([FrameType.SETTINGS, FrameType.GOAWAY, FrameType.MAX_PUSH_ID, FrameType.CANCEL_PUSH]);
const KNOWN: ReadonlySet<number> = new Set([FrameType.DATA, FrameType.HEADERS, FrameType.PUSH_PROMISE, ...CONTROL_ONLY]);

function isClientBidi(id: number): boolean {
  return id % 4 === 0;
}

/**
 * HTTP/3 (RFC 9114) on one QUIC connection, as far as WebTransport needs it: the control
 * streams and SETTINGS, extended CONNECT requests that become sessions, and routing of
 * WebTransport streams and datagrams to their session by id.
 */
export class H3Connection {
  private readonly sessions = new Map<number, Session>();
  /** Request streams that were refused or ended: streams naming them get SESSION_GONE. */
  private readonly goneSessions = new Set<number>();
  private readonly peerStreamTypes = new Set<number>();
  private controlWriter: WritableStreamDefaultWriter<Uint8Array> | undefined;
  private highestRequestId = -1;
  private goawayId: number | null = null;
  private closed = false;

  constructor(
    readonly quic: QUICConnection,
    private readonly opts: H3ConnectionOptions,
  ) {}

  get sessionCount(): number {
    return this.sessions.size;
  }

  start(): void {
    // RFC 9114 §6.2.1: each side opens one control stream and sends SETTINGS first.
    // No QPACK encoder/decoder streams: with a capacity of 0 they would carry nothing (RFC 9204 §4.2).
    const control = this.quic.newStream('uni');
    this.controlWriter = control.writable.getWriter();
    const settings = serverSettings({ maxSessions: this.opts.maxSessions, maxFieldSectionSize: this.opts.maxFieldSectionSize });
    this.controlWriter.write(concatBytes([encodeVarint(StreamType.CONTROL), encodeSettings(settings)])).catch(() => undefined);

    this.quic.addEventListener(events.EventQUICConnectionStream.name, (evt) => {
      this.onStream((evt as events.EventQUICConnectionStream).detail);
    });
    // Streams that arrived with the handshake, before this listener existed.
    for (const stream of existingStreams(this.quic)) {
      const s = stream as QUICStream;
      if (s.initiated === 'peer') this.onStream(s);
    }
    afterEachRecv(this.quic, () => this.drainDatagrams());
    this.containInternalErrors();
    this.quic.addEventListener(events.EventQUICConnectionStopped.name, () => this.onStopped(), { once: true });
  }

  /**
   * The library rethrows a connection's "internal" errors (a failed quiche send or recv)
   * from its event listener, i.e. as an uncaught exception. One connection failing must not
   * end the process: log it and close that connection instead.
   */
  private containInternalErrors(): void {
    const name = events.EventQUICConnectionError.name;
    const original = (this.quic as unknown as { handleEventQUICConnectionError: (evt: Event) => void }).handleEventQUICConnectionError;
    this.quic.removeEventListener(name, original);
    this.quic.addEventListener(name, (evt) => {
      try {
        original(evt);
      } catch (err) {
        this.opts.logger.warn({ err }, 'QUIC connection failed; closing it');
        this.finishAll({ code: 0, reason: 'the QUIC connection failed' });
        this.quic.stop({ isApp: true, errorCode: H3.INTERNAL_ERROR, force: true }).catch(() => undefined);
      }
    });
  }

  /**
   * Graceful shutdown (RFC 9114 §5.2): GOAWAY naming the first request we will not
   * process, then every session closed with CLOSE_WEBTRANSPORT_SESSION.
   */
  async goaway(code = 0, reason = 'server shutting down'): Promise<void> {
    if (this.closed || this.goawayId !== null) return;
    this.goawayId = this.highestRequestId + 4;
    const sent = this.controlWriter?.write(encodeGoaway(this.goawayId)).catch(() => undefined);
    for (const s of [...this.sessions.values()]) s.close(code, reason);
    await sent;
  }

  // --- streams ---

  private onStream(stream: QUICStream): void {
    const run = stream.type === 'uni' ? this.runUni(stream) : this.runBidi(stream);
    run.catch((err: unknown) => this.onError(stream, err));
  }

  private onError(stream: QUICStream, err: unknown): void {
    if (this.closed) return;
    if (!(err instanceof H3Error)) {
      // The stream was reset or the connection went away under a read: nothing to answer.
      this.opts.logger.debug({ err, streamId: stream.streamId }, 'WebTransport stream ended abruptly');
      return;
    }
    if (err.scope === 'stream') {
      this.opts.logger.debug({ streamId: stream.streamId, code: err.code, msg: err.message }, 'HTTP/3 stream error');
      stream.cancel(new StreamCode(err.code));
      return;
    }
    this.connectionError(err);
  }

  private connectionError(err: H3Error): void {
    if (this.closed) return;
    this.opts.logger.info({ code: err.code, reason: err.message }, 'HTTP/3 connection error, closing the connection');
    this.finishAll({ code: 0, reason: err.message });
    this.quic
      .stop({ isApp: true, errorCode: err.code, reason: new TextEncoder().encode(err.message.slice(0, 200)), force: true })
      .catch(() => undefined);
  }

  private async runUni(stream: QUICStream): Promise<void> {
    const prefix = new StreamPrefixReader(stream.readable.getReader());
    const type = await prefix.varint();
    if (type === null) return;
    switch (type) {
      case StreamType.CONTROL:
      case StreamType.QPACK_ENCODER:
      case StreamType.QPACK_DECODER:
        // RFC 9114 §6.2.1, RFC 9204 §4.2: at most one of each.
        if (this.peerStreamTypes.has(type)) throw new H3Error(H3.STREAM_CREATION_ERROR, 'connection', `second stream of type ${type}`);
        this.peerStreamTypes.add(type);
        if (type === StreamType.CONTROL) await this.runControl(prefix);
        else while (await prefix.fill()) prefix.takeBuffered(); // nothing to decode with a 0-capacity table
        // RFC 9114 §6.2.1: closing a critical stream is a connection error.
        throw new H3Error(H3.CLOSED_CRITICAL_STREAM, 'connection', `critical stream ${type} closed`);
      case StreamType.PUSH:
        // RFC 9114 §6.2.2: only servers push.
        throw new H3Error(H3.STREAM_CREATION_ERROR, 'connection', 'client opened a push stream');
      case StreamType.WEBTRANSPORT: {
        const sessionId = await prefix.varint();
        if (sessionId === null) return;
        const session = this.sessionFor(sessionId);
        if (session) session.handleUni(stream, prefix.rest());
        else stream.cancel(new StreamCode(this.goneCode(sessionId)));
        return;
      }
      default:
        // RFC 9114 §6.2: unknown stream types are not read; H3_STREAM_CREATION_ERROR is the suggested code.
        throw new H3Error(H3.STREAM_CREATION_ERROR, 'stream', `unknown stream type 0x${type.toString(16)}`);
    }
  }

  private async runControl(prefix: StreamPrefixReader): Promise<void> {
    let settingsSeen = false;
    const frames = new FrameReader(this.opts.maxFieldSectionSize, (type) => {
      // RFC 9114 §6.2.1: the first frame is SETTINGS.
      if (!settingsSeen && type !== FrameType.SETTINGS) throw new H3Error(H3.MISSING_SETTINGS, 'connection', 'control stream must start with SETTINGS');
      if (type === FrameType.SETTINGS && settingsSeen) throw new H3Error(H3.FRAME_UNEXPECTED, 'connection', 'second SETTINGS');
      if (type === FrameType.SETTINGS) settingsSeen = true;
      // RFC 9114 §7.2: DATA, HEADERS, PUSH_PROMISE and HTTP/2-only types are not allowed here.
      if (HTTP2_ONLY_FRAME_TYPES.has(type) || (KNOWN.has(type) && !CONTROL_ONLY.has(type))) {
        throw new H3Error(H3.FRAME_UNEXPECTED, 'connection', `frame 0x${type.toString(16)} on the control stream`);
      }
      return !KNOWN.has(type);
    });
    const handle = (chunk: Uint8Array): void => {
      for (const frame of frames.push(chunk)) {
        if (frame.type === FrameType.SETTINGS) decodeSettings(frame.payload);
        else if (frame.type === FrameType.GOAWAY) decodeGoaway(frame.payload);
        // MAX_PUSH_ID, CANCEL_PUSH: we never push.
      }
    };
    handle(prefix.takeBuffered());
    while (await prefix.fill()) handle(prefix.takeBuffered());
  }

  private async runBidi(stream: QUICStream): Promise<void> {
    const id = stream.streamId;
    if (!isClientBidi(id)) return;
    const prefix = new StreamPrefixReader(stream.readable.getReader());
    const first = await prefix.peekVarint();
    if (first === null) {
      // RFC 9114 §7.1: a stream that ends inside a frame header is H3_FRAME_ERROR.
      if (prefix.buffered > 0) throw new H3Error(H3.FRAME_ERROR, 'connection', 'request stream ended inside a varint');
      return;
    }
    if (first === FrameType.WEBTRANSPORT_STREAM) {
      // draft-ietf-webtrans-http3 §4.2: signal 0x41, session id, then application data.
      await prefix.varint();
      const sessionId = await prefix.varint();
      if (sessionId === null) return;
      const session = this.sessionFor(sessionId);
      if (session) session.handleBidi(stream, prefix.rest());
      else stream.cancel(new StreamCode(this.goneCode(sessionId)));
      return;
    }
    this.highestRequestId = Math.max(this.highestRequestId, id);
    await this.runRequest(stream, prefix);
  }

  /** A request stream: HEADERS (the CONNECT), then, for an accepted session, capsules in DATA frames. */
  private async runRequest(stream: QUICStream, prefix: StreamPrefixReader): Promise<void> {
    const id = stream.streamId;
    let session: Session | null = null;
    let capsules: CapsuleReader | null = null;
    let headersSeen = false;
    const frames = new FrameReader(this.opts.maxFieldSectionSize, (type) => {
      if (HTTP2_ONLY_FRAME_TYPES.has(type) || CONTROL_ONLY.has(type) || type === FrameType.PUSH_PROMISE) {
        // RFC 9114 §7.2.4, §7.2.5, §7.2.8: these never appear on a request stream.
        throw new H3Error(H3.FRAME_UNEXPECTED, 'connection', `frame 0x${type.toString(16)} on a request stream`);
      }
      if (type === FrameType.DATA && !headersSeen) {
        // RFC 9114 §4.1: DATA before HEADERS is an invalid frame sequence.
        throw new H3Error(H3.FRAME_UNEXPECTED, 'connection', 'DATA before HEADERS');
      }
      if (type === FrameType.HEADERS) headersSeen = true;
      return !KNOWN.has(type);
    });
    const writer = stream.writable.getWriter();
    const handle = (chunk: Uint8Array): void => {
      for (const frame of frames.push(chunk)) {
        if (frame.type === FrameType.HEADERS && session === null) {
          session = this.accept(id, decodeFieldSection(frame.payload), writer);
          if (session === null) return; // refused and answered
          capsules = new CapsuleReader(this.opts.maxFieldSectionSize);
        } else if (frame.type === FrameType.DATA && capsules && session) {
          for (const capsule of capsules.push(frame.payload)) {
            if (capsule.type === CapsuleType.CLOSE_WEBTRANSPORT_SESSION) {
              const info = decodeCloseSession(capsule.value);
              writer.close().catch(() => undefined);
              (session as Session).finish(info);
            }
            // DRAIN_WEBTRANSPORT_SESSION and unknown capsules: nothing to do (RFC 9297 §3.2).
          }
        }
        // Trailing HEADERS on a session stream: ignored.
      }
    };
    let cleanEnd = false;
    try {
      handle(prefix.takeBuffered());
      while (await prefix.fill()) {
        handle(prefix.takeBuffered());
        if (session === null && headersSeen) {
          // Refused: the response is complete; RFC 9114 §4.1.1 lets us stop reading the request.
          await prefix.cancel(new StreamCode(H3.NO_ERROR));
          return;
        }
      }
      cleanEnd = true;
      frames.end();
      if (!headersSeen) throw new H3Error(H3.REQUEST_INCOMPLETE, 'stream', 'request stream ended before HEADERS');
    } finally {
      // draft-ietf-webtrans-http3 §6: the CONNECT stream ending ends the session.
      const s = session as Session | null;
      if (s && !s.closed) {
        s.finish({ code: 0, reason: cleanEnd ? '' : 'the CONNECT stream was reset or the connection was lost' });
        writer.close().catch(() => undefined);
      }
      this.sessions.delete(id);
      this.goneSessions.add(id);
    }
  }

  /** Answers a CONNECT; returns the session when it was accepted. */
  private accept(id: number, headers: ReturnType<typeof decodeFieldSection>, writer: WritableStreamDefaultWriter<Uint8Array>): Session | null {
    if (this.goawayId !== null && id >= this.goawayId) {
      throw new H3Error(H3.REQUEST_REJECTED, 'stream', 'request after GOAWAY');
    }
    const req: ConnectRequest = parseConnectRequest(headers);
    let status: number;
    if (this.sessions.size >= this.opts.maxSessions) status = 429;
    else {
      try {
        status = this.opts.authorize({ path: req.path, query: req.query, authority: req.authority });
      } catch (err) {
        this.opts.logger.error({ err }, 'WebTransport authorize threw');
        status = 500;
      }
    }
    const response: [string, string][] = [[':status', String(status)]];
    // draft-ietf-webtrans-http3-02 §3.2: the server echoes the draft it speaks.
    if (req.draft02) response.push(['sec-webtransport-http3-draft', 'draft02']);
    const block = encodeFieldSection(response);
    writer.write(concatBytes([encodeVarint(FrameType.HEADERS), encodeVarint(block.byteLength), block])).catch(() => undefined);
    if (status < 200 || status > 299) {
      // A refused CONNECT is a complete response: end our side and stop reading theirs.
      writer.close().catch(() => undefined);
      this.goneSessions.add(id);
      return null;
    }
    const session = new Session(id, req.path, req.query, req.authority, this.quic, writer, this.opts.logger);
    this.sessions.set(id, session);
    session.once('close', () => {
      this.sessions.delete(id);
      this.goneSessions.add(id);
    });
    this.opts.onSession(session);
    return session;
  }

  private sessionFor(sessionId: number): Session | undefined {
    // draft-ietf-webtrans-http3 §4: a session id is a client-initiated bidirectional stream id.
    if (!isClientBidi(sessionId)) throw new H3Error(H3.ID_ERROR, 'connection', `session id ${sessionId} is not a client bidi stream`);
    return this.sessions.get(sessionId);
  }

  private goneCode(sessionId: number): number {
    return this.goneSessions.has(sessionId) ? H3.WEBTRANSPORT_SESSION_GONE : H3.WEBTRANSPORT_BUFFERED_STREAM_REJECTED;
  }

  // --- datagrams ---

  private drainDatagrams(): void {
    if (this.closed) return;
    const native = nativeOf(this.quic);
    for (;;) {
      let bytes: Uint8Array | null;
      try {
        bytes = native.dgramRecvVec();
      } catch {
        return; // quiche: Done (queue empty) or the connection is gone
      }
      if (bytes === null) return;
      const dgram = decodeDatagram(bytes);
      // RFC 9297 §2.1: datagrams for unknown streams are dropped.
      if (dgram) this.sessions.get(dgram.sessionId)?.handleDatagram(dgram.payload);
    }
  }

  // --- end ---

  private onStopped(): void {
    this.finishAll({ code: 0, reason: 'the QUIC connection closed' });
  }

  private finishAll(info: { code: number; reason: string }): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.sessions.values()]) s.finish(info);
    this.sessions.clear();
  }
}
