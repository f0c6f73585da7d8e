import ffmpeg from 'fluent-ffmpeg';
import type { Readable } from 'node:stream';
import { PassThrough } from 'node:stream';
import type { ChildProcess } from 'node:child_process';
import { FfmpegStderrParser, type SourceInfo } from './stderr-parser.js';
import { RawFramer } from './raw-framer.js';

/** Where a decoder reads from: a live byte stream (FLV from ingest) or a file/URL. */
export type DecoderInput =
  | { readonly kind: 'stream'; readonly stream: Readable; readonly format: string }
  | { readonly kind: 'file'; readonly path: string; readonly realtime?: boolean };

export type DecoderKind = 'video' | 'audio';

export interface AnalysisGeometry {
  /** Analysis resolution; the source is scaled to it (aspect not preserved). */
  readonly width: number;
  readonly height: number;
  /** Decoded audio sample rate; mono. */
  readonly sampleRate: number;
  /** Samples per audio block (per channel). */
  readonly blockSamples: number;
}

export const DEFAULT_GEOMETRY: AnalysisGeometry = { width: 320, height: 180, sampleRate: 48_000, blockSamples: 960 };

export interface RunCallbacks {
  /** Source stream descriptions, once ffmpeg has read the input header. */
  onInfo(info: SourceInfo): void;
  /** One raw frame (gray8 plane or s16le block) with its presentation time in ms. */
  onFrame(data: Uint8Array, ptsMs: number): void;
  /** The process ended; `error` is null for a clean end of input. */
  onExit(error: Error | null, stderrTail: string[]): void;
}

/**
 * One ffmpeg process decoding one kind of media (video or audio) of one input into raw
 * frames on stdout. Video goes through `scale` then `showinfo` (whose per-frame pts lines
 * on stderr pair up, in order, with the raw frames on stdout, since `-fps_mode passthrough`
 * neither drops nor duplicates). Audio goes through `ashowinfo` (for the first pts) then
 * `aresample` with async compensation, so the sample count keeps time after that.
 */
export class FfmpegRun {
  readonly kind: DecoderKind;
  private readonly command: ffmpeg.FfmpegCommand;
  private readonly parser = new FfmpegStderrParser();
  private readonly framer: RawFramer;
  private readonly pendingPts: number[] = [];
  private readonly pendingFrames: Uint8Array[] = [];
  private readonly stderrTail: string[] = [];
  private audioStartPts: number | null = null;
  private audioBlocks = 0;
  private infoSent = false;
  private exited = false;
  private proc: ChildProcess | null = null;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private outputEnded = false;
  private killedByUs = false;
  private settleTimer: NodeJS.Timeout | null = null;
  private readonly cb: RunCallbacks;
  private readonly geometry: AnalysisGeometry;

  constructor(kind: DecoderKind, input: DecoderInput, geometry: AnalysisGeometry, cb: RunCallbacks) {
    this.kind = kind;
    this.cb = cb;
    this.geometry = geometry;
    this.framer = new RawFramer(kind === 'video' ? geometry.width * geometry.height : geometry.blockSamples * 2);

    const cmd = input.kind === 'stream' ? ffmpeg(input.stream).inputFormat(input.format) : ffmpeg(input.path);
    // Probe briefly: live FLV carries its codec headers up front. (Not `-fflags nobuffer`:
    // it discards the packets read while probing, i.e. the stream's whole first GOP.)
    const inputOptions = ['-hide_banner', '-nostdin', '-analyzeduration', '500000', '-probesize', '32768'];
    // One decoder thread: frame threading holds each frame back by (threads - 1) frame times.
    if (input.kind === 'stream') inputOptions.push('-flags', 'low_delay', '-threads', '1');
    if (input.kind === 'file' && input.realtime === true) inputOptions.push('-re');
    cmd.inputOptions(inputOptions);
    if (kind === 'video') {
      cmd.outputOptions([
        '-map', '0:v:0', '-an', '-sn', '-dn',
        '-vf', `scale=${geometry.width}:${geometry.height}:flags=fast_bilinear,showinfo`,
        '-fps_mode', 'passthrough', '-pix_fmt', 'gray',
        // Write each frame out at once: ffmpeg's 32 KB output buffer would otherwise hold
        // part of every 57.6 KB frame until the next one arrives.
        '-flush_packets', '1',
      ]).format('rawvideo');
    } else {
      cmd.outputOptions([
        '-map', '0:a:0', '-vn', '-sn', '-dn',
        '-af', `ashowinfo,aresample=${geometry.sampleRate}:async=1000`,
        '-ac', '1', '-ar', String(geometry.sampleRate),
        '-flush_packets', '1', // 32 KB of buffered s16 would be 340 ms of audio
      ]).format('s16le');
    }
    // fluent-ffmpeg keeps 100 stderr lines by default; showinfo writes one per frame, and we
    // parse them through the 'stderr' event, so a short ring is enough for error messages.
    this.command = cmd;
    cmd.on('stderr', (line: string) => this.onStderr(line));
    // The process's own exit status decides how a run ended. fluent-ffmpeg's 'error'/'end'
    // race its output stream's close against the exit (and SIGTERM ffmpeg 20 ms after the
    // close), so under load a clean end can arrive as "Output stream closed"; we use them
    // only when the process never started.
    cmd.on('start', () => {
      const proc = (cmd as unknown as { ffmpegProc?: ChildProcess }).ffmpegProc;
      if (!proc) return;
      this.proc = proc;
      proc.once('exit', (code, signal) => {
        this.exit = { code, signal };
        this.settle();
      });
    });
    cmd.on('error', (err: Error) => {
      if (this.proc === null) this.finish(err);
    });
    cmd.on('end', () => {
      if (this.proc === null) this.finish(null);
    });
    const out = new PassThrough({ highWaterMark: 1 << 20 });
    out.on('data', (chunk: Buffer) => this.onStdout(chunk));
    out.on('error', () => undefined);
    out.on('end', () => {
      this.outputEnded = true;
      this.settle();
    });
    cmd.pipe(out, { end: true });
  }

