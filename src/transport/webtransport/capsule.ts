import { ByteQueue, concatBytes } from './bytes.js';
import { H3, H3Error } from './errors.js';
import { readVarint, varintLength, writeVarint } from './varint.js';

/** Capsule types (RFC 9297 §3.2; draft-ietf-webtrans-http3 §5, §6). */
export const CapsuleType = {
  DATAGRAM: 0x00,
  CLOSE_WEBTRANSPORT_SESSION: 0x2843,
  DRAIN_WEBTRANSPORT_SESSION: 0x78ae,
} as const;

/** draft-ietf-webtrans-http3 §6: the reason is at most 1024 bytes. */
export const MAX_CLOSE_REASON_BYTES = 1024;

export interface Capsule {
  type: number;
  value: Uint8Array;
}

export function encodeCapsule(type: number, value: Uint8Array): Uint8Array {
  const header = new Uint8Array(varintLength(type) + varintLength(value.byteLength));
  writeVarint(header, writeVarint(header, 0, type), value.byteLength);
  return concatBytes([header, value]);
}

const encoder = new TextEncoder();

/** Truncates to at most `max` UTF-8 bytes without splitting a character. */
function utf8Prefix(text: string, max: number): Uint8Array {
  let bytes = encoder.encode(text);
  if (bytes.byteLength <= max) return bytes;
  let end = max;
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  bytes = bytes.subarray(0, end);
  return bytes;
}

/** CLOSE_WEBTRANSPORT_SESSION: 32-bit application error code, then a UTF-8 reason. */
export function encodeCloseSession(code: number, reason: string): Uint8Array {
  const text = utf8Prefix(reason, MAX_CLOSE_REASON_BYTES);
  const value = new Uint8Array(4 + text.byteLength);
  new DataView(value.buffer).setUint32(0, code >>> 0);
  value.set(text, 4);
  return encodeCapsule(CapsuleType.CLOSE_WEBTRANSPORT_SESSION, value);
}

export function decodeCloseSession(value: Uint8Array): { code: number; reason: string } {
  if (value.byteLength < 4 || value.byteLength > 4 + MAX_CLOSE_REASON_BYTES) {
    throw new H3Error(H3.MESSAGE_ERROR, 'stream', 'malformed CLOSE_WEBTRANSPORT_SESSION');
  }
  const code = new DataView(value.buffer, value.byteOffset, 4).getUint32(0);
  return { code, reason: new TextDecoder().decode(value.subarray(4)) };
}

/** Splits the capsule data stream (the DATA frame payloads of the CONNECT stream) into capsules. */
export class CapsuleReader {
  private readonly queue = new ByteQueue();

  constructor(private readonly maxValue: number) {}

  push(chunk: Uint8Array): Capsule[] {
    this.queue.push(chunk);
    const out: Capsule[] = [];
    for (;;) {
      const bytes = this.queue.peek();
      const type = readVarint(bytes, 0);
      const length = type === null ? null : readVarint(bytes, type.length);
      if (type === null || length === null) return out;
      if (length.value > this.maxValue) throw new H3Error(H3.EXCESSIVE_LOAD, 'stream', `capsule of ${length.value} bytes`);
      const headerLength = type.length + length.length;
      if (bytes.byteLength < headerLength + length.value) return out;
      this.queue.consume(headerLength);
      out.push({ type: type.value, value: this.queue.consume(length.value) });
    }
  }
}
