/**
 * Holds back what is drawn on the picture until the picture shows the moment it is about.
 *
 * Analysis events arrive within milliseconds of the media reaching the gateway (`ts`, the
 * gateway's wall clock), but the HLS picture plays seconds later. The gateway's HLS stamps
 * each segment with EXT-X-PROGRAM-DATE-TIME (the same wall clock, at the time it wrote the
 * segment), and hls.js turns that into `playingDate`: the wall-clock time of the frame on
 * screen. An overlay change made at `ts` is applied once `playingDate >= ts`, so a BLACK
 * badge comes up with the black picture, not seconds before it. Charts and lists do not go
 * through here: they stay real time.
 */
export interface PendingChange {
  readonly ts: number;
  apply(): void;
}

/** More than this many pending changes means the picture is hopelessly behind: apply the oldest. */
const MAX_PENDING = 4096;

export class PictureSync {
  private readonly pending: PendingChange[] = [];

  /** Queues a change, in `ts` order (stable for equal `ts`). */
  schedule(ts: number, apply: () => void): void {
    let i = this.pending.length;
    while (i > 0 && (this.pending[i - 1]?.ts ?? -Infinity) > ts) i -= 1;
    this.pending.splice(i, 0, { ts, apply });
    while (this.pending.length > MAX_PENDING) this.pending.shift()?.apply();
  }

  /**
   * Applies every change the picture has reached. `pictureTs` is the wall-clock time of the
   * frame on screen; `Infinity` applies everything (no picture to wait for).
   */
  advance(pictureTs: number): void {
    while (this.pending.length > 0 && (this.pending[0]?.ts ?? Infinity) <= pictureTs) this.pending.shift()?.apply();
  }

  get size(): number {
    return this.pending.length;
  }

  clear(): void {
    this.pending.length = 0;
  }
}
