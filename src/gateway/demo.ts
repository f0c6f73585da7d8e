import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../media/logger.js';
import { RestartBackoff } from '../media/backoff.js';

export interface DemoOptions {
  rtmpUrl: string;
  logger: Logger;
}

/**
 * The built-in demo publisher (`serve --demo`): an ffmpeg process that publishes a moving
 * test picture with a beeping tone over RTMP to our own ingest, exactly as OBS would, so a
 * new user sees a live stream at once. Restarted with backoff if it dies.
 */
export class DemoPublisher {
  private child: ChildProcess | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly backoff = new RestartBackoff(500, 10_000);
  private readonly opts: DemoOptions;

  constructor(opts: DemoOptions) {
    this.opts = opts;
  }

  start(): void {
    if (this.closed || this.child) return;
    const args = [
      '-hide_banner', '-loglevel', 'error', '-nostdin', '-re',
      '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30',
      '-f', 'lavfi', '-i', 'sine=frequency=440:beep_factor=4:sample_rate=48000',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '60', '-pix_fmt', 'yuv420p', '-b:v', '800k',
      '-c:a', 'aac', '-b:a', '96k', '-ar', '48000', '-ac', '2',
      '-f', 'flv', this.opts.rtmpUrl,
    ];
    const started = Date.now();
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-500);
    });
    child.on('error', (err) => this.opts.logger.error({ err: err.message }, 'demo publisher could not start'));
    child.on('exit', (code, signal) => {
      this.child = null;
      if (this.closed) return;
      const delayMs = this.backoff.next(Date.now() - started);
      this.opts.logger.warn({ code, signal, stderr: stderr.trim(), delayMs }, 'demo publisher exited; restarting');
      this.timer = setTimeout(() => {
        this.timer = null;
        this.start();
      }, delayMs);
    });
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.child?.kill('SIGKILL');
    this.child = null;
  }
}
