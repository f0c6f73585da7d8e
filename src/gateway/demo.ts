import type { Logger } from '../media/logger.js';
import { FfmpegRelay } from '../media/ffmpeg-relay.js';

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
  private readonly relay: FfmpegRelay;

  constructor(opts: DemoOptions) {
    this.relay = new FfmpegRelay({
      name: 'demo publisher',
      logger: opts.logger,
      restartOnCleanExit: true,
      args: [
        '-hide_banner', '-loglevel', 'error', '-nostdin', '-re',
        '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30',
        '-f', 'lavfi', '-i', 'sine=frequency=440:beep_factor=4:sample_rate=48000',
        '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '60', '-pix_fmt', 'yuv420p', '-b:v', '800k',
        '-c:a', 'aac', '-b:a', '96k', '-ar', '48000', '-ac', '2',
        '-f', 'flv', opts.rtmpUrl,
      ],
    });
  }

  start(): void {
    this.relay.start();
  }

  close(): void {
    this.relay.close();
  }
}
