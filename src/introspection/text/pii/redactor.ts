import { SpanScanner, type SpanRule, type SpanScannerOptions } from '../span-scanner.js';
import { toxicityRule } from '../toxicity/rule.js';
import { PII_RULES } from './rules.js';

export interface RedactorOptions extends SpanScannerOptions {
  /** Also report TOXIC words from the lexicon (default true). */
  readonly toxicity?: boolean;
}

/** The streaming PII redactor (plus lexicon toxicity, which shares its chunk-invariant scan). */
export function createRedactor(options: RedactorOptions = {}): SpanScanner {
  const rules: SpanRule[] = [...PII_RULES];
  if (options.toxicity !== false) rules.push(toxicityRule);
  return new SpanScanner(rules, options);
}
