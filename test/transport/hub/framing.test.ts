import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FrameDecoder, FramingError, frameJson, LENGTH_PREFIX_BYTES } from '../../../src/transport/framing.js';

describe('length-prefixed JSON framing', () => {
  it('writes a 4-byte big-endian length then UTF-8', () => {
    const bytes = frameJson('{"a":"é"}');
    expect([...bytes.subarray(0, 4)]).toEqual([0, 0, 0, 10]);
    expect(new TextDecoder().decode(bytes.subarray(4))).toBe('{"a":"é"}');
  });

  it('decodes messages split at every possible boundary', () => {
    fc.assert(fc.property(
      fc.array(fc.json(), { minLength: 1, maxLength: 8 }),
      fc.array(fc.nat(), { maxLength: 10 }),
      (texts, cuts) => {
        const all = concat(texts.map(frameJson));
        const points = [...new Set(cuts.map((c) => c % (all.byteLength + 1)))].sort((a, b) => a - b);
        const dec = new FrameDecoder();
        const out: string[] = [];
        let at = 0;
        for (const p of [...points, all.byteLength]) {
          out.push(...dec.push(all.subarray(at, p)));
          at = p;
        }
        expect(out).toEqual(texts);
        expect(dec.pending).toBe(0);
      },
    ));
  });

  it('keeps a truncated message pending', () => {
    const dec = new FrameDecoder();
    const bytes = frameJson('{"x":1}');
    expect(dec.push(bytes.subarray(0, bytes.byteLength - 1))).toEqual([]);
    expect(dec.pending).toBe(bytes.byteLength - 1);
  });

  it('rejects an oversized length prefix', () => {
    const dec = new FrameDecoder(100);
    expect(() => dec.push(new Uint8Array([0, 0, 0, 101]))).toThrow(FramingError);
  });

  it('rejects invalid UTF-8', () => {
    const dec = new FrameDecoder();
    expect(() => dec.push(new Uint8Array([0, 0, 0, 2, 0xc3, 0x28]))).toThrow(/UTF-8/);
  });

  it('has a 4-byte prefix', () => {
    expect(LENGTH_PREFIX_BYTES).toBe(4);
  });
});

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
