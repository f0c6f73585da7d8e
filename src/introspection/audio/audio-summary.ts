import { toDbfs } from './levels.js';
import type { AudioFinding } from './types.js';

/** One second of media time, summarised from the `level` findings whose pts fall in it. */
export interface AudioSecondSummary {
  readonly second: number;
  readonly blocks: number;
  /** RMS over the whole second (power-averaged, not an average of dB values). */
  readonly rmsDbfs: number;
  readonly peakDbfs: number;
  /** Fractions of the second's blocks inside a speech segment / below the silence level. */
  readonly speechRatio: number;
  readonly silentRatio: number;
  readonly clippedSamples: number;
}

interface Bucket {
  blocks: number;
  power: number;
  peakDbfs: number;
  speech: number;
  silent: number;
  clipped: number;
}

/** Folds the findings of an `AudioAnalyzer` (with level stats on) into per-second summaries. */
export class AudioSummary {
  private readonly buckets = new Map<number, Bucket>();

  add(finding: AudioFinding): void {
    if (finding.type !== 'level') return;
    const second = Math.floor(finding.pts / 1000);
    let b = this.buckets.get(second);
    if (b === undefined) {
      b = { blocks: 0, power: 0, peakDbfs: -Infinity, speech: 0, silent: 0, clipped: 0 };
      this.buckets.set(second, b);
    }
    const s = finding.data;
    b.blocks += 1;
    b.power += 10 ** (s.rmsDbfs / 10);
    b.peakDbfs = Math.max(b.peakDbfs, s.peakDbfs);
    if (s.speech) b.speech += 1;
    if (s.silent) b.silent += 1;
    b.clipped += s.clippedSamples;
  }

  seconds(): AudioSecondSummary[] {
    return [...this.buckets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([second, b]) => ({
        second, blocks: b.blocks, rmsDbfs: toDbfs(Math.sqrt(b.power / b.blocks) * 32768), peakDbfs: b.peakDbfs,
        speechRatio: b.speech / b.blocks, silentRatio: b.silent / b.blocks, clippedSamples: b.clipped,
      }));
  }
}
