import { concatBytes } from './bytes.js';
import { encodeVarint, readVarint } from './varint.js';

/**
 * HTTP Datagrams (RFC 9297 §2.1): the QUIC DATAGRAM payload starts with the Quarter Stream
 * ID, the request stream's id divided by 4, as a varint. WebTransport uses the CONNECT
 * stream, i.e. the session id (draft-ietf-webtrans-http3 §4.6).
 */
export function encodeDatagram(sessionId: number, payload: Uint8Array): Uint8Array {
  return concatBytes([encodeVarint(sessionId / 4), payload]);
}

/** Returns the session id and payload, or null when the prefix is missing or truncated. */
export function decodeDatagram(bytes: Uint8Array): { sessionId: number; payload: Uint8Array } | null {
  const quarter = readVarint(bytes, 0);
  if (quarter === null) return null;
  return { sessionId: quarter.value * 4, payload: bytes.subarray(quarter.length) };
}
