import type { ErrorCode } from '../media/errors.js';
import type { Channel } from '../media/types.js';
import type { EncodedEvent } from './encoded-event.js';

/** Why the gateway ended a viewer's session; carried to the client (docs/wire-format.md §Closing). */
export interface CloseReason {
  /** `disconnected`: the client went away (the sink reports it; nothing is sent). */
  readonly kind: 'stream-ended' | 'lagging' | 'shutdown' | 'transport-error' | 'kicked' | 'disconnected';
  readonly code: ErrorCode | null;
  readonly message: string;
}

/**
 * Close codes per transport. WebSocket application codes live in 4000–4999 (RFC 6455
 * §7.4.2); WebTransport application codes are any u32 (draft-ietf-webtrans-http3
 * CLOSE_WEBTRANSPORT_SESSION), so the same numbers are used on both.
 */
export const CLOSE_CODES: Record<CloseReason['kind'], { ws: number; wt: number }> = {
  'stream-ended': { ws: 1000, wt: 0 },
  shutdown: { ws: 1001, wt: 1001 },
  'transport-error': { ws: 1011, wt: 1011 },
  lagging: { ws: 4008, wt: 4008 },
  kicked: { ws: 4003, wt: 4003 },
  disconnected: { ws: 1000, wt: 0 },
};

/**
 * One viewer's transport as the hub sees it: the only seam between the hub's policy and
 * WebSocket/WebTransport/in-memory delivery.
 */
export interface ViewerSink {
  /**
   * Sends one event on its channel. A returned promise means "do not write this channel
   * again until it settles" (transport backpressure); a rejection ends the viewer.
   */
  write(channel: Channel, event: EncodedEvent): void | Promise<void>;
  /**
   * Sends several events of one channel at once, in order (optional). A transport whose
   * per-write cost dominates (a QUIC stream write per event means a packet per event) gets
   * everything a channel has queued as one write, so a viewer that fell behind catches up
   * in few packets instead of many.
   */
  writeBatch?(channel: Channel, events: readonly EncodedEvent[]): void | Promise<void>;
  /** Unreliable, unqueued delivery (WebTransport datagrams); false when not sent. */
  datagram?(channel: Channel, event: EncodedEvent): boolean;
  /** Ends the transport; called once, after which `write` is never called again. */
  close(reason: CloseReason): void;
}
