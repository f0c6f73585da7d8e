import type { SpanRule } from '../span-scanner.js';
import { severity } from './lexicon.js';
import { normalizeWord } from './normalize.js';

/**
 * TOXIC as a reporting (non-redacting) rule of the span scanner, so it inherits the
 * scanner's chunk invariance. A candidate is a word of letters, digits and masking
 * characters (@ $ * !), or single letters spaced out by separators ("f u c k", "х.у.й").
 */
const L = 'A-Za-zА-Яа-яЁё';
const W = `${L}0-9@$*`;

/**
 * Words repeat (Zipf), so severities are memoised: a pure function of the word, so the
 * cache changes nothing but speed. Bounded: cleared when full.
 */
const CACHE_MAX = 8192;
const cache = new Map<string, number>();

function wordSeverity(raw: string): number {
  let score = cache.get(raw);
  if (score === undefined) {
    score = /[A-Za-zА-Яа-яЁё]/.test(raw) ? severity(normalizeWord(raw)) : 0; // numbers and masks are never words
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(raw, score);
  }
  return score;
}

export const toxicityRule: SpanRule = {
  pattern: new RegExp(`(?<![${W}])(?:[${W}]{2,40}|(?:[${L}][ .\\-_*]){2,12}[${L}])(?![${W}])`, 'g'),
  redact: false,
  classify(_text, m) {
    const raw = m[0];
    const score = wordSeverity(raw);
    return score > 0 ? { type: 'TOXIC', start: m.index, end: m.index + raw.length, score } : null;
  },
};
