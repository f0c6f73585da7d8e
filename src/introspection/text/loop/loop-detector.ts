import { editDistance } from '../../../temporal/index.js';
import type { Finding } from '../types.js';
import { PeriodicRuns } from './periodic-runs.js';
import { LoopTokenizer, markId, type TokenSink } from './tokens.js';

/**
 * LOOP: generated text that has fallen into repeating itself. Two views of the same stream:
 *
 * 1. Exact: word and punctuation tokens; a unit of up to MAX_UNIT_TOKENS tokens seen three
 *    times in a row (PeriodicRuns) is a loop, reported at the end of its third copy, provided
 *    the unit has a word in it (table rules like `|---|---|` are not) and the repeated stretch
 *    spans MIN_LOOP_CHARS (so "no, no, no" in dialogue is not; a one-word unit is caught by
 *    its fourth or fifth copy).
 * 2. Near-duplicate: sentences as sequences of word ids; a unit of up to MAX_UNIT_SENTENCES
 *    sentences whose next two copies each differ by at most 20 % of the tokens (the temporal
 *    engine's banded edit distance) is a loop, if the unit has at least MIN_FUZZY_TOKENS words.
 *    List items (lines led by - * • | # > or "12." / "3)") are never near-duplicates of each
 *    other: changelogs and lists share a template by design. Together with the size floor
 *    this keeps healthy templated text from counting; an exact repeat is still caught by 1.
 *
 * The finding's `start` is where the first copy begins; `end` is where the loop was
 * recognised. One finding per loop: a loop that keeps going is not reported again.
 */
export const MAX_UNIT_TOKENS = 64;
export const MAX_UNIT_SENTENCES = 6;
export const MIN_LOOP_CHARS = 16;
export const MIN_FUZZY_TOKENS = 12;
const FUZZY_RATIO = 0.2;
const COPIES = 3;

interface Sentence {
  readonly ids: Int32Array;
  readonly start: number;
  readonly listItem: boolean;
}

const LIST_MARKS = new Set(['-', '*', '•', '|', '#', '>', '+', '–', '—'].map(markId));
const NUMBER_MARKS = new Set(['.', ')'].map(markId));

export class LoopDetector implements TokenSink {
  private readonly tokenizer = new LoopTokenizer(this);
  private readonly exact = new PeriodicRuns(MAX_UNIT_TOKENS);
  private readonly ring = MAX_UNIT_TOKENS * COPIES + 1;
  private readonly starts = new Float64Array(this.ring);
  private readonly words = new Uint8Array(this.ring);
  private exactPeriod = 0;
  private readonly sentences: Sentence[] = [];
  private readonly fuzzyRuns = new Int32Array(MAX_UNIT_SENTENCES + 1);
  private fuzzyPeriod = 0;
  private current: number[] = [];
  private currentStart = -1;
  /** Tokens seen in the current sentence (0, 1, 2+) and whether it reads as a list item. */
  private sentenceTokens = 0;
  private listItem = false;
  private firstNumeric = false;
  /** End of the last stretch already reported, so one loop yields one finding. */
  private reportedUntil = 0;
  private out: Finding[] = [];

  /** Feeds the next piece of text, which starts at absolute offset `offset`. */
  feed(text: string, offset: number): Finding[] {
    this.tokenizer.feed(text, offset);
    return this.take();
  }

  end(): Finding[] {
    this.tokenizer.end();
    return this.take();
  }

  token(id: number, start: number, end: number, word: boolean, numeric: boolean): void {
    const i = this.exact.length;
    this.starts[i % this.ring] = start;
    this.words[i % this.ring] = word ? 1 : 0;
    const p = this.exact.push(id, COPIES);
    if (this.exactPeriod > 0 && this.exact.run(this.exactPeriod) === 0) this.exactPeriod = 0;
    if (this.exactPeriod > 0) this.reportedUntil = end;
    else if (p > 0) this.checkExact(i, p, end);
    if (this.sentenceTokens === 0) {
      this.listItem = !word && LIST_MARKS.has(id);
      this.firstNumeric = numeric;
    } else if (this.sentenceTokens === 1 && this.firstNumeric && NUMBER_MARKS.has(id)) {
      this.listItem = true;
    }
    this.sentenceTokens += 1;
    if (word) {
      if (this.current.length === 0) this.currentStart = start;
      this.current.push(id);
    }
  }

  boundary(end: number): void {
    this.sentenceTokens = 0;
    if (this.current.length === 0) return;
    const sentence: Sentence = { ids: Int32Array.from(this.current), start: this.currentStart, listItem: this.listItem };
    this.current = [];
    this.sentences.push(sentence);
    if (this.sentences.length > MAX_UNIT_SENTENCES * COPIES) this.sentences.shift();
    const n = this.sentences.length;
    let found = 0;
    for (let m = 1; m <= MAX_UNIT_SENTENCES; m += 1) {
      const other = this.sentences[n - 1 - m];
      const r = other !== undefined && !sentence.listItem && !other.listItem && similar(sentence.ids, other.ids) ? (this.fuzzyRuns[m] ?? 0) + 1 : 0;
      this.fuzzyRuns[m] = r;
      if (found === 0 && r >= (COPIES - 1) * m) found = m;
    }
    if (this.fuzzyPeriod > 0 && (this.fuzzyRuns[this.fuzzyPeriod] ?? 0) === 0) this.fuzzyPeriod = 0;
    if (this.fuzzyPeriod > 0) {
      this.reportedUntil = Math.max(this.reportedUntil, end);
      return;
    }
    if (found === 0) return;
    const run = this.fuzzyRuns[found] ?? 0;
    const first = this.sentences[n - run - found];
    let unitTokens = 0;
    for (let k = n - found; k < n; k += 1) unitTokens += this.sentences[k]?.ids.length ?? 0;
    if (first === undefined || unitTokens < MIN_FUZZY_TOKENS || first.start < this.reportedUntil) return;
    this.fuzzyPeriod = found;
    this.report(first.start, end, 0.85);
  }

  private checkExact(i: number, p: number, end: number): void {
    const run = this.exact.run(p);
    let firstIndex = Math.max(i - run - p + 1, i - this.ring + 1);
    // a stretch that begins on punctuation began in the previous sentence: start at the unit's first word
    for (let k = 0; k < p && this.words[firstIndex % this.ring] === 0; k += 1) firstIndex += 1;
    const start = this.starts[firstIndex % this.ring] ?? 0;
    if (end - start < MIN_LOOP_CHARS || start < this.reportedUntil) return;
    let hasWord = false;
    for (let k = i - p + 1; k <= i && !hasWord; k += 1) hasWord = this.words[k % this.ring] === 1;
    if (!hasWord) return;
    this.exactPeriod = p;
    this.report(start, end, 0.95);
  }

  private report(start: number, end: number, score: number): void {
    this.out.push({ type: 'LOOP', start, end, score });
    this.reportedUntil = end;
  }

  private take(): Finding[] {
    if (this.out.length === 0) return [];
    const found = this.out;
    this.out = [];
    return found;
  }
}

function similar(a: Int32Array, b: Int32Array): boolean {
  const longest = Math.max(a.length, b.length);
  const k = Math.floor(longest * FUZZY_RATIO);
  if (Math.abs(a.length - b.length) > k) return false;
  return editDistance(a, b, k) <= k;
}
