import { QUICServer, events, type QUICConnection } from '@matrixai/quic';
import { describeCertificate, type ServerCertificate } from './certificate.js';
import { CertificateRotator } from './certificate-rotator.js';
import { H3 } from './errors.js';
import { H3Connection } from './h3-connection.js';
import { serverTokenCrypto } from './quic-crypto.js';
import { abandonClosingPeriod, serverConnections } from './native.js';
import { quicLogger } from './quic-logger.js';
import { SafeEmitter } from './safe-emitter.js';
import { codeToReason, reasonToCode } from './stream-code.js';
import type { WebTransportServerEvents, WebTransportServerOptions } from './types.js';

/** Datagram queue lengths (packets) for quiche: receive, send. */
const DGRAM_QUEUE = 1024;

/**
 * How long close() lets connections sit in their closing period (RFC 9000 §10.2: 3 PTO,
 * there to answer a peer's late packets with CONNECTION_CLOSE again) before ending it. On a
 * loaded machine a PTO is seconds, and 200 connections made shutdown take ~90 s.
 */
const DEFAULT_CLOSING_GRACE_MS = 500;
const CLOSING_POLL_MS = 50;

/** Resolves true when `p` settles first, false after `ms`; the timer never outlives the race. */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * An HTTP/3 server on @matrixai/quic that speaks WebTransport (draft-ietf-webtrans-http3,
 * draft-02 as Chromium does and the current settings): it accepts extended CONNECT
 * sessions that `authorize` allows and emits them as `session` events.
 */
export class WebTransportServer extends SafeEmitter<WebTransportServerEvents> {
  private quic: QUICServer | undefined;
  private rotator: CertificateRotator | undefined;
  private given: ServerCertificate | undefined;
  private readonly connections = new Set<H3Connection>();
  private starting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly opts: WebTransportServerOptions) {
    super(opts.logger);
  }

  /** The UDP port bound (after start()). */
  get port(): number {
    if (!this.quic) throw new Error('WebTransportServer is not started');
    return this.quic.port;
  }

  /** Hashes for `new WebTransport(url, { serverCertificateHashes })`, newest first. */
  certificateHashes(): { algorithm: 'sha-256'; value: string }[] {
    const certs = this.given ? [this.given] : (this.rotator?.valid() ?? []);
    return certs.map((c) => ({ algorithm: 'sha-256', value: c.sha256 }));
  }

  /** Replaces the self-signed certificate now (tests; the rotator does it on its own before expiry). */
  async rotateCertificate(): Promise<void> {
    if (!this.rotator) throw new Error('rotation applies only to the self-signed certificate');
    await this.rotator.rotate();
  }

  /** Open sessions across all connections. */
  get sessionCount(): number {
    let n = 0;
    for (const c of this.connections) n += c.sessionCount;
    return n;
  }

  start(): Promise<void> {
    this.starting ??= this.doStart();
    return this.starting;
  }

  private async doStart(): Promise<void> {
    let cert: ServerCertificate;
    if (this.opts.certificate) {
      cert = this.given = await describeCertificate(this.opts.certificate);
    } else {
      this.rotator = new CertificateRotator(
        this.opts.certificateLifetime ?? {},
        (next) => {
          // New connections get the new certificate; open ones keep theirs.
          this.quic?.updateConfig({ cert: next.certPem, key: next.keyPem });
          this.opts.logger.info({ notAfter: next.notAfter.toISOString() }, 'WebTransport certificate rotated');
        },
        (err) => this.opts.logger.error({ err }, 'WebTransport certificate rotation failed'),
      );
      cert = await this.rotator.start();
    }
    const quic = new QUICServer({
      crypto: serverTokenCrypto(),
      config: {
        cert: cert.certPem,
        key: cert.keyPem,
        verifyPeer: false,
        applicationProtos: ['h3'],
        maxIdleTimeout: this.opts.idleTimeoutMs ?? 30_000,
        // RFC 9221 datagrams; quiche needs them enabled at the transport.
        enableDgram: [true, DGRAM_QUEUE, DGRAM_QUEUE],
        initialMaxStreamsBidi: 256,
        initialMaxStreamsUni: 256,
      },
      reasonToCode,
      codeToReason,
      logger: quicLogger(this.opts.logger, 'QUICServer'),
    });
    quic.addEventListener(events.EventQUICServerConnection.name, (evt) => {
      this.onConnection((evt as events.EventQUICServerConnection).detail);
    });
    await quic.start({ host: this.opts.host, port: this.opts.port });
    this.containServerErrors(quic);
    this.quic = quic;
    this.opts.logger.info({ host: this.opts.host, port: quic.port }, 'WebTransport (HTTP/3) server listening');
  }

  /**
   * The library rethrows its "internal" server errors from an event listener, which makes
   * them uncaught exceptions; one is a failed UDP send to a single peer (or to one still
   * handshaking while we shut down). Those are logged here instead of ending the process.
   */
  private containServerErrors(quic: QUICServer): void {
    const name = events.EventQUICServerError.name;
    const original = (quic as unknown as { handleEventQUICServerError: (evt: Event) => void }).handleEventQUICServerError;
    quic.removeEventListener(name, original);
    quic.addEventListener(name, (evt) => {
      try {
        original(evt);
      } catch (err) {
        this.opts.logger.warn({ err }, 'QUIC server error (contained)');
      }
    });
  }

  private onConnection(quic: QUICConnection): void {
    if (this.closing) {
      quic.stop({ isApp: true, errorCode: H3.NO_ERROR, force: true }).catch(() => undefined);
      return;
    }
    const h3 = new H3Connection(quic, {
      logger: this.opts.logger,
      authorize: (req) => this.opts.authorize(req),
      maxFieldSectionSize: this.opts.maxFieldSectionSize ?? 16 * 1024,
      maxSessions: this.opts.maxSessionsPerConnection ?? 16,
      onSession: (session) => this.safeEmit('session', session),
    });
    this.connections.add(h3);
    quic.addEventListener(events.EventQUICConnectionStopped.name, () => this.connections.delete(h3), { once: true });
    try {
      h3.start();
    } catch (err) {
      this.opts.logger.warn({ err }, 'HTTP/3 connection setup failed');
      quic.stop({ isApp: true, errorCode: H3.INTERNAL_ERROR, force: true }).catch(() => undefined);
    }
  }

  /** GOAWAY and CLOSE_WEBTRANSPORT_SESSION to everyone, then the QUIC connections and the socket. */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    await this.starting?.catch(() => undefined);
    this.rotator?.stop();
    await Promise.allSettled([...this.connections].map((c) => c.goaway()));
    // RFC 9114 §5.2: after GOAWAY, close with H3_NO_ERROR.
    const quic = this.quic;
    if (quic) {
      const stopped = quic.stop({ isApp: true, errorCode: H3.NO_ERROR, force: true });
      let done = await settlesWithin(stopped, this.opts.closingGraceMs ?? DEFAULT_CLOSING_GRACE_MS);
      while (!done) {
        // Each CONNECTION_CLOSE is sent by now or soon (handshaking connections included);
        // stop waiting out closing periods.
        for (const c of serverConnections(quic)) abandonClosingPeriod(c);
        done = await settlesWithin(stopped, CLOSING_POLL_MS);
      }
      await stopped;
    }
    this.connections.clear();
  }
}
