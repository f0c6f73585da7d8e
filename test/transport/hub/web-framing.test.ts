import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { frameJson } from '../../../src/transport/framing.js';
import { FrameDecoder as BrowserFrameDecoder } from '../../../web/src/client/framing.js';

// The browser client keeps its own copy of the decoder (its build cannot import src/);
// this pins it to the server's encoder.
describe('browser frame decoder', () => {
  it('decodes what the server frames, split anywhere', () => {
    fc.assert(fc.property(fc.array(fc.json(), { minLength: 1, maxLength: 6 }), fc.nat(), (texts, cut) => {
      const parts = texts.map(frameJson);
      const all = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
      let at = 0;
      for (const p of parts) {
        all.set(p, at);
        at += p.byteLength;
      }
      const c = cut % (all.byteLength + 1);
      const dec = new BrowserFrameDecoder();
      expect([...dec.push(all.subarray(0, c)), ...dec.push(all.subarray(c))]).toEqual(texts);
    }));
  });

  it('rejects an oversized prefix', () => {
    expect(() => new BrowserFrameDecoder().push(new Uint8Array([0xff, 0, 0, 0]))).toThrow(/exceeds/);
  });
});
