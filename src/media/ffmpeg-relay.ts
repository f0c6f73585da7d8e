import { spawn, type ChildProcess } from 'node:child_process';
import { RestartBackoff } from './backoff.js';
import type { Logger } from './logger.js';

export interface FfmpegRelayOptions {
  /** ffmpeg's arguments (the relay adds nothing). */
  readonly args: readonly string[];
  readonly logger: Logger;
  /** What the logs call it ("demo publisher", "HLS pull"). */
  readonly name: string;
  /** Restart after a clean exit too (a generator that should never end); default false. */
  readonly restartOnCleanExit?: boolean;
  readonly backoff?: RestartBackoff;
  /** Called once the relay is done for good: a clean exit that is not restarted. */
  onDone?(): void;
}

export type RelayState = 'running' | 'retrying' | 'done' | 'closed';

/**
 * One supervised ffmpeg process that moves media from somewhere into our own ingest (the
 * demo's generated picture, a pulled HLS stream): restarted with backoff when it fails, its
 * last stderr lines kept as the reason.
 */
export class FfmpegRelay {
  private child: ChildProcess | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly backoff: RestartBackoff;
  private stateNow: RelayState = 'running';
  restarts = 0;
  /** Why the last run ended (ffmpeg's last stderr line, or its exit status). */
  lastError: string | null = null;

  constructor(private readonly opts: FfmpegRelayOptions) {
    this.backoff = opts.backoff ?? new RestartBackoff(500, 10_000);
  }

  get state(): RelayState {
    return this.stateNow;
  }

  /** The running ffmpeg's pid (benchmarks read its CPU time). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (this.stateNow === 'closed' || this.stateNow === 'done' || this.child) return;
    this.stateNow = 'running';
    const started = Date.now();
    const child = spawn('ffmpeg', [...this.opts.args], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    child.on('error', (err) => {
      this.lastError = err.message;
      this.opts.logger.error({ err: err.message }, `${this.opts.name} could not start`);
    });
    child.on('exit', (code, signal) => {
      this.child = null;
      if (this.stateNow === 'closed') return;
      const lines = stderr.trim().split('\n');
      const reason = lines[lines.length - 1]?.trim() || (signal ? `killed by ${signal}` : `exit code ${code ?? '?'}`);
      if (code === 0 && !this.opts.restartOnCleanExit) {
        this.stateNow = 'done';
        this.opts.logger.info({ name: this.opts.name }, `${this.opts.name} finished`);
        this.opts.onDone?.();
        return;
      }
      this.lastError = reason;
      this.restarts += 1;
      const delayMs = this.backoff.next(Date.now() - started);
      this.stateNow = 'retrying';
      this.opts.logger.warn({ code, signal, reason, delayMs }, `${this.opts.name} exited; restarting`);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.start();
      }, delayMs);
    });
  }

  close(): void {
    this.stateNow = 'closed';
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.child?.kill('SIGKILL');
    this.child = null;
  }
}
