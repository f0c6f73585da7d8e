/**
 * Undoes the usual disguises of abusive words before the lexicon is consulted: case,
 * separators between letters (f.u.c.k, х у й), leetspeak (f4ck, 6лядь, 3аебал), Latin
 * look-alike letters inside Russian words (xyй) and stretched letters (fuuuck).
 */

const CYRILLIC = /[а-яё]/;
/** Latin letters and digits that stand for Cyrillic ones in disguised Russian. */
const TO_CYRILLIC: Readonly<Record<string, string>> = {
  a: 'а', b: 'в', c: 'с', e: 'е', h: 'н', k: 'к', m: 'м', o: 'о', p: 'р', t: 'т', x: 'х', y: 'у', u: 'и',
  '0': 'о', '3': 'з', '4': 'ч', '6': 'б', '@': 'а', $: 'с', ё: 'е',
};
const TO_LATIN: Readonly<Record<string, string>> = {
  '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i', '|': 'l',
};

export interface NormalizedWord {
  /** Lower-cased, de-leeted, separators removed. */
  readonly plain: string;
  /** `plain` with every run of a repeated letter collapsed to one. */
  readonly collapsed: string;
  readonly cyrillic: boolean;
  /** The word was visibly disguised (separators, leetspeak, mixed scripts, masking). */
  readonly disguised: boolean;
}

export function normalizeWord(raw: string): NormalizedWord {
  const lower = raw.toLowerCase();
  const cyrillic = CYRILLIC.test(lower);
  const map = cyrillic ? TO_CYRILLIC : TO_LATIN;
  let plain = '';
  let disguised = false;
  for (const ch of lower) {
    if (ch === ' ' || ch === '.' || ch === '-' || ch === '_') {
      disguised = true;
      continue;
    }
    const mapped = map[ch];
    if (mapped !== undefined) {
      if (ch !== 'ё') disguised = true;
      plain += mapped;
    } else {
      plain += ch;
    }
  }
  if (plain.includes('*')) disguised = true;
  let collapsed = '';
  for (const ch of plain) if (collapsed[collapsed.length - 1] !== ch) collapsed += ch;
  return { plain, collapsed, cyrillic, disguised };
}
