import { H3, H3Error } from './errors.js';
import { FrameType, encodeFrame } from './frames.js';
import { readVarint, varintLength, writeVarint } from './varint.js';

/** SETTINGS identifiers we send or read. */
export const SettingId = {
  /** RFC 9204 §5. */
  QPACK_MAX_TABLE_CAPACITY: 0x01,
  /** RFC 9114 §7.2.4.1. */
  MAX_FIELD_SECTION_SIZE: 0x06,
  /** RFC 9204 §5. */
  QPACK_BLOCKED_STREAMS: 0x07,
  /** RFC 9220 §3: extended CONNECT. */
  ENABLE_CONNECT_PROTOCOL: 0x08,
  /** RFC 9297 §2.1.1. */
  H3_DATAGRAM: 0x33,
  /** draft-ietf-masque-h3-datagram-04, still read by some clients. */
  H3_DATAGRAM_DRAFT04: 0xffd277,
  /** draft-ietf-webtrans-http3-02 §3.1: what Chromium 156 requires. */
  ENABLE_WEBTRANSPORT_DRAFT02: 0x2b603742,
  /** draft-ietf-webtrans-http3-07 and later §3.1. */
  WEBTRANSPORT_MAX_SESSIONS: 0xc671706a,
} as const;

/** Identifiers that were HTTP/2 settings; receiving one is H3_SETTINGS_ERROR (RFC 9114 §7.2.4.1). */
const HTTP2_ONLY_SETTINGS: ReadonlySet<number> = new Set([0x00, 0x02, 0x03, 0x04, 0x05]);

export type Settings = Map<number, number>;

export function encodeSettings(settings: Settings): Uint8Array {
  let length = 0;
  for (const [id, value] of settings) length += varintLength(id) + varintLength(value);
  const payload = new Uint8Array(length);
  let offset = 0;
  for (const [id, value] of settings) offset = writeVarint(payload, writeVarint(payload, offset, id), value);
  return encodeFrame(FrameType.SETTINGS, payload);
}

/** Parses a SETTINGS payload (RFC 9114 §7.2.4); unknown identifiers are kept and ignored by callers. */
export function decodeSettings(payload: Uint8Array): Settings {
  const settings: Settings = new Map();
  let offset = 0;
  while (offset < payload.byteLength) {
    const id = readVarint(payload, offset);
    const value = id === null ? null : readVarint(payload, offset + id.length);
    if (id === null || value === null) throw new H3Error(H3.FRAME_ERROR, 'connection', 'truncated SETTINGS');
    if (HTTP2_ONLY_SETTINGS.has(id.value)) throw new H3Error(H3.SETTINGS_ERROR, 'connection', `HTTP/2 setting 0x${id.value.toString(16)}`);
    if (settings.has(id.value)) throw new H3Error(H3.SETTINGS_ERROR, 'connection', `duplicate setting 0x${id.value.toString(16)}`);
    settings.set(id.value, value.value);
    offset += id.length + value.length;
  }
  return settings;
}

/** The server's SETTINGS: both WebTransport generations, datagrams, extended CONNECT, no dynamic table. */
export function serverSettings(opts: { maxSessions: number; maxFieldSectionSize: number }): Settings {
  return new Map([
    [SettingId.QPACK_MAX_TABLE_CAPACITY, 0],
    [SettingId.QPACK_BLOCKED_STREAMS, 0],
    [SettingId.MAX_FIELD_SECTION_SIZE, opts.maxFieldSectionSize],
    [SettingId.ENABLE_CONNECT_PROTOCOL, 1],
    [SettingId.H3_DATAGRAM, 1],
    [SettingId.H3_DATAGRAM_DRAFT04, 1],
    [SettingId.ENABLE_WEBTRANSPORT_DRAFT02, 1],
    [SettingId.WEBTRANSPORT_MAX_SESSIONS, opts.maxSessions],
  ]);
}
