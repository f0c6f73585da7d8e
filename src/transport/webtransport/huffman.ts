import { H3, H3Error } from './errors.js';
import { HUFFMAN_CODES } from './huffman-table.js';

/**
 * Huffman coding of header strings (RFC 7541 §5.2, used by QPACK per RFC 9204 §4.1.2).
 * Written by hand: the table is 257 entries and no installable package offers QPACK.
 */

const EOS = 256;
const BITS = 2 ** 30;
/** (bit length * 2^30 + code) → symbol; codes are at most 30 bits long. */
const DECODE = new Map<number, number>(HUFFMAN_CODES.map(([code, bits], symbol) => [bits * BITS + code, symbol]));

function fail(message: string): never {
  throw new H3Error(H3.QPACK_DECOMPRESSION_FAILED, 'connection', `Huffman: ${message}`);
}

export function huffmanDecode(input: Uint8Array): Uint8Array {
  const out: number[] = [];
  let code = 0;
  let bits = 0;
  for (const byte of input) {
    for (let shift = 7; shift >= 0; shift--) {
      code = code * 2 + ((byte >>> shift) & 1);
      bits++;
      const symbol = DECODE.get(bits * BITS + code);
      if (symbol !== undefined) {
        // RFC 7541 §5.2: a string containing EOS is a decoding error.
        if (symbol === EOS) fail('EOS in string');
        out.push(symbol);
        code = 0;
        bits = 0;
      } else if (bits > 30) {
        fail('invalid code');
      }
    }
  }
  // RFC 7541 §5.2: padding is the most significant bits of EOS (all ones), shorter than 8 bits.
  if (bits > 7) fail('padding longer than 7 bits');
  if (code !== 2 ** bits - 1) fail('padding is not EOS prefix');
  return Uint8Array.from(out);
}

export function huffmanEncodedLength(input: Uint8Array): number {
  let bits = 0;
  for (const byte of input) bits += (HUFFMAN_CODES[byte] as readonly [number, number])[1];
  return Math.ceil(bits / 8);
}

export function huffmanEncode(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(huffmanEncodedLength(input));
  let offset = 0;
  let acc = 0;
  let accBits = 0;
  for (const byte of input) {
    const [code, bits] = HUFFMAN_CODES[byte] as readonly [number, number];
    for (let i = bits - 1; i >= 0; i--) {
      acc = (acc << 1) | (Math.floor(code / 2 ** i) & 1);
      if (++accBits === 8) {
        out[offset++] = acc;
        acc = 0;
        accBits = 0;
      }
    }
  }
  // Pad with the high bits of EOS, i.e. ones.
  if (accBits > 0) out[offset] = (acc << (8 - accBits)) | (0xff >>> accBits);
  return out;
}
