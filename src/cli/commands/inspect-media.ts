import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { DEFAULT_GEOMETRY, FfmpegRun, type DecoderKind } from '../../media/decoder/ffmpeg-run.js';
import type { AudioFrame, VideoFrame } from '../../media/types.js';
import {
  VideoAnalyzer, VideoSummary, type VideoAnalyzerStats, type VideoFinding, type VideoSecondSummary,
} from '../../introspection/video/index.js';
import {
  AudioAnalyzer, AudioSummary, type AudioAnalyzerStats, type AudioFinding, type AudioSecondSummary,
} from '../../introspection/audio/index.js';
import { CliError } from '../errors.js';

/** What `inspect-media --json` prints: one JSON document. */
export interface MediaReport {
  readonly file: string;
  /** Totals per kind; null when the file has no track of that kind. */
  readonly video: VideoAnalyzerStats | null;
  readonly audio: AudioAnalyzerStats | null;
  /** Segment edges and scene cuts, by pts (the per-frame/per-block findings are summarised instead). */
  readonly events: ReadonlyArray<VideoFinding | AudioFinding>;
  readonly seconds: ReadonlyArray<{
    readonly second: number;
    readonly video: VideoSecondSummary | null;
    readonly audio: AudioSecondSummary | null;
  }>;
}

/** `midstream inspect-media FILE [--json]` */
export function registerInspectMedia(program: Command): void {
  program
    .command('inspect-media')
    .description('run the video and audio analyzers over a media file; print segment events and per-second summaries')
    .argument('<file>', 'any file ffmpeg can decode')
    .option('--json', 'print one JSON document instead of text')
    .action(async (file: string, opts: { json?: boolean }) => {
      const report = await inspectMediaFile(file);
      process.stdout.write(opts.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    });
}

/** ffmpeg's words when the input has no track of the mapped kind. */
const NO_TRACK_RE = /matches no streams|does not contain any stream/;

type RunOutcome = { readonly ok: true } | { readonly ok: false; readonly noTrack: boolean; readonly reason: string };

/** Decodes one kind of media of `file` with the gateway's own decoder, feeding `onFrame`. */
function decodeKind(file: string, kind: DecoderKind, onFrame: (data: Uint8Array, pts: number) => void): Promise<RunOutcome> {
  return new Promise((resolve) => {
    new FfmpegRun(kind, { kind: 'file', path: file }, DEFAULT_GEOMETRY, {
      onInfo: () => undefined,
      onFrame,
      onExit: (err, tail) => {
        if (err === null) return resolve({ ok: true });
        const text = [err.message, ...tail].join('\n');
        // fluent-ffmpeg prefixes "ffmpeg exited with code N: "; the rest is ffmpeg's own line.
        const reason = err.message.replace(/^ffmpeg exited with code \d+:\s*/, '').split('\n')[0]?.trim() ?? '';
        resolve({ ok: false, noTrack: NO_TRACK_RE.test(text), reason: reason === '' ? 'ffmpeg failed' : reason });
      },
    });
  });
}

/** Runs both analyzers over a file (video and audio decoded concurrently). */
export async function inspectMediaFile(file: string): Promise<MediaReport> {
  try {
    if (!statSync(file).isFile()) throw new CliError(`${file}: not a regular file`);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`${file}: no such file or not readable`);
  }
  const { width, height, sampleRate } = DEFAULT_GEOMETRY;
  const video = new VideoAnalyzer();
  const audio = new AudioAnalyzer();
  const videoSummary = new VideoSummary();
  const audioSummary = new AudioSummary();
  const videoEvents: VideoFinding[] = [];
  const audioEvents: AudioFinding[] = [];
  const onVideo = (findings: VideoFinding[]): void => {
    for (const f of findings) {
      videoSummary.add(f);
      if (f.type !== 'frame') videoEvents.push(f);
    }
  };
  const onAudio = (findings: AudioFinding[]): void => {
    for (const f of findings) {
      audioSummary.add(f);
      if (f.type !== 'level') audioEvents.push(f);
    }
  };
  let videoIndex = 0;
  let audioIndex = 0;
  const [v, a] = await Promise.all([
    decodeKind(file, 'video', (data, pts) => {
      const frame: VideoFrame = { kind: 'video', streamId: file, pts, index: videoIndex++, width, height, format: 'gray8', data };
      onVideo(video.process(frame));
    }),
    decodeKind(file, 'audio', (data, pts) => {
      const samples = new Int16Array(data.buffer, data.byteOffset, data.byteLength / 2);
      const frame: AudioFrame = { kind: 'audio', streamId: file, pts, index: audioIndex++, sampleRate, channels: 1, format: 's16', samples };
      onAudio(audio.process(frame));
    }),
  ]);
  for (const outcome of [v, a]) {
    if (!outcome.ok && !outcome.noTrack) throw new CliError(`${file}: cannot decode: ${outcome.reason}`);
  }
  if (!v.ok && !a.ok) throw new CliError(`${file}: no video or audio stream`);
  onVideo(video.finish());
  onAudio(audio.finish());

  const videoSeconds = new Map(videoSummary.seconds().map((s) => [s.second, s]));
  const audioSeconds = new Map(audioSummary.seconds().map((s) => [s.second, s]));
  const seconds = [...new Set([...videoSeconds.keys(), ...audioSeconds.keys()])]
    .sort((x, y) => x - y)
    .map((second) => ({ second, video: videoSeconds.get(second) ?? null, audio: audioSeconds.get(second) ?? null }));
  return {
    file,
    video: v.ok ? video.toJSON() : null,
    audio: a.ok ? audio.toJSON() : null,
    // Stable sort: at equal pts video comes before audio, and each keeps its own order.
    events: [...videoEvents, ...audioEvents].sort((x, y) => x.pts - y.pts),
    seconds,
  };
}

