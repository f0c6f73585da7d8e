import net from 'node:net';
import { EventEmitter } from 'node:events';
import type { Logger } from '../../media/logger.js';
import type { OpenedInput } from '../../media/decoder/stream-decoder.js';
import { errorMessage } from '../../media/errors.js';
import {
  Context, MAX_MESSAGE_BYTES, RtmpSession, hardenRtmpParser, routeNmsLogs, type NmsBroadcast, type NmsSession,
} from './nms.js';
import { FlvTap } from './flv-tap.js';

/** Stream ids and app names: what node-media-server accepts in a path. */
import { STREAM_ID_RE } from '../../media/types.js';

export interface RtmpIngestOptions {
  host: string;
  port: number;
  /** The RTMP application publishers use: rtmp://HOST:PORT/<app>/<streamId>?key=... */
  app?: string;
  /** Returns true when `key` may publish `streamId`. */
  checkPublishKey(streamId: string, key: string | undefined): boolean;
  /** Returns true when a stream with this id is already being published (through any protocol). */
  isLive(streamId: string): boolean;
  logger: Logger;
  /** Concurrent TCP connections accepted (publishers and garbage alike). */
  maxConnections?: number;
  /** Time a new connection has to complete the handshake and start publishing. */
  handshakeTimeoutMs?: number;
  /** A publisher silent for this long is dropped. */
  idleTimeoutMs?: number;
}

/** What the ingest tells the gateway about an accepted publisher. */
export interface RtmpPublish {
  readonly streamId: string;
  readonly remoteAddress: string;
  /** A new FLV byte stream from the broadcast's start (codec headers, cached GOP, then live). */
  openInput(): OpenedInput | null;
  /** Tags skipped for decoders that fell behind (counted as dropped video). */
  skippedVideoTags(): number;
  /** Ends this publisher's connection. */
  disconnect(reason: string): void;
}

interface IngestEvents {
  publish: [RtmpPublish];
  unpublish: [{ streamId: string; reason: string }];
}

interface Connection {
  socket: net.Socket;
  session: NmsSession;
  publish: RtmpPublish | null;
  taps: Set<FlvTap>;
  timer: NodeJS.Timeout | null;
  closedReason: string | null;
}

/**
 * RTMP ingest on node-media-server's protocol implementation, with our own TCP listener in
 * front of it so that each connection is bounded (connection count, handshake deadline,
 * idle timeout, message size caps before and after auth) and any parser failure closes that
 * connection only, with a logged reason. Publishers authenticate with `?key=` on the stream
 * name; a refused publish never reaches the broadcast, so no media is accepted from it.
 */
export class RtmpIngest extends EventEmitter<IngestEvents> {
  private readonly opts: Required<Omit<RtmpIngestOptions, 'checkPublishKey' | 'isLive' | 'logger'>> & RtmpIngestOptions;
  private server: net.Server | null = null;
  private readonly connections = new Set<Connection>();
  private readonly publishers = new Map<string, Connection>();
  private boundPort = 0;

