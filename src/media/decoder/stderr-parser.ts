/**
 * Reads what ffmpeg prints on stderr: the input's stream descriptions (codec, geometry,
 * frame rate, sample rate, channels) and, per frame, the `showinfo`/`ashowinfo` filter's
 * presentation timestamps. These are the only way to get the source pts of frames that
 * leave ffmpeg as raw bytes on a pipe.
 */

export interface SourceVideoInfo {
  codec: string;
  width: number;
  height: number;
  /** From the container/stream header; null when ffmpeg did not report one. */
  fps: number | null;
}

export interface SourceAudioInfo {
  codec: string;
  sampleRate: number;
  channels: number;
}

export interface SourceInfo {
  video: SourceVideoInfo | null;
  audio: SourceAudioInfo | null;
}

const VIDEO_RE = /^\s*Stream #\d+:\d+(?:\[[^\]]*\])?(?:\([^)]*\))?: Video: (\w+)[^,]*,.*?(\d{2,5})x(\d{2,5})/;
const FPS_RE = /(\d+(?:\.\d+)?) fps/;
const AUDIO_RE = /^\s*Stream #\d+:\d+(?:\[[^\]]*\])?(?:\([^)]*\))?: Audio: (\w+)[^,]*, (\d+) Hz, ([^,]+)/;
/** showinfo and ashowinfo both print `n: <index> pts: <ticks> pts_time: <seconds>`. */
const SHOWINFO_RE = /\] n:\s*(\d+)\s+pts:\s*(-?\d+)\s+pts_time:\s*(-?\d+(?:\.\d+)?)/;

const CHANNEL_LAYOUTS: Record<string, number> = {
  mono: 1, stereo: 2, '2.1': 3, '3.0': 3, quad: 4, '4.0': 4, '5.0': 5, '5.1': 6, '6.1': 7, '7.1': 8,
};

export function parseChannels(layout: string): number {
  const trimmed = layout.trim();
  const known = CHANNEL_LAYOUTS[trimmed.replace(/\(.*\)$/, '')];
  if (known !== undefined) return known;
  const m = /(\d+) channels/.exec(trimmed);
  return m?.[1] !== undefined ? Number(m[1]) : 0;
}

/** Incremental parser: feed it stderr lines in order. */
export class FfmpegStderrParser {
  private section: 'none' | 'input' | 'output' = 'none';
  readonly info: SourceInfo = { video: null, audio: null };
  /** Set once the input section has been fully read. */
  inputComplete = false;

  /** Returns a pts in ms when the line is a showinfo frame line, otherwise null. */
  line(text: string): number | null {
    const show = SHOWINFO_RE.exec(text);
    if (show?.[3] !== undefined) return Number(show[3]) * 1000;
    if (text.startsWith('Input #')) {
      this.section = 'input';
      return null;
    }
    if (text.startsWith('Output #') || text.startsWith('Stream mapping:')) {
      if (this.section === 'input') this.inputComplete = true;
      this.section = 'output';
      return null;
    }
    if (this.section !== 'input') return null;
    const v = VIDEO_RE.exec(text);
    if (v?.[1] !== undefined && v[2] !== undefined && v[3] !== undefined && this.info.video === null) {
      const fps = FPS_RE.exec(text);
      this.info.video = {
        codec: v[1],
        width: Number(v[2]),
        height: Number(v[3]),
        fps: fps?.[1] !== undefined ? Number(fps[1]) : null,
      };
      return null;
    }
    const a = AUDIO_RE.exec(text);
    if (a?.[1] !== undefined && a[2] !== undefined && a[3] !== undefined && this.info.audio === null) {
      this.info.audio = { codec: a[1], sampleRate: Number(a[2]), channels: parseChannels(a[3]) };
    }
    return null;
  }
}