const seconds3 = (ms: number): string => (ms / 1000).toFixed(3);
const fixed = (n: number, digits = 1): string => n.toFixed(digits);

function describe(e: VideoFinding | AudioFinding): string {
  if (e.type === 'scene_cut') return `score ${fixed(e.data.score)} > threshold ${fixed(e.data.threshold)}`;
  if (e.type === 'frame' || e.type === 'level') return '';
  return e.data.state === 'start' ? 'start' : `end (from ${seconds3(e.data.startPts)} s, ${seconds3(e.data.durationMs)} s)`;
}

/** The human-readable form: totals, events, then one line per second. */
export function formatReport(r: MediaReport): string {
  const lines: string[] = [`${r.file}`];
  lines.push(r.video === null ? 'video: none' : `video: ${r.video.frames} frames, ${r.video.sceneCuts} scene cuts, ` +
    `${r.video.blackSegments} black and ${r.video.frozenSegments} frozen segments`);
  lines.push(r.audio === null ? 'audio: none' : `audio: ${r.audio.blocks} blocks of 20 ms, ${r.audio.speechSegments} speech, ` +
    `${r.audio.silenceSegments} silence and ${r.audio.clippingSegments} clipping segments`);
  lines.push('', 'events:');
  if (r.events.length === 0) lines.push('  (none)');
  for (const e of r.events) {
    lines.push(`  ${seconds3(e.pts).padStart(9)} s  ${e.channel.padEnd(5)}  ${e.type.padEnd(9)}  ${describe(e)}`);
  }
  lines.push('', 'per second:', '  second | frames   luma  motion  cuts  black  frozen | rms dBFS  peak dBFS  speech  silent  clipped');
  for (const s of r.seconds) {
    const v = s.video;
    const a = s.audio;
    const vText = v === null ? ' '.repeat(40) : `${String(v.frames).padStart(6)}  ${fixed(v.meanLuma).padStart(5)}  ${fixed(v.meanMotion).padStart(6)}  ` +
      `${String(v.sceneCuts).padStart(4)}  ${String(v.blackFrames).padStart(5)}  ${String(v.frozenFrames).padStart(6)}`;
    const aText = a === null ? '' : `${fixed(a.rmsDbfs).padStart(8)}  ${fixed(a.peakDbfs).padStart(9)}  ` +
      `${(Math.round(a.speechRatio * 100) + '%').padStart(6)}  ${(Math.round(a.silentRatio * 100) + '%').padStart(6)}  ${String(a.clippedSamples).padStart(7)}`;
    lines.push(`  ${String(s.second).padStart(6)} | ${vText} | ${aText}`);
  }
  return `${lines.join('\n')}\n`;
}
