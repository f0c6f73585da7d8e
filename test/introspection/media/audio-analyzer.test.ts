import { describe, expect, it } from 'vitest';
import {
  AudioAnalyzer, DBFS_FLOOR, measureLevels, MoattarVad, SpectrumAnalyzer, type AudioFinding,
} from '../../../src/introspection/audio/index.js';
import type { AudioFrame } from '../../../src/media/types.js';
import { eventProblems } from './expect-events.js';

const RATE = 48_000;
const BLOCK = 960;

function block(index: number, samples: Int16Array): AudioFrame {
  return { kind: 'audio', streamId: 's', pts: index * 20, index, sampleRate: RATE, channels: 1, format: 's16', samples };
}
function signal(fn: (t: number, i: number) => number, blocks = 1, from = 0): Int16Array[] {
  return Array.from({ length: blocks }, (_, b) => {
    const s = new Int16Array(BLOCK);
    for (let i = 0; i < BLOCK; i++) {
      const n = (from + b) * BLOCK + i;
      s[i] = Math.max(-32768, Math.min(32767, Math.round(fn(n / RATE, n))));
    }
    return s;
  });
}
const sine = (hz: number, amplitude: number) => (t: number): number => amplitude * Math.sin(2 * Math.PI * hz * t);
/** Deterministic uniform noise (an LCG), amplitude in sample units. */
function noise(amplitude: number, seed = 1): () => number {
  let x = seed;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return (x / 2 ** 32 - 0.5) * 2 * amplitude;
  };
}
function analyze(blocks: readonly Int16Array[], a = new AudioAnalyzer()): AudioFinding[] {
  return [...blocks.flatMap((s, i) => a.process(block(i, s))), ...a.finish()];
}
const events = (fs: AudioFinding[]): AudioFinding[] => fs.filter((f) => f.type !== 'level');

describe('measureLevels', () => {
  it('reads RMS and peak in dBFS (a sine at amplitude A: peak 20·log10(A/32768), RMS 3.01 dB lower)', () => {
    const [s] = signal(sine(1000, 16384));
    const l = measureLevels(s!);
    expect(l.peakDbfs).toBeCloseTo(-6.02, 1);
    expect(l.rmsDbfs).toBeCloseTo(-9.03, 1);
    expect(l.clippedSamples).toBe(0);
  });

  it('reads digital silence as the floor, not -Infinity', () => {
    expect(measureLevels(new Int16Array(BLOCK))).toEqual({ rmsDbfs: DBFS_FLOOR, peakDbfs: DBFS_FLOOR, clippedSamples: 0 });
  });

  it('counts rail samples only in runs of at least three', () => {
    const s = new Int16Array(BLOCK);
    s[10] = 32767; // a lone full-scale peak is legitimate
    s.fill(-32768, 100, 103);
    s.fill(32767, 500, 510);
    expect(measureLevels(s).clippedSamples).toBe(13);
    expect(measureLevels(s).peakDbfs).toBe(0);
  });
});

describe('SpectrumAnalyzer', () => {
  it('finds the dominant frequency within a bin and tells a tone from white noise by flatness', () => {
    const spectrum = new SpectrumAnalyzer(BLOCK, RATE);
    const tone = spectrum.analyze(signal(sine(700, 8000))[0]!);
    expect(Math.abs(tone.dominantHz - 700)).toBeLessThan(RATE / 1024);
    const rand = noise(8000);
    const white = spectrum.analyze(signal(() => rand())[0]!);
    expect(white.flatnessDb).toBeLessThan(5);
    expect(tone.flatnessDb).toBeGreaterThan(white.flatnessDb + 10);
  });
});

describe('MoattarVad', () => {
  it('never calls gated (near-silent) blocks speech', () => {
    const vad = new MoattarVad();
    expect(vad.gated(-80)).toBe(true);
    expect(vad.push(-80, null)).toEqual({ speech: false, votes: 0 });
  });
});

describe('AudioAnalyzer', () => {
  it('emits one level finding per block with the block pts', () => {
    const fs = analyze(signal(sine(440, 3000), 3)).filter((f) => f.type === 'level');
    expect(fs.map((f) => f.pts)).toEqual([0, 20, 40]);
  });

  it('finds silence segments at the right blocks, ignoring pauses shorter than the minimum', () => {
    const rand = noise(3000);
    const loud = (n: number, from: number): Int16Array[] => signal(() => rand(), n, from);
    const quiet = (n: number): Int16Array[] => Array.from({ length: n }, () => new Int16Array(BLOCK));
    // 0.4 s loud, 0.6 s silent, 0.2 s loud, 0.2 s silent (too short), 0.4 s loud
    const blocks = [...loud(20, 0), ...quiet(30), ...loud(10, 50), ...quiet(10), ...loud(20, 70)];
    expect(eventProblems(events(analyze(blocks)).filter((e) => e.type === 'silence'), [
      { type: 'silence', state: 'start', pts: 400 }, { type: 'silence', state: 'end', pts: 1000 },
    ], 0)).toEqual([]);
  });

  it('finds clipping from its first clipped block to the first clean one', () => {
    const blocks = [...signal(sine(440, 16000), 10), ...signal(sine(440, 60000), 10, 10), ...signal(sine(440, 16000), 20, 20)];
    expect(eventProblems(events(analyze(blocks)).filter((e) => e.type === 'clipping'), [
      { type: 'clipping', state: 'start', pts: 200 }, { type: 'clipping', state: 'end', pts: 400 },
    ], 0)).toEqual([]);
  });

  it('does not take steady noise for speech', () => {
    const rand = noise(4000, 7);
    const fs = analyze(signal(() => rand(), 150));
    expect(events(fs).filter((e) => e.type === 'vad')).toEqual([]);
  });

  it('downmixes interleaved stereo before measuring', () => {
    const stereo = new Int16Array(BLOCK * 2);
    for (let i = 0; i < BLOCK; i++) {
      stereo[2 * i] = 10000;
      stereo[2 * i + 1] = -10000; // opposite phase: the mono mix is silent
    }
    const [level] = new AudioAnalyzer().process({ ...block(0, stereo), channels: 2 });
    expect(level?.type === 'level' && level.data.rmsDbfs).toBe(DBFS_FLOOR);
  });
});

describe('AudioAnalyzer across a timeline restart', () => {
  it('closes open segments where the old timeline ended when pts goes backwards', () => {
    const a = new AudioAnalyzer();
    const found: AudioFinding[] = [];
    for (let i = 0; i < 30; i++) found.push(...a.process(block(i, new Int16Array(BLOCK))));
    found.push(...a.process(block(0, new Int16Array(BLOCK))));
    const ends = found.filter((f) => f.type === 'silence' && f.data.state === 'end');
    expect(ends.map((e) => e.pts)).toEqual([600]);
  });
});
