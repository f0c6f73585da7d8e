/** The live picture: the gateway's HLS of a stream in the page's <video>, through hls.js. */

interface HlsErrorData { readonly fatal?: boolean; readonly type?: string; readonly details?: string }
interface HlsLike {
  loadSource(url: string): void;
  attachMedia(media: HTMLMediaElement): void;
  startLoad(): void;
  recoverMediaError(): void;
  destroy(): void;
  on(event: string, cb: (event: string, data: HlsErrorData) => void): void;
  /** Wall-clock time of the frame on screen, from EXT-X-PROGRAM-DATE-TIME. */
  readonly playingDate: Date | null;
  /** Seconds between the frame on screen and the playlist's live edge (extrapolated since it was loaded); 0 before. */
  readonly latency: number;
  readonly latestLevelDetails?: { readonly targetduration: number } | null;
}

/** How far the picture on screen is behind the source, and how that was measured. */
export interface PictureDelay {
  readonly ms: number;
  readonly source: 'program-date-time' | 'live-edge';
}
interface HlsStatic {
  new (config?: Record<string, unknown>): HlsLike;
  isSupported(): boolean;
  readonly Events: { readonly ERROR: string };
  readonly ErrorTypes: { readonly NETWORK_ERROR: string; readonly MEDIA_ERROR: string };
}

export type PictureState = 'loading' | 'playing' | 'waiting' | 'failed';

export class Picture {
  private hls: HlsLike | null = null;
  private native = false;
  private state: PictureState = 'loading';
  /** Incremented by load()/stop(): callbacks of an earlier load see a different number. */
  private run = 0;

  constructor(private readonly video: HTMLVideoElement, private readonly onState: (state: PictureState, detail?: string) => void) {
    video.addEventListener('playing', () => this.set('playing'));
    video.addEventListener('waiting', () => this.state !== 'loading' && this.set('waiting'));
  }

  /** Plays the stream's HLS, once its playlist exists (the first segment takes a moment). */
  load(streamId: string): void {
    this.stop();
    const run = ++this.run;
    const url = `/hls/${encodeURIComponent(streamId)}/index.m3u8`;
    this.state = 'loading';
    this.onState('loading');
    const attach = (): void => {
      if (run !== this.run) return;
      const Hls = (globalThis as unknown as { Hls?: HlsStatic }).Hls;
      if (Hls?.isSupported()) {
        // Play close to the live edge, and catch up rather than drift further behind.
        const hls = new Hls({ liveSyncDurationCount: 2, liveMaxLatencyDurationCount: 6 });
        hls.on(Hls.Events.ERROR, (_e, data) => {
          if (!data.fatal || run !== this.run) return;
          if (data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
          else if (data.type === Hls.ErrorTypes.NETWORK_ERROR) setTimeout(() => run === this.run && this.load(streamId), 2000);
          else this.set('failed', data.details ?? 'the player stopped');
        });
        hls.loadSource(url);
        hls.attachMedia(this.video);
        this.hls = hls;
      } else if (this.video.canPlayType('application/vnd.apple.mpegurl')) {
        this.native = true;
        this.video.src = url;
      } else {
        this.set('failed', 'this browser cannot play HLS');
        return;
      }
      void this.video.play().catch(() => undefined);
    };
    void waitForPlaylist(url, () => run === this.run).then((ok) => ok && attach());
  }

  stop(): void {
    this.run += 1;
    this.hls?.destroy();
    this.hls = null;
    if (this.native) {
      this.video.removeAttribute('src');
      this.video.load();
      this.native = false;
    }
  }

  /**
   * How far the frame on screen is behind the live source, given the gateway's clock now
   * (`gatewayNow`, ms); null before the picture starts or after it failed.
   *
   * Two measures: the program date time of the frame on screen (exact at segment boundaries
   * when the HLS writer stamped segments with the time their media arrived) and the distance
   * to the playlist's live edge (independent of those stamps; off by up to half the time
   * between writing and loading the playlist). The first is used when it agrees with the
   * second to within a target duration; otherwise the stamps are off and the edge is used.
   */
  delay(gatewayNow: number): PictureDelay | null {
    if (this.state === 'failed' || this.state === 'loading') return null;
    const hls = this.hls;
    if (hls) {
      const pdt = hls.playingDate;
      const pdtMs = pdt ? gatewayNow - pdt.getTime() : null;
      const details = hls.latestLevelDetails;
      if (!details || hls.latency <= 0) return pdtMs === null ? null : { ms: pdtMs, source: 'program-date-time' };
      // hls.js counts from when it loaded the playlist, which was written (with the newest
      // media) on average half a reload interval, about half a target duration, before.
      const edgeMs = (hls.latency + details.targetduration / 2) * 1000;
      const toleranceMs = details.targetduration * 1000 + 500;
      if (pdtMs !== null && pdtMs >= edgeMs - 250 && pdtMs <= edgeMs + toleranceMs) return { ms: pdtMs, source: 'program-date-time' };
      return { ms: Math.max(0, edgeMs), source: 'live-edge' };
    }
    // Safari's native HLS: getStartDate() is the program date time of currentTime 0.
    const start = (this.video as HTMLVideoElement & { getStartDate?: () => Date }).getStartDate?.().getTime();
    return start !== undefined && Number.isFinite(start) ? { ms: gatewayNow - (start + this.video.currentTime * 1000), source: 'program-date-time' } : null;
  }

  get current(): PictureState {
    return this.state;
  }

  /** The picture moves: playing, not paused, and with data ahead of the current frame. */
  advancing(): boolean {
    return this.state === 'playing' && !this.video.paused && !this.video.ended && this.video.readyState >= 3;
  }

  private set(state: PictureState, detail?: string): void {
    if (state === this.state && detail === undefined) return;
    this.state = state;
    this.onState(state, detail);
  }
}

/** Polls until the playlist exists (true), or `current()` turns false (false). */
async function waitForPlaylist(url: string, current: () => boolean): Promise<boolean> {
  for (let delayMs = 250; current(); delayMs = Math.min(2000, delayMs * 1.5)) {
    try {
      const res = await fetch(url, { cache: 'no-store' });
      if (res.ok) return current();
    } catch {
      // the gateway is away; keep trying
    }
    await new Promise((r) => setTimeout(r, delayMs));
  }
  return false;
}
