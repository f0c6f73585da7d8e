/**
 * A streaming word/punctuation tokenizer for loop detection. Words are runs of letters
 * and digits (case-folded, hashed with 32-bit FNV-1a so memory stays fixed); every other
 * visible character is a one-character token; whitespace separates. A token is emitted
 * only once the character after it is seen (or at `end`), so the token stream does not
 * depend on chunking.
 */
/** Id of a one-character (punctuation) token. */
export function markId(ch: string): number {
  return ch.charCodeAt(0) | MARK_BIT;
}
const MARK_BIT = 0x40000000;

export interface TokenSink {
  /** One token (positional arguments: no allocation per token); `numeric`: a word led by a digit. */
  token(id: number, start: number, end: number, word: boolean, numeric: boolean): void;
  /** A sentence boundary: newline, whitespace after . ! ? …, a gap or the end. */
  boundary(offset: number): void;
}

// `| 0` keeps the hash a small integer: a field that flips between double and int boxes every write
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0x400 && c <= 0x4ff) || (c >= 0xc0 && c <= 0x24f);
}

function fold(c: number): number {
  if (c >= 65 && c <= 90) return c + 32;
  if (c >= 0x410 && c <= 0x42f) return c + 32;
  if (c === 0x401 || c === 0x451) return 0x435; // ё → е
  return c;
}

export class LoopTokenizer {
  private readonly sink: TokenSink;
  private hash = FNV_OFFSET;
  private wordStart = -1;
  private wordNumeric = false;
  private expected = 0;
  private lastVisible = 0;

  constructor(sink: TokenSink) {
    this.sink = sink;
  }

  feed(text: string, offset: number): void {
    if (offset !== this.expected) this.flush(this.expected); // a gap (swallowed block)
    for (let k = 0; k < text.length; k += 1) {
      const c = text.charCodeAt(k);
      const at = offset + k;
      if (isWordChar(c)) {
        if (this.wordStart < 0) {
          this.wordStart = at;
          this.wordNumeric = c >= 48 && c <= 57;
          this.hash = FNV_OFFSET;
        }
        this.hash = Math.imul(this.hash ^ fold(c), FNV_PRIME);
        continue;
      }
      this.endWord(at);
      if (c === 32 || c === 9 || c === 13 || c === 10) {
        const afterStop = this.lastVisible === 46 || this.lastVisible === 33 || this.lastVisible === 63 || this.lastVisible === 0x2026;
        if (c === 10 || afterStop) this.sink.boundary(at);
        this.lastVisible = 0;
        continue;
      }
      this.lastVisible = c;
      this.sink.token(c | MARK_BIT, at, at + 1, false, false);
    }
    this.expected = offset + text.length;
  }

  end(): void {
    this.flush(this.expected);
  }

  private flush(at: number): void {
    this.endWord(at);
    this.sink.boundary(at);
    this.lastVisible = 0;
  }

  private endWord(at: number): void {
    if (this.wordStart < 0) return;
    this.sink.token(this.hash & 0x3fffffff, this.wordStart, at, true, this.wordNumeric);
    this.wordStart = -1;
  }
}
