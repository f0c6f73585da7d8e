import { spawn, type ChildProcess } from 'node:child_process';

export interface Publisher {
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  kill(signal?: NodeJS.Signals): void;
}

function track(child: ChildProcess): Publisher {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
  return {
    child,
    exited,
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

export interface FfmpegPublisherOptions {
  width?: number;
  height?: number;
  fps?: number;
  /** Seconds of media; default: until killed. */
  durationS?: number;
}

/**
 * Publishes as OBS does by default: x264 veryfast, zerolatency, keyframe every 2 s,
 * AAC-LC 48 kHz stereo 160 kb/s, FLV over RTMP, paced in real time.
 */
export function ffmpegPublisher(url: string, opts: FfmpegPublisherOptions = {}): Publisher {
  const w = opts.width ?? 1280;
  const h = opts.height ?? 720;
  const fps = opts.fps ?? 30;
  const duration = opts.durationS !== undefined ? ['-t', String(opts.durationS)] : [];
  const args = [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-re',
    '-f', 'lavfi', '-i', `testsrc2=size=${w}x${h}:rate=${fps}`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    ...duration,
    '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-g', String(fps * 2), '-keyint_min', String(fps * 2),
    '-pix_fmt', 'yuv420p', '-b:v', '2500k',
    '-c:a', 'aac', '-b:a', '160k', '-ar', '48000', '-ac', '2',
    '-f', 'flv', url,
  ];
  return track(spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] }));
}

/** An independent RTMP implementation: GStreamer's rtmp2sink (flvmux, x264enc, avenc_aac). */
export function gstreamerPublisher(url: string): Publisher {
  const pipeline = [
    'videotestsrc', 'is-live=true', 'pattern=ball', '!', 'video/x-raw,width=640,height=360,framerate=30/1', '!',
    'x264enc', 'tune=zerolatency', 'speed-preset=ultrafast', 'key-int-max=60', '!', 'h264parse', '!',
    'flvmux', 'name=mux', 'streamable=true', '!', 'rtmp2sink', `location=${url}`,
    'audiotestsrc', 'is-live=true', '!', 'audioconvert', '!', 'audioresample', '!',
    'audio/x-raw,rate=48000,channels=2', '!', 'avenc_aac', '!', 'aacparse', '!', 'mux.',
  ];
  return track(spawn('gst-launch-1.0', ['-q', ...pipeline], { stdio: ['ignore', 'ignore', 'pipe'] }));
}
