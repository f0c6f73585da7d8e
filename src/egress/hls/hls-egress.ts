import ffmpeg from 'fluent-ffmpeg';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../media/logger.js';
import type { OpenedInput } from '../../media/decoder/stream-decoder.js';
import { RestartBackoff } from '../../media/backoff.js';

export interface HlsEgressOptions {
  readonly streamId: string;
  /** Directory the playlist and segments are written to (emptied at start). */
  readonly dir: string;
  openInput(): OpenedInput | null;
  readonly logger: Logger;
}

/**
 * Live HLS of a stream for the viewer's picture: the publisher's own H.264/AAC, remuxed
 * (`-c copy`, no transcode) into 1 s-target MPEG-TS segments; segment length follows the
 * publisher's keyframe interval. `program_date_time` stamps each segment with the wall
 * clock, which the viewer uses to line up analysis events (`ts`) with the picture.
 * Restarted with backoff if ffmpeg dies; ends when its input ends.
 */
export class HlsEgress {
  private command: ffmpeg.FfmpegCommand | null = null;
  private opened: OpenedInput | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly backoff = new RestartBackoff(250, 5_000);
  private readonly opts: HlsEgressOptions;

  constructor(opts: HlsEgressOptions) {
    this.opts = opts;
  }

  get playlist(): string {
    return path.join(this.opts.dir, 'index.m3u8');
  }

  start(): void {
    rmSync(this.opts.dir, { recursive: true, force: true });
    mkdirSync(this.opts.dir, { recursive: true });
    this.launch();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    try {
      this.command?.kill('SIGKILL');
    } catch {
      // already gone
    }
    this.opened?.release();
    this.opened = null;
  }

  private launch(): void {
    if (this.closed) return;
    const opened = this.opts.openInput();
    if (opened === null || opened.input.kind !== 'stream') return;
    this.opened = opened;
    const started = Date.now();
    const cmd = ffmpeg(opened.input.stream)
      .inputFormat(opened.input.format)
      .inputOptions(['-hide_banner', '-nostdin', '-analyzeduration', '1000000'])
      .outputOptions([
        '-map', '0:v:0?', '-map', '0:a:0?', '-c', 'copy',
        '-f', 'hls', '-hls_time', '1', '-hls_list_size', '8',
        '-hls_flags', 'delete_segments+program_date_time+independent_segments+omit_endlist',
        '-hls_segment_filename', path.join(this.opts.dir, 'seg%06d.ts'),
      ])
      .output(this.playlist);
    this.command = cmd;
    const onExit = (err: Error | null) => {
      this.command = null;
      this.opened?.release();
      this.opened = null;
      if (this.closed || err === null) return;
      const delayMs = this.backoff.next(Date.now() - started);
      this.opts.logger.warn({ streamId: this.opts.streamId, reason: err.message, delayMs }, 'HLS egress died; restarting');
      this.timer = setTimeout(() => this.launch(), delayMs);
    };
    cmd.on('error', (err: Error) => onExit(err));
    cmd.on('end', () => onExit(null));
    cmd.run();
  }
}
