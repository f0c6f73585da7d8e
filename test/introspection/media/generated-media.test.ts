/**
 * The analyzers on real decoded media: ffmpeg/sox/espeak-ng make short clips with events at
 * known times, the gateway's decoder decodes them, and every event must be found at the right
 * time (± 1 frame for video, ± 50 ms for audio) with nothing else reported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { VideoAnalyzer, type VideoFinding } from '../../../src/introspection/video/index.js';
import { AudioAnalyzer, type AudioFinding } from '../../../src/introspection/audio/index.js';
import { decodeAudio, decodeVideo, exec, ffmpeg, tempDir } from './decode.js';
import { eventProblems, type ExpectedEvent } from './expect-events.js';

const FRAME_MS = 1000 / 30;
const VIDEO_TOLERANCE_MS = FRAME_MS + 1; // ± 1 frame (pts are whole ms)
const AUDIO_TOLERANCE_MS = 50;
const S = 'size=320x180:rate=30';

const tmp = tempDir();
afterAll(() => tmp.remove());
const file = (name: string): string => path.join(tmp.dir, name);

async function videoEvents(name: string): Promise<VideoFinding[]> {
  const a = new VideoAnalyzer();
  const found = (await decodeVideo(file(name))).flatMap((f) => a.process(f));
  return [...found, ...a.finish()].filter((f) => f.type !== 'frame');
}
async function audioEvents(name: string): Promise<AudioFinding[]> {
  const a = new AudioAnalyzer();
  const found = (await decodeAudio(file(name))).flatMap((f) => a.process(f));
  return [...found, ...a.finish()].filter((f) => f.type !== 'level');
}
const frameAt = (n: number): number => n * FRAME_MS;

describe('video analyzers on generated video', () => {
  beforeAll(async () => {
    await Promise.all([
      // 0–1 s testsrc2 | 1–1.5 s black | 1.5–2.5 s another look | 2.5–3.5 s a third, whose last
      // frame then freezes for 1 s | 4.5–5.5 s a fourth. Lossless, so a freeze is bit-exact.
      ffmpeg([
        '-f', 'lavfi', '-i', `testsrc2=${S}:duration=1`,
        '-f', 'lavfi', '-i', `color=black:${S}:duration=0.5`,
        '-f', 'lavfi', '-i', `testsrc2=${S}:duration=1,vflip,hue=h=120`,
        '-f', 'lavfi', '-i', `testsrc2=${S}:duration=1,negate,tpad=stop_mode=clone:stop_duration=1`,
        '-f', 'lavfi', '-i', `testsrc2=${S}:duration=1,hflip`,
        '-filter_complex', '[0:v][1:v][2:v][3:v][4:v]concat=n=5:v=1:a=0,format=yuv420p[v]',
        '-map', '[v]', '-c:v', 'ffv1', file('cuts.mkv'),
      ]),
      // A shaky handheld shot (every frame jumps 5–35 luma levels) cut to another shaky shot at
      // 3 s, then at 5 s a calm shot that stalls on frame 29 for frames 30–59 and carries on.
      ffmpeg([
        '-f', 'lavfi', '-i', `testsrc2=size=352x198:rate=30:duration=3,${shake}`,
        '-f', 'lavfi', '-i', `testsrc2=size=352x198:rate=30:duration=2,negate,${shake}`,
        '-f', 'lavfi', '-i', `testsrc2=${S}:duration=3`,
        '-filter_complex',
        '[2:v]split[m][r];[m][r]freezeframes=first=30:last=59:replace=29[fz];[0:v][1:v][fz]concat=n=3:v=1:a=0,format=yuv420p[v]',
        '-map', '[v]', '-c:v', 'ffv1', file('shaky.mkv'),
      ]),
    ]);
  });

  it('finds the hard cuts, the black stretch and the frozen stretch', async () => {
    const expected: ExpectedEvent[] = [
      { type: 'scene_cut', pts: 1000 }, { type: 'black', state: 'start', pts: 1000 },
      { type: 'scene_cut', pts: 1500 }, { type: 'black', state: 'end', pts: 1500 },
      { type: 'scene_cut', pts: 2500 },
      // the third shot's last frame (frame 29 of it, 104 overall) is shown until the cut at 4.5 s
      { type: 'frozen', state: 'start', pts: frameAt(104) }, { type: 'frozen', state: 'end', pts: 4500 },
      { type: 'scene_cut', pts: 4500 },
    ];
    expect(eventProblems(await videoEvents('cuts.mkv'), expected, VIDEO_TOLERANCE_MS)).toEqual([]);
  });

  it('adapts its cut threshold to a shaky camera, and finds a freeze inside a shot', async () => {
    const expected: ExpectedEvent[] = [
      { type: 'scene_cut', pts: 3000 },
      { type: 'scene_cut', pts: 5000 },
      { type: 'frozen', state: 'start', pts: 5000 + frameAt(29) }, { type: 'frozen', state: 'end', pts: 5000 + frameAt(60) },
    ];
    expect(eventProblems(await videoEvents('shaky.mkv'), expected, VIDEO_TOLERANCE_MS)).toEqual([]);
  });
});

/** A deterministic camera shake: crop a 320×180 window whose offset jumps every frame. */
const shake = "crop=320:180:x='16+16*sin(n*1.7)*random(0)':y='9+9*cos(n*2.3)*random(1)'";