  constructor(options: RtmpIngestOptions) {
    super();
    this.opts = {
      app: 'live', maxConnections: 256, handshakeTimeoutMs: 10_000, idleTimeoutMs: 30_000, ...options,
    };
    hardenRtmpParser();
    routeNmsLogs(options.logger);
    // Auth happens in our onPublish hook; node-media-server's own signed-URL auth stays off.
    Context.config = { ...Context.config, auth: { publish: false, play: false } };
  }

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((socket) => this.accept(socket));
    server.maxConnections = this.opts.maxConnections;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.opts.logger.error({ err }, 'RTMP listener error'));
    const address = server.address();
    this.boundPort = typeof address === 'object' && address !== null ? address.port : this.opts.port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const conn of [...this.connections]) this.drop(conn, 'gateway shutting down', false);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Ends the publisher of `streamId`; returns false if there is none. */
  disconnect(streamId: string, reason: string): boolean {
    const conn = this.publishers.get(streamId);
    if (!conn) return false;
    this.drop(conn, reason, true);
    return true;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  private accept(socket: net.Socket): void {
    const log = this.opts.logger;
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    const session = new RtmpSession(socket);
    const conn: Connection = { socket, session, publish: null, taps: new Set(), timer: null, closedReason: null };
    this.connections.add(conn);
    socket.setNoDelay(true);
    socket.setTimeout(this.opts.idleTimeoutMs, () => this.drop(conn, `no data for ${this.opts.idleTimeoutMs} ms`, true));
    conn.timer = setTimeout(() => {
      if (!conn.publish) this.drop(conn, `did not start publishing within ${this.opts.handshakeTimeoutMs} ms`, true);
    }, this.opts.handshakeTimeoutMs);

    const rtmp = session.rtmp;
    rtmp.authorizePublish = (app, name, query) => this.authorize(app, name, query);

    // Replace the session's data handler: same parser, but any throw, refusal or
    // non-RTMP first byte closes this connection with a reason instead of the process.
    session.onData = (data: Buffer) => {
      if (conn.closedReason !== null) return;
      if (rtmp.handshakeState === 0 && data[0] !== 3) {
        this.drop(conn, `not an RTMP handshake (C0 version byte ${data[0] ?? 'missing'})`, true);
        return;
      }
      let error: string | null;
      try {
        error = rtmp.parserData(data);
      } catch (err) {
        error = `malformed RTMP data: ${errorMessage(err)}`;
      }
      if (rtmp.refusal !== undefined) {
        log.warn({ remote, reason: rtmp.refusal, stream: session.streamName || undefined }, 'RTMP publish refused');
        this.drop(conn, rtmp.refusal, false, true);
        return;
      }
      if (error !== null) this.drop(conn, error, true);
    };
    session.onPush = () => this.onPublish(conn, remote);
    socket.on('close', () => this.onSocketClose(conn));
    socket.on('error', (err) => log.debug({ remote, err: err.message }, 'RTMP socket error'));
    session.run();
    log.debug({ remote }, 'RTMP connection');
  }

  private authorize(app: string, name: string, query: Record<string, unknown>): string | null {
    if (app !== this.opts.app) return `unknown application "${app}" (publish to /${this.opts.app}/<streamId>)`;
    if (!STREAM_ID_RE.test(name)) return `invalid stream id "${name}" (letters, digits, _ and -, up to 64)`;
    const key = typeof query['key'] === 'string' ? query['key'] : undefined;
    if (!this.opts.checkPublishKey(name, key)) return key === undefined ? 'missing publish key (?key=...)' : 'wrong publish key';
    if (this.opts.isLive(name) || this.publishers.has(name)) return `stream "${name}" already has a publisher`;
    return null;
  }

  private onPublish(conn: Connection, remote: string): void {
    const { session } = conn;
    const streamId = session.streamName;
    // node-media-server's own bookkeeping: registers the publisher on the broadcast.
    const broadcast = session.broadcast;
    const err = broadcast.publisher === null ? null : `stream "${streamId}" already has a publisher`;
    if (err !== null) {
      this.opts.logger.warn({ remote, streamId, reason: err }, 'RTMP publish refused');
      this.drop(conn, err, false, true);
      return;
    }
    (session as unknown as { broadcast: { postPublish(s: NmsSession): string | null } }).broadcast.postPublish(session);
    session.isPublisher = true;
    // We report the end of a publish ourselves when the socket closes; no 30 s grace.
    broadcast.publishGraceMs = 0;
    session.rtmp.maxMessageBytes = MAX_MESSAGE_BYTES;
    if (conn.timer) clearTimeout(conn.timer);
    conn.timer = null;

    const publish: RtmpPublish = {
      streamId,
      remoteAddress: remote,
      openInput: () => this.openTap(conn, broadcast),
      skippedVideoTags: () => [...conn.taps].reduce((sum, t) => sum + t.skippedVideoTags, 0),
      disconnect: (reason) => this.drop(conn, reason, true),
    };
    conn.publish = publish;
    this.publishers.set(streamId, conn);
    this.opts.logger.info({ remote, streamId }, 'RTMP publish accepted');
    this.emit('publish', publish);
  }

  private openTap(conn: Connection, broadcast: NmsBroadcast): OpenedInput | null {
    if (conn.closedReason !== null) return null;
    const tap = new FlvTap(broadcast);
    conn.taps.add(tap);
    return {
      input: { kind: 'stream', stream: tap.stream, format: 'flv' },
      release: () => {
        tap.release();
        conn.taps.delete(tap);
      },
    };
  }

  /**
   * Closes a connection. `destroy` resets it at once (garbage, timeouts); otherwise the
   * socket is ended after pending writes (a refusal the client should be able to read).
   */
  private drop(conn: Connection, reason: string, destroy: boolean, alreadyLogged = false): void {
    if (conn.closedReason !== null) return;
    conn.closedReason = reason;
    if (!alreadyLogged && !conn.publish) {
      this.opts.logger.warn({ remote: `${conn.socket.remoteAddress}:${conn.socket.remotePort}`, reason }, 'RTMP connection closed');
    }
    if (destroy) conn.socket.destroy();
    else {
      conn.socket.end();
      // a peer that never closes its side must not hold the slot
      setTimeout(() => conn.socket.destroy(), 2_000).unref();
    }
    if (conn.publish) this.endPublish(conn, reason);
  }

  private onSocketClose(conn: Connection): void {
    if (conn.timer) clearTimeout(conn.timer);
    conn.timer = null;
    this.connections.delete(conn);
    Context.sessions.delete(conn.session.id);
    if (conn.closedReason === null) conn.closedReason = 'publisher disconnected';
    if (conn.publish) this.endPublish(conn, conn.closedReason);
    // release node-media-server's broadcast entry: publisher gone, taps gone
    const broadcast = Context.broadcasts.get(conn.session.streamPath);
    if (broadcast && conn.publish && broadcast.publisher === conn.session) broadcast._finishPublish();
    if (broadcast && broadcast.publisher === null && broadcast.subscribers.size === 0) {
      Context.broadcasts.delete(conn.session.streamPath);
    }
  }

  private endPublish(conn: Connection, reason: string): void {
    const publish = conn.publish;
    if (!publish) return;
    conn.publish = null;
    if (this.publishers.get(publish.streamId) === conn) this.publishers.delete(publish.streamId);
    for (const tap of conn.taps) tap.end();
    conn.taps.clear();
    this.opts.logger.info({ streamId: publish.streamId, reason }, 'RTMP publish ended');
    this.emit('unpublish', { streamId: publish.streamId, reason });
  }
}
