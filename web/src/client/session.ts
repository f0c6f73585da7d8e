import type { WireError, WireEvent } from './wire.js';

/** How a transport session ended, in the terms the reconnect logic needs. */
export interface SessionEnd {
  /** The gateway said the stream is over: do not reconnect. */
  readonly ended: boolean;
  /** The gateway closed us for falling behind: reconnect at once with `since`. */
  readonly lagging: boolean;
  readonly reason: string;
}

/** What a transport session reports upward; `connectAnalysis` owns policy. */
export interface SessionHandlers {
  onMessage(event: WireEvent): void;
  onError(error: WireError['error']): void;
  /** A message that is not valid wire format (dropped). */
  onMalformed(reason: string): void;
  /** A datagram that is not a wire event (e.g. the echo of one we sent). */
  onDatagram(payload: Uint8Array): void;
}

/** One open connection, whichever the transport. */
export interface TransportSession {
  readonly kind: 'webtransport' | 'websocket';
  readonly done: Promise<SessionEnd>;
  /** Sends a datagram (WebTransport only); false when it cannot. */
  sendDatagram(payload: Uint8Array): boolean;
  close(): void;
}

/** Gateway close codes (docs/wire-format.md §Closing), the same on both transports. */
export const CLOSE_STREAM_ENDED_WT = 0;
export const CLOSE_STREAM_ENDED_WS = 1000;
export const CLOSE_LAGGING = 4008;
export const CLOSE_KICKED = 4003;
