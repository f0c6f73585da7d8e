/**
 * What the video analyzers report. Each finding already has the shape of an
 * `AnalysisEvent` on the `video` channel (`{channel, type, pts, data}`), so the pipeline
 * forwards it as it is; `pts` is always the media time the finding is about.
 */
import type { SegmentEdgeData } from '../segment-tracker.js';

/** Per-frame statistics (`type: 'frame'`). Luma values are 8-bit levels, 0–255. */
export interface VideoFrameStats {
  /** Mean luma of the frame. */
  readonly meanLuma: number;
  /** Mean absolute luma difference to the previous frame (0 for the first frame). */
  readonly motion: number;
  /** Scene-cut score of this frame and the adaptive threshold it was compared with. */
  readonly cutScore: number;
  readonly cutThreshold: number;
  /** This frame is black (see `VideoAnalyzerOptions.blackPixelLevel`/`blackRatio`). */
  readonly black: boolean;
  /** This frame is inside a frozen segment (the picture has not changed for N frames). */
  readonly frozen: boolean;
}

export interface VideoFrameFinding {
  readonly channel: 'video';
  readonly type: 'frame';
  readonly pts: number;
  readonly data: VideoFrameStats;
}

export interface SceneCutFinding {
  readonly channel: 'video';
  readonly type: 'scene_cut';
  /** pts of the first frame of the new shot. */
  readonly pts: number;
  readonly data: { readonly score: number; readonly threshold: number };
}

/** A segment edge: `start` at the first frame of the segment, `end` at the first frame after it. */
export interface VideoSegmentFinding {
  readonly channel: 'video';
  readonly type: 'black' | 'frozen';
  readonly pts: number;
  readonly data: SegmentEdgeData;
}

export type VideoFinding = VideoFrameFinding | SceneCutFinding | VideoSegmentFinding;
