import type { Finding, FindingType, InspectResult } from './types.js';
import { compareFindings } from './types.js';

/**
 * A streaming scanner over regular-expression rules whose answer does not depend on how
 * the text was chunked. No library does streaming, chunk-invariant redaction, so this is
 * written here; the rules themselves are plain RegExps.
 *
 * Whole-text semantics: each rule scans the text left to right (RegExp leftmost matching,
 * `lastIndex` continuing after each match); `classify` turns a match into at most one span.
 * Redacting spans are chosen greedily (earliest start, then longest, then rule order), each
 * replaced by `[TYPE]`; other spans (e.g. TOXIC) are reported without changing the text.
 *
 * Streaming: a span starting before a frontier `lim` is final once every match that could
 * start before `lim` is complete and its right context is visible. That holds when
 *   - matches that may contain whitespace are at most SPACED_MAX_CHARS long, and
 *   - matches without whitespace end before the next whitespace, or are at most
 *     TOKEN_MAX_CHARS long,
 *   - rules and `classify` look at most CONTEXT_BEFORE_CHARS before a match and
 *     CONTEXT_AFTER_CHARS after it.
 * So each round commits everything before `lim` and keeps per-rule resume positions
 * exactly where the whole-text scan would be. Output and findings are then identical for
 * every chunking (the property test in test/introspection/text checks this).
 *
 * Held back: text is released up to `lim`, at most MIN_HOLD_CHARS + batchChars − 1 behind
 * the input end when the tail contains whitespace (all ordinary prose), and at most
 * TOKEN_MAX_CHARS + CONTEXT_AFTER_CHARS + batchChars when it does not; a redacted span
 * that crosses `lim` is released whole. Inside a block span (a PEM private key) nothing
 * is released but `[SECRET]`, and only the last BLOCK_TAIL_CHARS are kept.
 */

export const SPACED_MAX_CHARS = 80;
export const TOKEN_MAX_CHARS = 1024;
export const CONTEXT_BEFORE_CHARS = 64;
export const CONTEXT_AFTER_CHARS = 16;
export const MIN_HOLD_CHARS = SPACED_MAX_CHARS + CONTEXT_AFTER_CHARS;
/** A block span (private key) that never ends is closed after this many characters. */
export const BLOCK_MAX_CHARS = 16_384;
/** The closing line of a block is at most this long (see the PEM rule), so this much tail is kept. */
const BLOCK_TAIL_CHARS = 80;

export interface RuleSpan {
  readonly type: FindingType;
  /** Offsets relative to the scanned buffer (same frame as `match.index`). */
  readonly start: number;
  readonly end: number;
  readonly score: number;
  /** For a span that opens a block (PEM key): the pattern of its closing line. */
  readonly blockEnd?: RegExp;
}

export interface SpanRule {
  /** Must have the `g` flag and never match the empty string. */
  readonly pattern: RegExp;
  /** Redacting rules replace their spans in the output; others only report them. */
  readonly redact: boolean;
  /**
   * Strings of which every match contains at least one: when none occurs from the resume
   * position on, the rule is skipped (a pure speed-up, same answer).
   */
  readonly triggers?: readonly string[];
  /** Decide what a match is; `text` is the buffer, context is limited as stated above. */
  classify(text: string, match: RegExpExecArray): RuleSpan | null;
}

interface Candidate extends Finding {
  readonly rule: number;
  readonly blockEnd?: RegExp;
}

interface Block {
  readonly start: number;
  readonly score: number;
  readonly endPattern: RegExp;
  /** Absolute offset from which the closing line is searched. */
  searchFrom: number;
}

export interface SpanScannerOptions {
  /** Characters gathered past the frontier before a scan round (amortises rescans). Default 64. */
  readonly batchChars?: number;
  /** Receives each piece of original text as it is released (not text swallowed by a block). */
  readonly onRelease?: (original: string, start: number) => void;
}

export class SpanScanner {
  private readonly rules: readonly SpanRule[];
  private readonly batchChars: number;
  private readonly onRelease: ((original: string, start: number) => void) | undefined;
  private buf = '';
  /** Absolute offset of buf[0]. */
  private base = 0;
  private released = 0;
  private frontier = 0;
  private readonly resume: number[];
  private block: Block | null = null;
  private ended = false;

  constructor(rules: readonly SpanRule[], options: SpanScannerOptions = {}) {
    for (const r of rules) if (!r.pattern.global) throw new TypeError(`rule pattern ${r.pattern} needs the g flag`);
    this.rules = rules;
    this.batchChars = Math.max(1, options.batchChars ?? 64);
    this.onRelease = options.onRelease;
    this.resume = rules.map(() => 0);
  }

  /** Characters received but not yet released (the hold-back). */
  get heldBackChars(): number {
    return this.base + this.buf.length - this.released;
  }

  /** Original text in [from, to) of the buffered region. */
  private original(from: number, to: number): string {
    return this.buf.slice(from - this.base, to - this.base);
  }

  push(chunk: string): InspectResult {
    if (this.ended) throw new Error('SpanScanner: push after end');
    this.buf += chunk;
    const len = this.base + this.buf.length;
    if (this.block === null && len - this.frontier < MIN_HOLD_CHARS + this.batchChars) return EMPTY;
    return this.run(false);
  }

  end(): InspectResult {
    if (this.ended) return EMPTY;
    this.ended = true;
    return this.run(true);
  }

