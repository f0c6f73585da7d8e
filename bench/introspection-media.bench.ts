/**
 * Frames per second through the video analyzers at 320×180 and 20 ms blocks per second
 * through the audio analyzers, each next to a same-run baseline that touches the same data
 * once (a plain loop summing the pixels / the squared samples). Rates are per core: items
 * over the process's CPU time (user + system) per round, median of several rounds, so that
 * other work on a shared machine does not count against us; the p99 per call is CPU time too
 * (it includes what GC threads spend meanwhile).
 */
import { VideoAnalyzer } from '../src/introspection/video/index.js';
import { AudioAnalyzer } from '../src/introspection/audio/index.js';
import type { AudioFrame, VideoFrame } from '../src/media/types.js';

const ROUNDS = 7;
const WIDTH = 320;
const HEIGHT = 180;
const VIDEO_FRAMES = 600; // 20 s at 30 fps per round
const AUDIO_BLOCKS = 3000; // 60 s of 20 ms blocks per round

/** Deterministic noise, so every run measures the same input. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/** A drifting ramp with sensor-like noise and a hard cut every 90 frames: every analyzer path runs. */
function makeVideo(): VideoFrame[] {
  const rand = lcg(1);
  return Array.from({ length: VIDEO_FRAMES }, (_, i) => {
    const data = new Uint8Array(WIDTH * HEIGHT);
    const shot = Math.floor(i / 90) % 2;
    for (let y = 0; y < HEIGHT; y++) {
      for (let x = 0; x < WIDTH; x++) {
        const base = shot === 0 ? 40 + ((x + y + 3 * i) % 160) : (((x + i) >> 4) + (y >> 4)) % 2 === 0 ? 30 : 220;
        data[y * WIDTH + x] = Math.min(255, base + Math.floor(rand() * 6));
      }
    }
    return { kind: 'video', streamId: 'bench', pts: Math.round((i * 1000) / 30), index: i, width: WIDTH, height: HEIGHT, format: 'gray8', data };
  });
}

/** Voiced-speech-like blocks (harmonics of a wandering 120–220 Hz pitch, syllable-rate envelope, noise): the FFT path runs on every block. */
function makeAudio(): AudioFrame[] {
  const rand = lcg(2);
  return Array.from({ length: AUDIO_BLOCKS }, (_, b) => {
    const samples = new Int16Array(960);
    for (let i = 0; i < 960; i++) {
      const t = (b * 960 + i) / 48_000;
      const f0 = 170 + 50 * Math.sin(2 * Math.PI * 0.7 * t);
      const envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
      let v = 0;
      for (let h = 1; h <= 8; h++) v += Math.sin(2 * Math.PI * f0 * h * t) / h;
      samples[i] = Math.round(6000 * envelope * v + 300 * (rand() - 0.5));
    }
    return { kind: 'audio', streamId: 'bench', pts: b * 20, index: b, sampleRate: 48_000, channels: 1, format: 's16', samples };
  });
}

interface Figures {
  perSecond: number;
  p99Us: number;
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const sinkOf = (out: unknown): number => (typeof out === 'number' ? out : Array.isArray(out) ? out.length : 0);

/**
 * A JIT warm-up round, ROUNDS timed rounds (median rate per CPU second), then one round timing
 * every call for the p99 (kept apart, so the per-call clock reads do not slow the rate rounds).
 */
function measure<T>(items: readonly T[], make: () => (item: T) => unknown): Figures {
  const rates: number[] = [];
  const calls: number[] = [];
  let sink = 0;
  for (let r = 0; r <= ROUNDS; r++) {
    const step = make();
    const start = cpuMs();
    for (const item of items) sink += sinkOf(step(item));
    if (r > 0) rates.push((items.length * 1000) / (cpuMs() - start));
  }
  const step = make();
  for (const item of items) {
    const t0 = cpuMs();
    sink += sinkOf(step(item));
    calls.push(cpuMs() - t0);
  }
  if (sink === -1) console.log('unreachable'); // keeps the work observable to the optimiser
  rates.sort((a, b) => a - b);
  calls.sort((a, b) => a - b);
  return { perSecond: rates[Math.floor(rates.length / 2)]!, p99Us: calls[Math.floor(calls.length * 0.99)]! * 1000 };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

const video = makeVideo();
const videoBaseline = measure(video, () => (f) => {
  let s = 0;
  const d = f.data;
  for (let i = 0; i < d.length; i++) s += d[i]!;
  return s;
});
const videoAnalyzer = measure(video, () => {
  const a = new VideoAnalyzer();
  return (f) => a.process(f);
});
console.log(`video ${WIDTH}x${HEIGHT}, ${VIDEO_FRAMES} frames x ${ROUNDS} rounds`);
console.log(`  baseline (sum of pixels)      ${fmt(videoBaseline.perSecond).padStart(9)} frames/s per core   p99 ${videoBaseline.p99Us.toFixed(1)} us/frame`);
console.log(`  VideoAnalyzer (all detectors) ${fmt(videoAnalyzer.perSecond).padStart(9)} frames/s per core   p99 ${videoAnalyzer.p99Us.toFixed(1)} us/frame`);
console.log(`  ratio analyzer/baseline       ${(videoAnalyzer.perSecond / videoBaseline.perSecond).toFixed(3)}   (${fmt(videoAnalyzer.perSecond / 30)} streams of 30 fps per core)`);

const audio = makeAudio();
const audioBaseline = measure(audio, () => (f) => {
  let s = 0;
  const d = f.samples;
  for (let i = 0; i < d.length; i++) s += d[i]! * d[i]!;
  return s;
});
const audioAnalyzer = measure(audio, () => {
  const a = new AudioAnalyzer();
  return (f) => a.process(f);
});
console.log(`audio 48 kHz mono, 20 ms blocks, ${AUDIO_BLOCKS} blocks x ${ROUNDS} rounds`);
console.log(`  baseline (sum of squares)     ${fmt(audioBaseline.perSecond).padStart(9)} blocks/s per core   p99 ${audioBaseline.p99Us.toFixed(1)} us/block`);
console.log(`  AudioAnalyzer (levels+VAD)    ${fmt(audioAnalyzer.perSecond).padStart(9)} blocks/s per core   p99 ${audioAnalyzer.p99Us.toFixed(1)} us/block`);
console.log(`  ratio analyzer/baseline       ${(audioAnalyzer.perSecond / audioBaseline.perSecond).toFixed(3)}   (${fmt(audioAnalyzer.perSecond / 50)}x real time per core)`);
