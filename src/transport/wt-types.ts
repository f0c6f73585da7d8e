/**
 * The part of src/transport/webtransport's API this layer uses, declared structurally so the
 * hub and plugin depend on a narrow interface (and can be tested with a fake) rather than on
 * the HTTP/3 implementation.
 */
export interface WtSendStream {
  write(chunk: Uint8Array): Promise<void>;
  readonly desiredSize: number | null;
  close(): Promise<void>;
  abort(code?: number): void;
}

export interface WtSession {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly closed: boolean;
  openUni(): Promise<WtSendStream>;
  sendDatagram(payload: Uint8Array): boolean;
  on(event: 'datagram', listener: (payload: Uint8Array) => void): unknown;
  on(event: 'close', listener: (...args: unknown[]) => void): unknown;
  close(code?: number, reason?: string): void;
}

export interface WtServer {
  readonly port: number;
  certificateHashes(): { algorithm: 'sha-256'; value: string }[];
  on(event: 'session', listener: (session: WtSession) => void): unknown;
  off?(event: 'session', listener: (session: WtSession) => void): unknown;
}

/** The request the WebTransport server asks us to authorise (extended CONNECT). */
export interface WtConnectRequest {
  path: string;
  query: URLSearchParams;
  authority: string;
}