  private run(final: boolean): InspectResult {
    let output = '';
    const findings: Finding[] = [];
    for (;;) {
      if (this.block !== null) {
        if (!this.continueBlock(final, findings)) break;
        continue;
      }
      const lim = this.limit(final);
      if (lim <= this.frontier && !(final && this.released < this.base + this.buf.length)) break;
      output += this.round(Math.max(lim, this.frontier), findings);
      if (this.block === null) break;
    }
    this.trim();
    if (findings.length > 1) findings.sort(compareFindings);
    return findings.length === 0 && output === '' ? EMPTY : { output, findings };
  }

  /** The frontier: every match starting before it is complete with its right context. */
  private limit(final: boolean): number {
    const len = this.base + this.buf.length;
    if (final) return len;
    // last whitespace that has CONTEXT_AFTER_CHARS visible after it
    let ws = -1;
    const stop = Math.max(0, this.frontier - this.base);
    for (let i = this.buf.length - 1 - CONTEXT_AFTER_CHARS; i >= stop; i -= 1) {
      const c = this.buf.charCodeAt(i);
      if (c === 32 || c === 10 || c === 9 || c === 13) {
        ws = this.base + i;
        break;
      }
    }
    const noSpaceBound = Math.max(ws, len - TOKEN_MAX_CHARS - CONTEXT_AFTER_CHARS);
    return Math.max(this.frontier, Math.min(len - MIN_HOLD_CHARS, noSpaceBound));
  }

  /** One scan round up to `lim`; returns the output released. */
  private round(lim: number, findings: Finding[]): string {
    const redacting: Candidate[] = [];
    const reporting: Candidate[] = [];
    for (let i = 0; i < this.rules.length; i += 1) {
      const rule = this.rules[i];
      if (rule === undefined) continue;
      const from = (this.resume[i] ?? 0) - this.base;
      if (rule.triggers !== undefined && !rule.triggers.some((t) => this.buf.includes(t, from))) {
        this.resume[i] = Math.max(lim, this.resume[i] ?? 0);
        continue;
      }
      const re = rule.pattern;
      re.lastIndex = from;
      let next = lim;
      for (let m = re.exec(this.buf); m !== null; m = re.exec(this.buf)) {
        const start = this.base + m.index;
        if (start >= lim) break;
        const span = rule.classify(this.buf, m);
        if (span !== null && this.base + span.start >= lim) {
          next = start; // decided again next round, from the same position
          break;
        }
        if (span !== null) {
          const c: Candidate = {
            type: span.type, start: this.base + span.start, end: this.base + span.end, score: span.score, rule: i,
            ...(span.blockEnd ? { blockEnd: span.blockEnd } : {}),
          };
          (rule.redact ? redacting : reporting).push(c);
        }
        next = Math.max(lim, this.base + re.lastIndex);
      }
      this.resume[i] = next;
    }
    redacting.sort((a, b) => a.start - b.start || b.end - a.end || a.rule - b.rule);
    let out = '';
    const from = this.released;
    let pos = from;
    let cut = lim;
    for (const c of redacting) {
      if (c.start < pos) continue;
      out += this.original(pos, c.start) + `[${c.type}]`;
      pos = c.end;
      if (c.blockEnd) {
        this.block = { start: c.start, score: c.score, endPattern: c.blockEnd, searchFrom: c.end };
        cut = c.start;
        break;
      }
      findings.push({ type: c.type, start: c.start, end: c.end, score: c.score });
    }
    for (const c of reporting) if (c.start < cut) findings.push({ type: c.type, start: c.start, end: c.end, score: c.score });
    if (this.block === null) {
      const to = Math.max(lim, pos);
      out += this.original(pos, to);
      this.released = to;
      this.frontier = lim;
    } else {
      this.released = pos;
    }
    // original text before a block's header is released; the block itself never is
    const originalTo = this.block === null ? this.released : this.block.start;
    if (this.onRelease !== undefined && originalTo > from) this.onRelease(this.original(from, originalTo), from);
    return out;
  }

  /** Swallows a block span until its closing line; returns true when the block closed. */
  private continueBlock(final: boolean, findings: Finding[]): boolean {
    const block = this.block;
    if (block === null) return false;
    const len = this.base + this.buf.length;
    const re = block.endPattern;
    re.lastIndex = Math.max(block.searchFrom - BLOCK_TAIL_CHARS, this.base, this.released) - this.base;
    const m = re.exec(this.buf);
    const cap = block.start + BLOCK_MAX_CHARS;
    let end: number | null = null;
    if (m !== null && this.base + m.index + m[0].length <= cap) end = this.base + m.index + m[0].length;
    else if (len >= cap) end = cap;
    else if (final) end = len;
    if (end === null) {
      block.searchFrom = len;
      this.released = Math.max(this.released, len - BLOCK_TAIL_CHARS);
      return false;
    }
    findings.push({ type: 'SECRET', start: block.start, end, score: block.score });
    this.block = null;
    this.released = end;
    this.frontier = end;
    this.resume.fill(end);
    return true;
  }

  /** Drops buffered text no rule can look at again. */
  private trim(): void {
    let keep = this.released;
    // inside a block the rules' resume positions are stale: they restart at its end
    if (this.block === null) for (const r of this.resume) keep = Math.min(keep, r);
    keep -= CONTEXT_BEFORE_CHARS;
    if (keep - this.base > 4096 || (keep - this.base > 0 && keep - this.base > this.buf.length / 2)) {
      this.buf = this.buf.slice(keep - this.base);
      this.base = keep;
    }
  }
}

const EMPTY: InspectResult = Object.freeze({ output: '', findings: Object.freeze([]) as readonly Finding[] });
