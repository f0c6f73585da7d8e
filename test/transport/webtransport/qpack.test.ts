import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { H3 } from '../../../src/transport/webtransport/errors.js';
import { huffmanDecode, huffmanEncode } from '../../../src/transport/webtransport/huffman.js';
import { decodeFieldSection, encodeFieldSection } from '../../../src/transport/webtransport/qpack.js';
import { QPACK_STATIC_TABLE } from '../../../src/transport/webtransport/qpack-static-table.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const ascii = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('Huffman code (RFC 7541 §5.2, vectors from Appendix C.4 and C.6)', () => {
  const vectors: [string, string][] = [
    ['www.example.com', 'f1e3 c2e5 f23a 6ba0 ab90 f4ff'],
    ['no-cache', 'a8eb 1064 9cbf'],
    ['custom-key', '25a8 49e9 5ba9 7d7f'],
    ['custom-value', '25a8 49e9 5bb8 e8b4 bf'],
    ['302', '6402'],
    ['private', 'aec3 771a 4b'],
    ['Mon, 21 Oct 2013 20:13:21 GMT', 'd07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff'],
    ['https://www.example.com', '9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3'],
    ['307', '640e ff'],
    ['gzip', '9bd9 ab'],
    ['foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1', '94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07'],
  ];
  it.each(vectors)('%s', (plain, coded) => {
    expect(text(huffmanDecode(hex(coded)))).toBe(plain);
    expect(toHex(huffmanEncode(ascii(plain)))).toBe(coded.replace(/\s+/g, ''));
  });

  it('round-trips any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => toHex(huffmanDecode(huffmanEncode(bytes))) === toHex(bytes)));
  });

  it('rejects padding longer than 7 bits, padding that is not ones, and EOS inside the string', () => {
    const decodeError = (bytes: Uint8Array) => {
      try {
        huffmanDecode(bytes);
      } catch (e) {
        return (e as { code?: number }).code;
      }
      return 'decoded';
    };
    expect(decodeError(hex('f1e3 c2e5 f23a 6ba0 ab90 f4ff ff'))).toBe(H3.QPACK_DECOMPRESSION_FAILED); // 8+ bits of padding
    expect(decodeError(hex('1c'))).toBe(H3.QPACK_DECOMPRESSION_FAILED); // 'a' (00011) then 100: not EOS prefix
    expect(decodeError(hex('ffff ffff'))).toBe(H3.QPACK_DECOMPRESSION_FAILED); // EOS (30 ones)
  });
});

describe('QPACK field sections with the static table (RFC 9204)', () => {
  it('has the 99 entries of Appendix A', () => {
    expect(QPACK_STATIC_TABLE).toHaveLength(99);
    expect(QPACK_STATIC_TABLE[0]).toEqual([':authority', '']);
    expect(QPACK_STATIC_TABLE[15]).toEqual([':method', 'CONNECT']);
    expect(QPACK_STATIC_TABLE[25]).toEqual([':status', '200']);
    expect(QPACK_STATIC_TABLE[98]).toEqual(['x-frame-options', 'sameorigin']);
  });

  it('decodes Appendix B.1: literal field line with a static name reference', () => {
    expect(decodeFieldSection(hex('0000 510b 2f69 6e64 6578 2e68 746d 6c'))).toEqual([[':path', '/index.html']]);
  });

  it('refuses the dynamic-table examples of Appendix B.2–B.4 (capacity 0) with QPACK_DECOMPRESSION_FAILED', () => {
    for (const section of ['0381 10 11', '0500 80 c1 81', '0501 81']) {
      expect(() => decodeFieldSection(hex(section))).toThrow(expect.objectContaining({ code: H3.QPACK_DECOMPRESSION_FAILED }));
    }
    // Required Insert Count 0 but a dynamic indexed line (T=0), and a post-base literal.
    expect(() => decodeFieldSection(hex('0000 80'))).toThrow(expect.objectContaining({ code: H3.QPACK_DECOMPRESSION_FAILED }));
    expect(() => decodeFieldSection(hex('0000 0000'))).toThrow(expect.objectContaining({ code: H3.QPACK_DECOMPRESSION_FAILED }));
  });

  it('decodes a draft-02 CONNECT as Chromium sends it (Huffman-coded literal names and values)', () => {
    const section = encodeFieldSection([
      [':method', 'CONNECT'],
      [':protocol', 'webtransport'],
      [':scheme', 'https'],
      [':authority', '127.0.0.1:4433'],
      [':path', '/streams/cam1/analysis?since=text:4'],
      ['sec-webtransport-http3-draft02', '1'],
      ['origin', 'http://127.0.0.1:8080'],
    ]);
    // :method CONNECT and :scheme https are static indices 15 and 23.
    expect(toHex(section.subarray(0, 3))).toBe('0000cf');
    expect(decodeFieldSection(section)).toEqual([
      [':method', 'CONNECT'],
      [':protocol', 'webtransport'],
      [':scheme', 'https'],
      [':authority', '127.0.0.1:4433'],
      [':path', '/streams/cam1/analysis?since=text:4'],
      ['sec-webtransport-http3-draft02', '1'],
      ['origin', 'http://127.0.0.1:8080'],
    ]);
  });

  it('encodes :status 200 as 00 00 d9', () => {
    expect(toHex(encodeFieldSection([[':status', '200']]))).toBe('0000d9');
    expect(decodeFieldSection(hex('0000 d9'))).toEqual([[':status', '200']]);
  });

  it('round-trips arbitrary header lists', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.string({ maxLength: 80 }))), (headers) => {
        return JSON.stringify(decodeFieldSection(encodeFieldSection(headers))) === JSON.stringify(headers);
      }),
    );
  });

  it('rejects truncated and out-of-range input', () => {
    for (const section of ['', '00', '0000 51', '0000 510b 2f69', '0000 ff7f', '0000 2f', '0000 ffffffffff0f']) {
      expect(() => decodeFieldSection(hex(section))).toThrow(expect.objectContaining({ code: H3.QPACK_DECOMPRESSION_FAILED }));
    }
  });
});
