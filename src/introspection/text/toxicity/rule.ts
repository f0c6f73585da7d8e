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
export const toxicityRule: SpanRule = {
  pattern: new RegExp(`(?<![${W}])(?:[${W}]{2,40}|(?:[${L}][ .\\-_*]){2,12}[${L}])(?![${W}])`, 'g'),
  redact: false,
  classify(_text, m) {
    const raw = m[0];
    // plain numbers and masking runs are never words
    if (!/[A-Za-zА-Яа-яЁё]/.test(raw)) return null;
    const score = severity(normalizeWord(raw));
    return score > 0 ? { type: 'TOXIC', start: m.index, end: m.index + raw.length, score } : null;
  },
};
