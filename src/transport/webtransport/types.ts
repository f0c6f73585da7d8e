import type { Logger } from '../../media/logger.js';

/** What `authorize` sees of an extended CONNECT (RFC 9220 §3). */
export interface WebTransportConnectRequest {
  path: string;
  query: URLSearchParams;
  authority: string;
}

export interface CertificatePem {
  certPem: string;
  keyPem: string;
}

/** When and how the self-signed certificate is renewed; injectable so tests can trigger it. */
export interface CertificateLifetime {
  /** notAfter - notBefore; browsers accept at most 14 days for serverCertificateHashes. Default 13 days. */
  validityMs?: number;
  /** Renew this long before notAfter. Default 6 days. */
  renewBeforeExpiryMs?: number;
  /** Wall clock (ms since epoch). Default Date.now. */
  now?: () => number;
  /** Runs `fn` after `delayMs`; returns a cancel function. Default setTimeout (unref'd). */
  schedule?: (fn: () => void, delayMs: number) => () => void;
}

export interface WebTransportServerOptions {
  /** Address to bind, e.g. '127.0.0.1' or '::'. */
  host: string;
  /** UDP port; 0 picks a free one (read `server.port` after start()). */
  port: number;
  /** A certificate to serve (the gateway's --tls-cert/--tls-key); absent → self-signed ECDSA P-256, rotated. */
  certificate?: CertificatePem;
  certificateLifetime?: CertificateLifetime;
  logger: Logger;
  /** Decide on an extended CONNECT before accepting: 200 accepts, another HTTP status (404, 403, 400) refuses. */
  authorize(req: WebTransportConnectRequest): number;
  /** QUIC idle timeout; a client that vanishes is noticed after this long. Default 30 s. */
  idleTimeoutMs?: number;
  /** Largest HEADERS frame accepted (SETTINGS_MAX_FIELD_SECTION_SIZE). Default 16 KiB. */
  maxFieldSectionSize?: number;
  /** Sessions per QUIC connection (SETTINGS_WEBTRANSPORT_MAX_SESSIONS). Default 16. */
  maxSessionsPerConnection?: number;
  /**
   * On close(), how long connections may sit in their QUIC closing period (RFC 9000 §10.2)
   * before it is cut short. Default 500 ms.
   */
  closingGraceMs?: number;
}

export interface WebTransportSendStream {
  /** Resolves when the QUIC stream has accepted the chunk (backpressure). */
  write(chunk: Uint8Array): Promise<void>;
  /** Bytes the stream can take before write() waits; null once closed or aborted. */
  readonly desiredSize: number | null;
  /** Ends the stream with FIN after what was written. */
  close(): Promise<void>;
  /** Resets the stream with a WebTransport application error code (default 0). */
  abort(code?: number): void;
}

export interface WebTransportBidiStream {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
}

export interface WebTransportCloseInfo {
  code: number;
  reason: string;
}

export type WebTransportSessionEvents = {
  datagram: [payload: Uint8Array];
  bidi: [stream: WebTransportBidiStream];
  /** A client-initiated unidirectional stream (extension beyond the agreed API). */
  uni: [readable: ReadableStream<Uint8Array>];
  close: [info: WebTransportCloseInfo];
};

export interface WebTransportSession {
  /** The CONNECT stream id, in decimal (draft-ietf-webtrans-http3 §2: the session id). */
  readonly id: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authority: string;
  readonly closed: boolean;
  /** Opens a server-initiated unidirectional stream (type 0x54 + session id already written). */
  openUni(): Promise<WebTransportSendStream>;
  /** false when it could not be queued (too big, queue full, session closed). */
  sendDatagram(payload: Uint8Array): boolean;
  /** Largest datagram payload that fits right now, or null when datagrams are unavailable. */
  maxDatagramSize(): number | null;
  on<E extends keyof WebTransportSessionEvents>(event: E, listener: (...args: WebTransportSessionEvents[E]) => void): this;
  off<E extends keyof WebTransportSessionEvents>(event: E, listener: (...args: WebTransportSessionEvents[E]) => void): this;
  once<E extends keyof WebTransportSessionEvents>(event: E, listener: (...args: WebTransportSessionEvents[E]) => void): this;
  /** Sends CLOSE_WEBTRANSPORT_SESSION (code, reason ≤ 1024 bytes) and ends the CONNECT stream. */
  close(code?: number, reason?: string): void;
}

export type WebTransportServerEvents = {
  session: [session: WebTransportSession];
};
