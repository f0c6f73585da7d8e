import { BoundedQueue } from './queue.js';
import type { AudioFrame, VideoFrame } from './types.js';

/** One consumer's view of a stream's frames, each kind in its own bounded queue. */
export interface FrameSubscription {
  readonly video: BoundedQueue<VideoFrame>;
  readonly audio: BoundedQueue<AudioFrame>;
  unsubscribe(): void;
}

export interface FrameBusOptions {
  /** Frames a subscriber may lag behind before the oldest video frame is dropped. */
  videoCapacity?: number;
  /** 20 ms blocks a subscriber may lag behind before the oldest is dropped (50 = 1 s). */
  audioCapacity?: number;
}

/**
 * Fan-out of one stream's decoded frames to any number of consumers. Each consumer has
 * its own queues, so a slow consumer loses its own oldest frames (counted) and never
 * stalls the decoder or the other consumers.
 */
export class FrameBus {
  private readonly subs = new Set<FrameSubscription>();
  private readonly audioOnly = new WeakSet<FrameSubscription>();
  private readonly videoCapacity: number;
  private readonly audioCapacity: number;
  /** Frames dropped across all subscribers because they lagged. */
  videoDropped = 0;
  audioDropped = 0;

  constructor(options: FrameBusOptions = {}) {
    this.videoCapacity = options.videoCapacity ?? 8;
    this.audioCapacity = options.audioCapacity ?? 50;
  }

  /**
   * A consumer's queues. `{ video: false }`: audio only; its video queue stays closed and empty
   * and is not offered frames (so they are not counted as dropped).
   */
  subscribe(options: { video?: boolean } = {}): FrameSubscription {
    const sub: FrameSubscription = {
      video: new BoundedQueue<VideoFrame>(this.videoCapacity, 'drop-oldest'),
      audio: new BoundedQueue<AudioFrame>(this.audioCapacity, 'drop-oldest'),
      unsubscribe: () => {
        this.subs.delete(sub);
        sub.video.close();
        sub.audio.close();
      },
    };
    if (options.video === false) {
      sub.video.close();
      this.audioOnly.add(sub);
    }
    this.subs.add(sub);
    return sub;
  }

  get subscribers(): number {
    return this.subs.size;
  }

  pushVideo(frame: VideoFrame): void {
    for (const sub of this.subs) if (!this.audioOnly.has(sub) && !sub.video.push(frame)) this.videoDropped += 1;
  }

  pushAudio(frame: AudioFrame): void {
    for (const sub of this.subs) if (!sub.audio.push(frame)) this.audioDropped += 1;
  }

  close(): void {
    for (const sub of [...this.subs]) sub.unsubscribe();
  }
}
