/**
 * Cuts a byte stream of raw frames (ffmpeg `-f rawvideo` / `-f s16le`) into fixed-size
 * frames. Copies each frame once into its own buffer, so consumers may keep it.
 */
export class RawFramer {
  private readonly frameBytes: number;
  private current: Uint8Array;
  private filled = 0;

  constructor(frameBytes: number) {
    if (frameBytes <= 0) throw new RangeError('frame size must be positive');
    this.frameBytes = frameBytes;
    this.current = new Uint8Array(frameBytes);
  }

  /** Feeds bytes; calls `onFrame` for every completed frame, in order. */
  push(chunk: Uint8Array, onFrame: (frame: Uint8Array) => void): void {
    let offset = 0;
    while (offset < chunk.length) {
      const n = Math.min(this.frameBytes - this.filled, chunk.length - offset);
      this.current.set(chunk.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === this.frameBytes) {
        const done = this.current;
        this.current = new Uint8Array(this.frameBytes);
        this.filled = 0;
        onFrame(done);
      }
    }
  }
}
