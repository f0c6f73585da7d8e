import type { Finding } from '../types.js';
import type { ModerationClient } from './moderation.js';

/**
 * Sends completed sentences to a moderation client in the background and reports flagged
 * ones as late TOXIC findings. `feed` never waits: requests run at most `concurrency` at a
 * time and at most `maxQueued` sentences wait; beyond that a sentence is not moderated and
 * counted in `skipped` (nothing is dropped silently). Sentences are sent with PII already
 * replaced by `[TYPE]`, so no personal data leaves the gateway.
 */
export interface SentenceModeratorOptions {
  readonly client: ModerationClient;
  readonly onFinding: (finding: Finding) => void;
  readonly onError?: (err: unknown) => void;
  readonly concurrency?: number;
  readonly maxQueued?: number;
  /** A sentence longer than this is sent as it stands. Default 2000. */
  readonly maxSentenceChars?: number;
}

interface Pending {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export class SentenceModerator {
  private readonly opts: SentenceModeratorOptions;
  private readonly queue: Pending[] = [];
  private readonly abort = new AbortController();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  /** Redacted text of the sentence being assembled, and its original start offset. */
  private sentence = '';
  private sentenceStart = -1;
  private expected = 0;
  private lastVisible = '';
  sent = 0;
  flagged = 0;
  skipped = 0;
  failed = 0;

  constructor(options: SentenceModeratorOptions) {
    this.opts = options;
  }

  /**
   * Next piece of original text at `offset`, with the redacting findings inside it
   * (sorted, non-overlapping), so the moderator sees `[TYPE]` in their place.
   */
  feed(original: string, offset: number, redactions: readonly Finding[]): void {
    if (offset !== this.expected) this.complete(this.expected);
    let k = 0;
    let r = 0;
    while (k < original.length) {
      const at = offset + k;
      const red = redactions[r];
      if (red !== undefined && red.start <= at) {
        this.append(`[${red.type}]`, at);
        k = Math.max(k + 1, red.end - offset);
        r += 1;
        this.lastVisible = ']';
        continue;
      }
      const ch = original[k] ?? '';
      const space = ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r';
      if (space && (ch === '\n' || /[.!?…]/.test(this.lastVisible))) {
        this.complete(at);
      } else {
        this.append(ch, at);
        if (!space) this.lastVisible = ch;
      }
      if (this.sentence.length >= (this.opts.maxSentenceChars ?? 2000)) this.complete(at + 1);
      k += 1;
    }
    this.expected = offset + original.length;
  }

  /** Flushes the last sentence. */
  end(): void {
    this.complete(this.expected);
  }

  /** Resolves when every queued request has settled. */
  settled(): Promise<void> {
    if (this.inFlight === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels requests in flight; later results are ignored. */
  close(): void {
    this.abort.abort();
    this.queue.length = 0;
  }

  private append(text: string, at: number): void {
    if (this.sentenceStart < 0) {
      if (text.trim() === '') return;
      this.sentenceStart = at;
    }
    this.sentence += text;
  }

  private complete(end: number): void {
    const text = this.sentence.trim();
    const start = this.sentenceStart;
    this.sentence = '';
    this.sentenceStart = -1;
    this.lastVisible = '';
    if (text === '' || start < 0 || this.abort.signal.aborted) return;
    if (this.queue.length >= (this.opts.maxQueued ?? 64)) {
      this.skipped += 1;
      return;
    }
    this.queue.push({ text, start, end });
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < (this.opts.concurrency ?? 2) && this.queue.length > 0) {
      const job = this.queue.shift();
      if (job === undefined) break;
      this.inFlight += 1;
      this.sent += 1;
      this.opts.client.moderate(job.text, this.abort.signal).then(
        (verdict) => {
          if (verdict.flagged && !this.abort.signal.aborted) {
            this.flagged += 1;
            this.opts.onFinding({ type: 'TOXIC', start: job.start, end: job.end, score: verdict.score });
          }
        },
        (err: unknown) => {
          this.failed += 1;
          if (!this.abort.signal.aborted) this.opts.onError?.(err);
        },
      ).finally(() => {
        this.inFlight -= 1;
        this.pump();
        if (this.inFlight === 0 && this.queue.length === 0) for (const w of this.idleWaiters.splice(0)) w();
      });
    }
  }
}
