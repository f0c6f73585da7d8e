import { LoopDetector } from './loop/loop-detector.js';
import { createRedactor } from './pii/redactor.js';
import type { SpanScanner } from './span-scanner.js';
import { SentenceModerator } from './toxicity/sentence-moderator.js';
import type { ModerationClient } from './toxicity/moderation.js';
import type { Finding, InspectResult } from './types.js';
import { compareFindings, PII_TYPES } from './types.js';

export interface TextInspectorOptions {
  /** Lexicon TOXIC findings (default true). */
  readonly toxicity?: boolean;
  /** LOOP findings (default true). */
  readonly loops?: boolean;
  /** See SpanScannerOptions.batchChars. */
  readonly batchChars?: number;
  /**
   * Optional moderation of completed sentences (e.g. `openAIModeration(new OpenAI())` when
   * OPENAI_API_KEY is set). Its TOXIC findings arrive later through `onLateFinding`.
   */
  readonly moderation?: ModerationClient;
  readonly onLateFinding?: (finding: Finding) => void;
  readonly onModerationError?: (err: unknown) => void;
}

const PII = new Set<string>(PII_TYPES);

/**
 * All text detectors over one item's text (a transcript or a response), fed in chunks.
 * `push` returns the next piece of redacted output and the findings decided so far; `end`
 * flushes. Output and the findings (in canonical order, see compareFindings) are the same
 * whatever the chunking. The hold-back bound is the redactor's (span-scanner.ts): at most
 * MIN_HOLD_CHARS + batchChars − 1 characters of prose; LOOP findings are decided on released
 * text, so they never wait longer than that either.
 */
export class TextInspector {
  private readonly redactor: SpanScanner;
  private readonly loops: LoopDetector | null;
  private readonly moderator: SentenceModerator | null;
  private released: { text: string; start: number }[] = [];

  constructor(options: TextInspectorOptions = {}) {
    this.loops = options.loops === false ? null : new LoopDetector();
    const onLate = options.onLateFinding;
    this.moderator = options.moderation && onLate
      ? new SentenceModerator({ client: options.moderation, onFinding: onLate, ...(options.onModerationError ? { onError: options.onModerationError } : {}) })
      : null;
    const needsRelease = this.loops !== null || this.moderator !== null;
    this.redactor = createRedactor({
      ...(options.toxicity === false ? { toxicity: false } : {}),
      ...(options.batchChars !== undefined ? { batchChars: options.batchChars } : {}),
      ...(needsRelease ? { onRelease: (text: string, start: number) => this.released.push({ text, start }) } : {}),
    });
  }

  /** Characters received but not yet released as output. */
  get heldBackChars(): number {
    return this.redactor.heldBackChars;
  }

  push(chunk: string): InspectResult {
    return this.after(this.redactor.push(chunk), false);
  }

  end(): InspectResult {
    return this.after(this.redactor.end(), true);
  }

  /** Resolves when every moderation request has settled (tests, graceful shutdown). */
  settled(): Promise<void> {
    return this.moderator?.settled() ?? Promise.resolve();
  }

  /** Stops background moderation; findings not yet in are discarded. */
  close(): void {
    this.moderator?.close();
  }

  private after(result: InspectResult, final: boolean): InspectResult {
    if (this.released.length === 0 && !final) return result;
    const pieces = this.released;
    this.released = [];
    let loops: Finding[] = [];
    for (const piece of pieces) {
      if (this.loops) loops = loops.concat(this.loops.feed(piece.text, piece.start));
      if (this.moderator) {
        const end = piece.start + piece.text.length;
        this.moderator.feed(piece.text, piece.start, result.findings.filter((f) => PII.has(f.type) && f.start >= piece.start && f.start < end));
      }
    }
    if (final) {
      if (this.loops) loops = loops.concat(this.loops.end());
      this.moderator?.end();
    }
    if (loops.length === 0) return result;
    return { output: result.output, findings: [...result.findings, ...loops].sort(compareFindings) };
  }
}

/** Inspects a whole text (or its chunks) at once: the CLI and tests use this. */
export function inspectText(input: string | readonly string[], options: TextInspectorOptions = {}): InspectResult {
  const inspector = new TextInspector(options);
  const chunks = typeof input === 'string' ? [input] : input;
  let output = '';
  const findings: Finding[] = [];
  for (const chunk of chunks) {
    const r = inspector.push(chunk);
    output += r.output;
    findings.push(...r.findings);
  }
  const r = inspector.end();
  output += r.output;
  findings.push(...r.findings);
  return { output, findings: findings.sort(compareFindings) };
}
