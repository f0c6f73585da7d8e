/**
 * Turns a per-frame yes/no condition (black, frozen, silent, speech, clipped) into
 * segments with debounce on both edges: a segment starts once the condition has held for
 * `minOnFrames` frames in a row and ends once it has been false for `minOffFrames` in a row.
 * Edges are reported late (when the debounce settles) but carry the media time where they
 * really happened: a start's pts is the first frame of the run, an end's pts is the first
 * frame that no longer had the condition. This is the "hangover" of VAD literature, applied
 * to every segment kind.
 */

export type SegmentEdge =
  | { readonly state: 'start'; readonly pts: number }
  | { readonly state: 'end'; readonly pts: number; readonly startPts: number; readonly durationMs: number };

/** An edge as it goes into a finding's `data` (the pts goes into the finding itself). */
export type SegmentEdgeData =
  | { readonly state: 'start' }
  | { readonly state: 'end'; readonly startPts: number; readonly durationMs: number };

export function edgeData(edge: SegmentEdge): SegmentEdgeData {
  return edge.state === 'start'
    ? { state: 'start' }
    : { state: 'end', startPts: edge.startPts, durationMs: edge.durationMs };
}

export interface SegmentTrackerOptions {
  /** Consecutive frames with the condition before a segment starts (≥ 1). */
  readonly minOnFrames: number;
  /** Consecutive frames without it before the segment ends (≥ 1). */
  readonly minOffFrames: number;
}

export class SegmentTracker {
  private readonly minOn: number;
  private readonly minOff: number;
  private active = false;
  private segmentStartPts = 0;
  /** While inactive: the onset being debounced (first pts, length in frames, trailing gap). */
  private onStartPts = 0;
  private onFrames = 0;
  private gapFrames = 0;
  /** While active: the ending being debounced (first pts without the condition, length). */
  private offStartPts = 0;
  private offFrames = 0;

  constructor(opts: SegmentTrackerOptions) {
    if (!(opts.minOnFrames >= 1 && opts.minOffFrames >= 1)) throw new RangeError('segment debounce must be at least 1 frame');
    this.minOn = opts.minOnFrames;
    this.minOff = opts.minOffFrames;
  }

  /** True while a segment is open (started and not yet ended). */
  get open(): boolean {
    return this.active;
  }

  /**
   * Feeds one frame's condition; returns the edge it settles, if any. `onsetPts` is where
   * the condition began when that precedes the frame it is seen on (a freeze is seen on the
   * frame after the picture that froze); it only matters for the first frame of an onset.
   */
  push(condition: boolean, pts: number, onsetPts = pts): SegmentEdge | null {
    return this.active ? this.pushActive(condition, pts) : this.pushInactive(condition, onsetPts);
  }

  /**
   * End of input: closes an open segment at `endPts` (where the last frame stops being shown),
   * or where the condition stopped if an ending was being debounced. A pending onset is dropped.
   */
  finish(endPts: number): SegmentEdge | null {
    this.onFrames = 0;
    this.gapFrames = 0;
    if (!this.active) return null;
    const at = this.offFrames > 0 ? this.offStartPts : endPts;
    this.offFrames = 0;
    return this.close(at);
  }

  private pushActive(condition: boolean, pts: number): SegmentEdge | null {
    if (condition) {
      this.offFrames = 0;
      return null;
    }
    if (this.offFrames === 0) this.offStartPts = pts;
    this.offFrames += 1;
    if (this.offFrames < this.minOff) return null;
    this.offFrames = 0;
    return this.close(this.offStartPts);
  }

  /**
   * A gap shorter than the end debounce does not cancel an onset, just as it would not end
   * a segment: the paper's order for VAD runs (fill short pauses, then drop short bursts).
   */
  private pushInactive(condition: boolean, onsetPts: number): SegmentEdge | null {
    if (!condition) {
      if (this.onFrames > 0 && ++this.gapFrames >= this.minOff) {
        this.onFrames = 0;
        this.gapFrames = 0;
      }
      return null;
    }
    if (this.onFrames === 0) this.onStartPts = onsetPts;
    this.onFrames += 1 + this.gapFrames;
    this.gapFrames = 0;
    if (this.onFrames < this.minOn) return null;
    this.onFrames = 0;
    this.active = true;
    this.segmentStartPts = this.onStartPts;
    return { state: 'start', pts: this.onStartPts };
  }

  private close(pts: number): SegmentEdge {
    this.active = false;
    return { state: 'end', pts, startPts: this.segmentStartPts, durationMs: pts - this.segmentStartPts };
  }
}