  /** The OS process id once spawned (for supervision and tests). */
  get pid(): number | undefined {
    return (this.command as unknown as { ffmpegProc?: { pid?: number } }).ffmpegProc?.pid;
  }

  get info(): SourceInfo {
    return this.parser.info;
  }

  kill(): void {
    if (this.exited) return;
    this.killedByUs = true;
    try {
      this.command.kill('SIGKILL');
    } catch {
      // already gone
    }
  }

  private onStderr(line: string): void {
    this.stderrTail.push(line);
    if (this.stderrTail.length > 20) this.stderrTail.shift();
    const pts = this.parser.line(line);
    if (!this.infoSent && this.parser.inputComplete) {
      this.infoSent = true;
      this.cb.onInfo(this.parser.info);
    }
    if (pts === null) return;
    if (this.kind === 'audio') {
      if (this.audioStartPts === null) {
        this.audioStartPts = pts;
        for (const block of this.pendingFrames.splice(0)) this.emitAudio(block);
      }
      return;
    }
    const frame = this.pendingFrames.shift();
    if (frame !== undefined) this.cb.onFrame(frame, pts);
    else this.pendingPts.push(pts);
  }

  private onStdout(chunk: Buffer): void {
    this.framer.push(chunk, (frame) => {
      if (this.kind === 'audio') {
        // Blocks that arrive before ashowinfo's first line wait for the start pts.
        if (this.audioStartPts === null) this.pendingFrames.push(frame);
        else this.emitAudio(frame);
        return;
      }
      const pts = this.pendingPts.shift();
      if (pts !== undefined) this.cb.onFrame(frame, pts);
      else this.pendingFrames.push(frame);
    });
  }

  private emitAudio(block: Uint8Array): void {
    const start = this.audioStartPts ?? 0;
    const pts = start + (this.audioBlocks * this.geometry.blockSamples * 1000) / this.geometry.sampleRate;
    this.audioBlocks += 1;
    this.cb.onFrame(block, pts);
  }

  /**
   * Decides once the process has exited and its output has been read to the end (or a
   * second after the exit, if the output never ends). Exit code 0 is a clean end, and so is
   * fluent-ffmpeg's SIGTERM after ffmpeg had already closed its output (all frames were out).
   */
  private settle(): void {
    const exit = this.exit;
    if (exit === null || this.exited) return;
    if (!this.outputEnded) {
      this.settleTimer ??= setTimeout(() => {
        this.outputEnded = true;
        this.settle();
      }, 1_000);
      return;
    }
    if (this.settleTimer) clearTimeout(this.settleTimer);
    const clean = exit.code === 0 || (exit.signal === 'SIGTERM' && !this.killedByUs);
    this.finish(clean ? null : new Error(exit.signal !== null ? `ffmpeg was killed with signal ${exit.signal}` : `ffmpeg exited with code ${exit.code}`));
  }

  private finish(err: Error | null): void {
    if (this.exited) return;
    this.exited = true;
    if (!this.infoSent) {
      this.infoSent = true;
      this.cb.onInfo(this.parser.info);
    }
    this.cb.onExit(err, this.stderrTail.slice());
  }
}