const run = promisify(execFile);
async function samplesOf(wav: string): Promise<number> {
  const { stdout } = await run('soxi', ['-s', wav]);
  return Number(stdout.trim());
}
/** espeak-ng speech, resampled to 48 kHz mono and trimmed so it starts and ends with speech. */
async function speak(text: string, name: string): Promise<number> {
  await exec('espeak-ng', ['-w', file(`${name}-raw.wav`), text]);
  await exec('sox', [file(`${name}-raw.wav`), '-r', '48000', '-c', '1', '-b', '16', file(`${name}.wav`),
    'silence', '1', '0.01', '0.5%', 'reverse', 'silence', '1', '0.01', '0.5%', 'reverse']);
  return ((await samplesOf(file(`${name}.wav`))) * 1000) / 48_000;
}

describe('audio analyzers on generated audio', () => {
  let phrase1Ms = 0;
  let phrase2Ms = 0;

  beforeAll(async () => {
    [phrase1Ms, phrase2Ms] = await Promise.all([
      speak('the quick brown fox jumps over the lazy dog', 'p1'),
      speak('hello from the media gateway', 'p2'),
    ]);
    await exec('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', file('silence.wav'), 'trim', '0', '1.0']);
    await Promise.all([
      // 1 s silence | phrase 1 | 1 s silence | phrase 2 | 1 s silence
      exec('sox', [file('silence.wav'), file('p1.wav'), file('silence.wav'), file('p2.wav'), file('silence.wav'), file('speech.wav')]),
      // phrase 2 at 1.5 s over a pink-noise bed at about −47 dBFS: speech, but never silence
      (async () => {
        // -R: the same noise every run (sox seeds its generator from the clock otherwise, and a
        // clean-clone run met a noise draw that moved the VAD's end by 180 ms).
        await exec('sox', ['-R', '-n', '-r', '48000', '-c', '1', '-b', '16', file('pink.wav'), 'synth', '4', 'pinknoise', 'vol', '0.02']);
        await exec('sox', [file('p2.wav'), file('p2-late.wav'), 'pad', '1.5', '0']);
        // -v 1 on each input: sox -m otherwise scales every input by 1/n
        await exec('sox', ['-m', '-v', '1', file('pink.wav'), '-v', '1', file('p2-late.wav'), file('noisy.wav')]);
      })(),
      // 440 Hz at −6 dBFS for 1 s, driven 12 dB into the rails for 0.5 s, clean again for 1 s
      // (lavfi's sine has amplitude 1/8, hence the gains 4 and 32)
      ffmpeg([
        '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=2.5',
        '-af', "volume='if(between(t,1,1.5),32,4)':eval=frame", '-ar', '48000', '-ac', '1', '-c:a', 'pcm_s16le',
        file('clipped.wav'),
      ]),
    ]);
  });

  it('finds speech with the VAD and the silences around it', async () => {
    const speech2At = 2000 + phrase1Ms;
    const end = 3000 + phrase1Ms + phrase2Ms;
    const expected: ExpectedEvent[] = [
      { type: 'silence', state: 'start', pts: 0 }, { type: 'silence', state: 'end', pts: 1000 },
      { type: 'vad', state: 'start', pts: 1000 }, { type: 'vad', state: 'end', pts: 1000 + phrase1Ms },
      { type: 'silence', state: 'start', pts: 1000 + phrase1Ms }, { type: 'silence', state: 'end', pts: speech2At },
      { type: 'vad', state: 'start', pts: speech2At }, { type: 'vad', state: 'end', pts: speech2At + phrase2Ms },
      { type: 'silence', state: 'start', pts: speech2At + phrase2Ms }, { type: 'silence', state: 'end', pts: end },
    ];
    expect(eventProblems(await audioEvents('speech.wav'), expected, AUDIO_TOLERANCE_MS)).toEqual([]);
  });

  it('finds speech over background noise without taking the noise for speech or silence', async () => {
    const expected: ExpectedEvent[] = [
      { type: 'vad', state: 'start', pts: 1500 }, { type: 'vad', state: 'end', pts: 1500 + phrase2Ms },
    ];
    expect(eventProblems(await audioEvents('noisy.wav'), expected, AUDIO_TOLERANCE_MS)).toEqual([]);
  });

  it('finds the clipped stretch', async () => {
    const found = (await audioEvents('clipped.wav')).filter((e) => e.type === 'clipping' || e.type === 'silence');
    expect(eventProblems(found, [
      { type: 'clipping', state: 'start', pts: 1000 }, { type: 'clipping', state: 'end', pts: 1500 },
    ], AUDIO_TOLERANCE_MS)).toEqual([]);
  });
});
