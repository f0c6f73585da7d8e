/**
 * What the audio analyzers report. Each finding already has the shape of an
 * `AnalysisEvent` on the `audio` channel (`{channel, type, pts, data}`); `pts` is the media
 * time the finding is about (a block's first sample, or a segment edge).
 */
import type { SegmentEdgeData } from '../segment-tracker.js';

/** Per-block levels (`type: 'level'`), one per 20 ms block. */
export interface AudioLevelStats {
  readonly rmsDbfs: number;
  readonly peakDbfs: number;
  /** Samples of this block in clipped runs. */
  readonly clippedSamples: number;
  /** This block is below the silence threshold. */
  readonly silent: boolean;
  /** How many of the VAD's three features voted for speech in this block (0–3). */
  readonly vadVotes: number;
  /** This block is inside a voice-activity segment. */
  readonly speech: boolean;
}

export interface AudioLevelFinding {
  readonly channel: 'audio';
  readonly type: 'level';
  readonly pts: number;
  readonly data: AudioLevelStats;
}

/** A segment edge: `start` at the segment's first sample, `end` just after its last block. */
export interface AudioSegmentFinding {
  readonly channel: 'audio';
  readonly type: 'silence' | 'vad' | 'clipping';
  readonly pts: number;
  readonly data: SegmentEdgeData;
}

export type AudioFinding = AudioLevelFinding | AudioSegmentFinding;
