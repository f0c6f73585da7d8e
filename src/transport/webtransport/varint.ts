/**
 * QUIC variable-length integers (RFC 9000 §16): the two high bits of the first byte give
 * the length (1, 2, 4 or 8 bytes), the rest is the value, big-endian.
 *
 * Values are JavaScript numbers. 8-byte varints above 2^53 lose precision; that only
 * matters for the GREASE identifiers peers send as frame/stream/setting types
 * (RFC 9114 §7.2.8), which are ignored anyway, and no length or id we accept is that big.
 */

/** Largest value a varint can carry (RFC 9000 §16): 2^62 - 1. */
export const VARINT_MAX = 2 ** 62 - 1;

export interface DecodedVarint {
  value: number;
  /** Bytes consumed. */
  length: number;
}

/** Bytes needed to encode `value`. */
export function varintLength(value: number): 1 | 2 | 4 | 8 {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** 62) throw new RangeError(`not a varint: ${value}`);
  if (value < 0x40) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x40000000) return 4;
  return 8;
}

/** Writes `value` at `offset`; returns the offset after it. */
export function writeVarint(target: Uint8Array, offset: number, value: number): number {
  const length = varintLength(value);
  switch (length) {
    case 1:
      target[offset] = value;
      break;
    case 2:
      target[offset] = 0x40 | (value >>> 8);
      target[offset + 1] = value & 0xff;
      break;
    case 4:
      target[offset] = 0x80 | (value >>> 24);
      target[offset + 1] = (value >>> 16) & 0xff;
      target[offset + 2] = (value >>> 8) & 0xff;
      target[offset + 3] = value & 0xff;
      break;
    case 8: {
      const high = Math.floor(value / 2 ** 32);
      const low = value % 2 ** 32;
      target[offset] = 0xc0 | (high >>> 24);
      target[offset + 1] = (high >>> 16) & 0xff;
      target[offset + 2] = (high >>> 8) & 0xff;
      target[offset + 3] = high & 0xff;
      target[offset + 4] = low >>> 24;
      target[offset + 5] = (low >>> 16) & 0xff;
      target[offset + 6] = (low >>> 8) & 0xff;
      target[offset + 7] = low & 0xff;
      break;
    }
  }
  return offset + length;
}

export function encodeVarint(value: number): Uint8Array {
  const out = new Uint8Array(varintLength(value));
  writeVarint(out, 0, value);
  return out;
}

/** Reads a varint at `offset`, or returns null when the bytes end before it does. */
export function readVarint(source: Uint8Array, offset = 0): DecodedVarint | null {
  const first = source[offset];
  if (first === undefined) return null;
  const length = 1 << (first >>> 6);
  if (offset + length > source.length) return null;
  let value = first & 0x3f;
  for (let i = 1; i < length; i++) value = value * 256 + (source[offset + i] as number);
  return { value, length };
}
