import type { WireEvent } from '../media/types.js';
import { frameJson } from './framing.js';

/**
 * A WireEvent serialised once at publish time and shared by every viewer, the replay
 * buffer and the NDJSON export: fan-out to N viewers costs N writes, not N JSON.stringify.
 */
export interface EncodedEvent {
  readonly event: WireEvent;
  /** The JSON text (WebSocket message, NDJSON line). */
  readonly json: string;
  /** Lazily framed bytes for WebTransport streams (length prefix + UTF-8). */
  framed(): Uint8Array;
}

export function encodeEvent(event: WireEvent): EncodedEvent {
  // Key order fixed as in the spec, so messages are byte-stable and easy to read in logs.
  const json = JSON.stringify({ channel: event.channel, seq: event.seq, pts: event.pts, ts: event.ts, type: event.type, data: event.data });
  let bytes: Uint8Array | null = null;
  return {
    event,
    json,
    framed: () => (bytes ??= frameJson(json)),
  };
}
