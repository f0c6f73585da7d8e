/**
 * Test helpers: make media with ffmpeg into a temp dir and decode it through the project's
 * own decoder (src/media/decoder), so the analyzers see exactly what the gateway feeds them.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_GEOMETRY, FfmpegRun, type DecoderKind } from '../../../src/media/decoder/ffmpeg-run.js';
import type { AudioFrame, VideoFrame } from '../../../src/media/types.js';

const run = promisify(execFile);

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'midstream-media-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs ffmpeg quietly with the given arguments (the output file is among them). */
export async function ffmpeg(args: readonly string[]): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { maxBuffer: 1 << 24 });
}

/** Runs any other program (espeak-ng, sox). */
export async function exec(cmd: string, args: readonly string[]): Promise<void> {
  await run(cmd, [...args], { maxBuffer: 1 << 24 });
}

function decode(file: string, kind: DecoderKind): Promise<Array<{ data: Uint8Array; pts: number }>> {
  return new Promise((resolve, reject) => {
    const frames: Array<{ data: Uint8Array; pts: number }> = [];
    new FfmpegRun(kind, { kind: 'file', path: file }, DEFAULT_GEOMETRY, {
      onInfo: () => undefined,
      onFrame: (data, pts) => frames.push({ data, pts }),
      onExit: (err, tail) => (err === null ? resolve(frames) : reject(new Error(`${err.message}\n${tail.join('\n')}`))),
    });
  });
}

export async function decodeVideo(file: string): Promise<VideoFrame[]> {
  const { width, height } = DEFAULT_GEOMETRY;
  return (await decode(file, 'video')).map(({ data, pts }, index) => ({
    kind: 'video', streamId: 'test', pts, index, width, height, format: 'gray8', data,
  }));
}

export async function decodeAudio(file: string): Promise<AudioFrame[]> {
  return (await decode(file, 'audio')).map(({ data, pts }, index) => ({
    kind: 'audio', streamId: 'test', pts, index, sampleRate: DEFAULT_GEOMETRY.sampleRate, channels: 1, format: 's16',
    samples: new Int16Array(data.buffer, data.byteOffset, data.byteLength / 2),
  }));
}
