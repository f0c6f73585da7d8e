/** `midstream inspect-media` as a user runs it: the built CLI in a child process (needs `npm run build`). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ffmpeg, tempDir } from './decode.js';
import { eventProblems } from './expect-events.js';
import type { MediaReport } from '../../../src/cli/commands/inspect-media.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
const file = (name: string): string => path.join(tmp.dir, name);

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/midstream.js', 'inspect-media', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('midstream inspect-media', () => {
  beforeAll(async () => {
    const S = 'size=320x180:rate=30';
    // An ordinary H.264/AAC MP4: 1 s picture, 0.5 s black, 1.5 s another picture;
    // sound silent for the first second, then a tone.
    await ffmpeg([
      '-f', 'lavfi', '-i', `testsrc2=${S}:duration=1`,
      '-f', 'lavfi', '-i', `color=black:${S}:duration=0.5`,
      '-f', 'lavfi', '-i', `testsrc2=${S}:duration=1.5,hflip`,
      '-f', 'lavfi', '-i', "sine=frequency=440:sample_rate=48000:duration=3,volume='if(lt(t,1),0,2)':eval=frame",
      '-filter_complex', '[0:v][1:v][2:v]concat=n=3:v=1:a=0,format=yuv420p[v]',
      '-map', '[v]', '-map', '3:a', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', file('clip.mp4'),
    ]);
    writeFileSync(file('notes.txt'), 'this is not media\n');
  });

  it('prints segment events and per-second summaries as JSON', async () => {
    const r = await cli(file('clip.mp4'), '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as MediaReport;
    expect(report.video?.frames).toBe(90);
    expect(report.audio?.blocks).toBeGreaterThanOrEqual(148);
    expect(eventProblems(report.events.filter((e) => e.channel === 'video'), [
      { type: 'scene_cut', pts: 1000 }, { type: 'black', state: 'start', pts: 1000 },
      { type: 'scene_cut', pts: 1500 }, { type: 'black', state: 'end', pts: 1500 },
    ], 34)).toEqual([]);
    const silence = report.events.filter((e) => e.type === 'silence');
    expect(eventProblems(silence, [{ type: 'silence', state: 'start', pts: 0 }, { type: 'silence', state: 'end', pts: 1000 }], 50)).toEqual([]);
    expect(report.seconds.map((s) => s.second)).toEqual([0, 1, 2]);
    expect(report.seconds[1]?.video?.blackFrames).toBe(15);
    expect(report.seconds[0]?.audio?.silentRatio).toBe(1);
  });

  it('prints the same as text by default', async () => {
    const r = await cli(file('clip.mp4'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/video: 90 frames, 2 scene cuts, 1 black and 0 frozen segments/);
    expect(r.stdout).toMatch(/^\s+1\.000 s\s+video\s+black\s+start$/m);
    expect(r.stdout).toContain('per second:');
  });

  it('reports an audio-only file with no video', async () => {
    await ffmpeg(['-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=mono', '-t', '1', file('quiet.wav')]);
    const r = await cli(file('quiet.wav'), '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as MediaReport;
    expect(report.video).toBeNull();
    expect(report.audio?.silenceSegments).toBe(1);
  });

  it('refuses a file that is not media with one line and exit code 2', async () => {
    const r = await cli(file('notes.txt'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^midstream: .*notes\.txt: cannot decode: /);
  });

  it('refuses a missing file with one line and exit code 2', async () => {
    const r = await cli(file('nope.mp4'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`midstream: ${file('nope.mp4')}: no such file or not readable\n`);
  });
});
