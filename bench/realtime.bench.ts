/**
 * The Realtime bridge's per-audio cost: every 20 ms block of 48 kHz mono PCM16 resampled to
 * 24 kHz (polyphase FIR, 96 taps per phase) and, every 100 ms, base64-encoded into an
 * `input_audio_buffer.append` JSON event, as the bridge does for each stream. Baselines in
 * the same run: the base64 + JSON of the same audio without resampling (what an unfiltered
 * 2:1 decimation would cost, which aliases), and ffmpeg's own resampler (libswresample's
 * default) on the same 60 s, as a whole process.
 * Prints CPU per second of audio and how many streams one core keeps up with.
 */
import { spawnSync } from 'node:child_process';
import { Resampler } from '../src/realtime/resample.js';

const RATE = 48_000;
const SECONDS = 60;
const BLOCK = 960;

function speechLike(): Int16Array {
  const n = RATE * SECONDS;
  const x = new Int16Array(n);
  let seed = 1;
  for (let i = 0; i < n; i += 1) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const noise = (seed / 2 ** 32 - 0.5) * 2000;
    x[i] = Math.round(6000 * Math.sin((2 * Math.PI * 180 * i) / RATE) * Math.sin((2 * Math.PI * 3 * i) / RATE) + noise);
  }
  return x;
}

const audio = speechLike();

function appendEvent(samples: Int16Array): string {
  return JSON.stringify({ type: 'input_audio_buffer.append', audio: Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength).toString('base64') });
}

function ours(): number {
  const r = new Resampler(RATE);
  let pending: Int16Array[] = [];
  let count = 0;
  let bytes = 0;
  for (let at = 0; at < audio.length; at += BLOCK) {
    const out = r.push(audio.subarray(at, at + BLOCK));
    pending.push(out);
    count += out.length;
    if (count >= 2400) {
      const merged = new Int16Array(count);
      let o = 0;
      for (const p of pending) {
        merged.set(p, o);
        o += p.length;
      }
      bytes += appendEvent(merged).length;
      pending = [];
      count = 0;
    }
  }
  return bytes;
}

function decimateOnly(): number {
  let bytes = 0;
  for (let at = 0; at < audio.length; at += BLOCK * 5) {
    const block = audio.subarray(at, at + BLOCK * 5);
    const out = new Int16Array(block.length / 2);
    for (let i = 0; i < out.length; i += 1) out[i] = block[2 * i] ?? 0;
    bytes += appendEvent(out).length;
  }
  return bytes;
}

function timeCpu(fn: () => number): number {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

ours();
decimateOnly();
const runs = 7;
const oursS = median(Array.from({ length: runs }, () => timeCpu(ours)));
const baseS = median(Array.from({ length: runs }, () => timeCpu(decimateOnly)));

// ffmpeg's resampler on the same audio, as a process (its CPU includes reading and writing pipes).
const raw = Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength);
let ffS: number | null = null;
const ffRuns: number[] = [];
for (let i = 0; i < 3; i += 1) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 's16le', '-ar', '48000', '-ac', '1', '-i', 'pipe:0', '-ar', '24000', '-f', 's16le', 'pipe:1'], { input: raw, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) break;
  ffRuns.push(Number(process.hrtime.bigint() - t0) / 1e9);
}
if (ffRuns.length > 0) ffS = median(ffRuns);

const perSec = (s: number): string => `${((s / SECONDS) * 1e3).toFixed(3)} ms CPU per s of audio`;
console.log(`Realtime bridge audio path, ${SECONDS} s of 48 kHz mono, median of ${runs}`);
console.log(`  ours (resample 48→24 kHz + base64 append events): ${oursS.toFixed(3)} s  ${perSec(oursS)}  ≈ ${Math.floor(SECONDS / oursS)} streams per core`);
console.log(`  baseline (2:1 pick, no filter, + base64 events):  ${baseS.toFixed(3)} s  ${perSec(baseS)}`);
console.log(`  ratio ours / baseline: ${(oursS / baseS).toFixed(2)}×`);
if (ffS !== null) console.log(`  ffmpeg -ar 24000 on the same audio (wall clock, whole process): ${ffS.toFixed(3)} s  ratio ours / ffmpeg: ${(oursS / ffS).toFixed(2)}×`);
