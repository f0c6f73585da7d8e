import { concatBytes } from './bytes.js';
import { H3, H3Error } from './errors.js';
import { huffmanDecode, huffmanEncode, huffmanEncodedLength } from './huffman.js';
import { QPACK_STATIC_TABLE } from './qpack-static-table.js';

/**
 * QPACK field sections (RFC 9204 §4.5) with the static table only: we advertise a dynamic
 * table capacity of 0 (SETTINGS_QPACK_MAX_TABLE_CAPACITY), so a peer may not reference a
 * dynamic table, and any such reference is QPACK_DECOMPRESSION_FAILED (RFC 9204 §2.2.3).
 * Written by hand: no installable package implements QPACK.
 */

export type HeaderList = [name: string, value: string][];

const utf8 = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

function fail(message: string): never {
  throw new H3Error(H3.QPACK_DECOMPRESSION_FAILED, 'connection', `QPACK: ${message}`);
}

/** A prefixed integer (RFC 7541 §5.1) at `offset` with an N-bit prefix. */
function readPrefixedInt(bytes: Uint8Array, offset: number, prefixBits: number): { value: number; next: number } {
  const first = bytes[offset];
  if (first === undefined) fail('truncated integer');
  const max = (1 << prefixBits) - 1;
  let value = first & max;
  let next = offset + 1;
  if (value < max) return { value, next };
  let shift = 0;
  for (;;) {
    const b = bytes[next++];
    if (b === undefined) fail('truncated integer');
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    // Nothing we accept needs more than 32 bits; longer encodings are hostile.
    if (value > 0xffffffff || shift > 35) fail('integer too large');
    if ((b & 0x80) === 0) return { value, next };
  }
}

function writePrefixedInt(value: number, prefixBits: number, flags: number): Uint8Array {
  const max = (1 << prefixBits) - 1;
  if (value < max) return Uint8Array.of(flags | value);
  const out = [flags | max];
  let rest = value - max;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return Uint8Array.from(out);
}

/** A string literal (RFC 9204 §4.1.2): H flag at bit `prefixBits`, length with a prefixBits-bit prefix. */
function readString(bytes: Uint8Array, offset: number, prefixBits: number): { value: string; next: number } {
  const first = bytes[offset];
  if (first === undefined) fail('truncated string');
  const huffman = (first & (1 << prefixBits)) !== 0;
  const { value: length, next } = readPrefixedInt(bytes, offset, prefixBits);
  if (next + length > bytes.byteLength) fail('string runs past the field section');
  const raw = bytes.subarray(next, next + length);
  return { value: utf8.decode(huffman ? huffmanDecode(raw) : raw), next: next + length };
}

function staticEntry(index: number): readonly [string, string] {
  const entry = QPACK_STATIC_TABLE[index];
  if (entry === undefined) fail(`static index ${index} out of range`);
  return entry;
}

/** Decodes a HEADERS frame payload into field lines, in order. */
export function decodeFieldSection(bytes: Uint8Array): HeaderList {
  // Encoded Field Section Prefix (RFC 9204 §4.5.1): Required Insert Count, then sign + Delta Base.
  const ric = readPrefixedInt(bytes, 0, 8);
  if (ric.value !== 0) fail('references the dynamic table (Required Insert Count > 0)');
  const base = readPrefixedInt(bytes, ric.next, 7);
  let offset = base.next;
  const headers: HeaderList = [];
  while (offset < bytes.byteLength) {
    const b = bytes[offset] as number;
    if (b & 0x80) {
      // Indexed Field Line (§4.5.2): 1 T index(6).
      if ((b & 0x40) === 0) fail('dynamic table index');
      const { value, next } = readPrefixedInt(bytes, offset, 6);
      const [name, v] = staticEntry(value);
      headers.push([name, v]);
      offset = next;
    } else if (b & 0x40) {
      // Literal Field Line with Name Reference (§4.5.4): 01 N T index(4), then the value.
      if ((b & 0x10) === 0) fail('dynamic table name reference');
      const { value, next } = readPrefixedInt(bytes, offset, 4);
      const name = staticEntry(value)[0];
      const v = readString(bytes, next, 7);
      headers.push([name, v.value]);
      offset = v.next;
    } else if (b & 0x20) {
      // Literal Field Line with Literal Name (§4.5.6): 001 N H length(3), name, then the value.
      const name = readString(bytes, offset, 3);
      const v = readString(bytes, name.next, 7);
      headers.push([name.value, v.value]);
      offset = v.next;
    } else {
      // 0001xxxx Indexed Field Line With Post-Base Index, 0000xxxx Literal with Post-Base Name Reference (§4.5.3, §4.5.5).
      fail('post-base (dynamic table) reference');
    }
  }
  return headers;
}

function encodeString(value: string, prefixBits: number, flags: number): Uint8Array {
  const raw = encoder.encode(value);
  // Huffman only when it saves bytes, as encoders commonly do.
  if (huffmanEncodedLength(raw) < raw.byteLength) {
    const coded = huffmanEncode(raw);
    return concatBytes([writePrefixedInt(coded.byteLength, prefixBits, flags | (1 << prefixBits)), coded]);
  }
  return concatBytes([writePrefixedInt(raw.byteLength, prefixBits, flags), raw]);
}

/** Encodes field lines with static-table references where they match, literals otherwise. */
export function encodeFieldSection(headers: readonly (readonly [string, string])[]): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.of(0x00, 0x00)];
  for (const [name, value] of headers) {
    const exact = QPACK_STATIC_TABLE.findIndex(([n, v]) => n === name && v === value);
    if (exact >= 0) {
      parts.push(writePrefixedInt(exact, 6, 0xc0));
      continue;
    }
    const nameIndex = QPACK_STATIC_TABLE.findIndex(([n]) => n === name);
    if (nameIndex >= 0) {
      parts.push(writePrefixedInt(nameIndex, 4, 0x50), encodeString(value, 7, 0x00));
    } else {
      parts.push(encodeString(name, 3, 0x20), encodeString(value, 7, 0x00));
    }
  }
  return concatBytes(parts);
}
