import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CONTEXT_AFTER_CHARS, inspectText, MIN_HOLD_CHARS, TextInspector, TOKEN_MAX_CHARS } from '../../../src/introspection/text/index.js';
import { gen } from './fixtures/pii-set.js';
import { Rng } from './fixtures/rng.js';

/** Pieces that exercise every rule, their look-alikes and the places where chunk cuts hurt. */
const piece = fc.oneof(
  fc.integer().map((seed) => {
    const r = new Rng(seed);
    return r.pick(Object.values(gen))(r);
  }),
  fc.constantFrom(
    ' ', '\n', '\n\n', '. ', ', ', 'order ', 'паспорт ', 'ИНН ', 'SSN ', 'card ', 'тел. ', 'version ', 'password: ', 'key=',
    'f u c k', 'х.у.й', 'сука', '6лядь', 'тебе', 'небо', 'the the the the ', 'Again and again. ', '| a | b |\n',
    '2024-03-12', 'v1.2.3', '#4111111111111111', '+', '(', '-', '@', 'eyJ', '-----BEGIN ', 'PRIVATE KEY-----', '-----END PRIVATE KEY-----',
    '😀', 'é', '\u00a0',
    // runs without whitespace near and beyond TOKEN_MAX_CHARS
    'z'.repeat(1030), `eyJ${'a'.repeat(300)}.eyJ${'b'.repeat(300)}.${'c'.repeat(300)}`,
  ),
  fc.string({ maxLength: 12 }),
  fc.stringMatching(/^[-0-9 .()+]{1,20}$/),
);

function cut(text: string, points: readonly number[]): string[] {
  const at = [...new Set(points.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let prev = 0;
  for (const p of at) {
    chunks.push(text.slice(prev, p));
    prev = p;
  }
  chunks.push(text.slice(prev));
  return chunks;
}

describe('chunk invariance', () => {
  it('gives byte-identical output and findings for any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 20, maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 300 }),
        fc.constantFrom(1, 5, 64),
        (pieces, points, batchChars) => {
          const text = pieces.join('');
          // small batches make a scan round happen on almost every chunk
          expect(inspectText(cut(text, points), { batchChars })).toEqual(inspectText(text));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('holds back a bounded number of characters', () => {
    const batch = 64;
    const bound = Math.max(MIN_HOLD_CHARS + batch - 1, TOKEN_MAX_CHARS + CONTEXT_AFTER_CHARS);
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80 }), fc.array(fc.nat(), { maxLength: 80 }), (pieces, points) => {
        const inspector = new TextInspector({ batchChars: batch });
        for (const c of cut(pieces.join(''), points)) {
          inspector.push(c);
          expect(inspector.heldBackChars).toBeLessThanOrEqual(bound);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('holds back at most MIN_HOLD_CHARS + batch - 1 characters of prose, one character at a time', () => {
    const r = new Rng(3);
    const words = ['alpha', 'бета', 'gamma,', 'delta.', 'card', '4111', 'x@y.io', 'ok'];
    let text = '';
    while (text.length < 5000) text += `${r.pick(words)} `;
    const inspector = new TextInspector({ batchChars: 64 });
    let max = 0;
    for (const ch of text) {
      inspector.push(ch);
      max = Math.max(max, inspector.heldBackChars);
    }
    expect(max).toBeLessThanOrEqual(MIN_HOLD_CHARS + 64 - 1);
    expect(max).toBeGreaterThan(0);
  });
});
