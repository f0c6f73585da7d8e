/**
 * Error codes this layer sends, and the error type its parsers throw.
 */

/** HTTP/3 error codes (RFC 9114 §8.1). */
export const H3 = {
  NO_ERROR: 0x0100,
  GENERAL_PROTOCOL_ERROR: 0x0101,
  INTERNAL_ERROR: 0x0102,
  STREAM_CREATION_ERROR: 0x0103,
  CLOSED_CRITICAL_STREAM: 0x0104,
  FRAME_UNEXPECTED: 0x0105,
  FRAME_ERROR: 0x0106,
  EXCESSIVE_LOAD: 0x0107,
  ID_ERROR: 0x0108,
  SETTINGS_ERROR: 0x0109,
  MISSING_SETTINGS: 0x010a,
  REQUEST_REJECTED: 0x010b,
  REQUEST_CANCELLED: 0x010c,
  REQUEST_INCOMPLETE: 0x010d,
  MESSAGE_ERROR: 0x010e,
  CONNECT_ERROR: 0x010f,
  VERSION_FALLBACK: 0x0110,
  /** QPACK (RFC 9204 §6). */
  QPACK_DECOMPRESSION_FAILED: 0x0200,
  QPACK_ENCODER_STREAM_ERROR: 0x0201,
  QPACK_DECODER_STREAM_ERROR: 0x0202,
  /** HTTP Datagrams (RFC 9297 §5.2). */
  DATAGRAM_ERROR: 0x33,
  /** draft-ietf-webtrans-http3 §9.5: a stream for a session that never came. */
  WEBTRANSPORT_BUFFERED_STREAM_REJECTED: 0x3994bd84,
  /** draft-ietf-webtrans-http3 §9.5: a stream whose session is gone. */
  WEBTRANSPORT_SESSION_GONE: 0x170d7b68,
} as const;

const WT_APP_ERROR_FIRST = 0x52e4a40fa8db;

/**
 * Maps a WebTransport application error code (32 bits) into the HTTP/3 error space used in
 * RESET_STREAM / STOP_SENDING, skipping the reserved GREASE codepoints
 * (draft-ietf-webtrans-http3 §4.4).
 */
export function webTransportCodeToHttp3(code: number): number {
  return WT_APP_ERROR_FIRST + code + Math.floor(code / 0x1e);
}

/** The inverse of webTransportCodeToHttp3, or null for a code outside that range. */
export function http3CodeToWebTransport(h3Code: number): number | null {
  if (h3Code < WT_APP_ERROR_FIRST || h3Code > 0x52e5ac983162) return null;
  if ((h3Code - 0x21) % 0x1f === 0) return null;
  const shifted = h3Code - WT_APP_ERROR_FIRST;
  return shifted - Math.floor(shifted / 0x1f);
}

/**
 * A protocol violation found while parsing. `scope` says what it ends: the whole
 * connection (RFC 9114 §8: "connection error") or one stream ("stream error").
 */
export class H3Error extends Error {
  override readonly name = 'H3Error';
  constructor(
    readonly code: number,
    readonly scope: 'connection' | 'stream',
    message: string,
  ) {
    super(message);
  }
}
