/** What the text analyzers report. Offsets are UTF-16 code units of the whole item's text. */

export const PII_TYPES = ['EMAIL', 'PHONE', 'CARD', 'IBAN', 'IP', 'SSN', 'SNILS', 'INN', 'PASSPORT_RU', 'SECRET'] as const;
export type PiiType = (typeof PII_TYPES)[number];
export type FindingType = PiiType | 'TOXIC' | 'LOOP';

export interface Finding {
  readonly type: FindingType;
  /** First code unit of the span, inclusive. */
  readonly start: number;
  /** End of the span, exclusive. */
  readonly end: number;
  /** Confidence in [0, 1]. */
  readonly score: number;
}

/** What one `push`/`end` call releases: the next piece of (redacted) output and new findings. */
export interface InspectResult {
  readonly output: string;
  readonly findings: readonly Finding[];
}

/** Canonical order of findings: by start, then end, then type (used where families interleave). */
export function compareFindings(a: Finding, b: Finding): number {
  return a.start - b.start || a.end - b.end || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0);
}
