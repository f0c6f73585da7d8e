import { describe, expect, it } from 'vitest';
import { Resampler } from '../../src/realtime/resample.js';

function tone(rate: number, hz: number, seconds: number, amplitude = 10_000): Int16Array {
  const n = Math.round(rate * seconds);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i += 1) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate));
  return out;
}

/** Amplitude of the `hz` component (Goertzel-style projection onto sin and cos). */
function amplitudeAt(x: Int16Array, rate: number, hz: number): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < x.length; i += 1) {
    s += (x[i] ?? 0) * Math.sin((2 * Math.PI * hz * i) / rate);
    c += (x[i] ?? 0) * Math.cos((2 * Math.PI * hz * i) / rate);
  }
  return (2 * Math.hypot(s, c)) / x.length;
}

function rms(x: Int16Array): number {
  let e = 0;
  for (const v of x) e += v * v;
  return Math.sqrt(e / Math.max(1, x.length));
}

/** Drops the filter's start-up (its length) from both ends. */
function steady(x: Int16Array, margin = 200): Int16Array {
  return x.subarray(margin, x.length - margin);
}

const db = (ratio: number): number => 20 * Math.log10(ratio);

describe('Resampler (to 24 kHz PCM16)', () => {
  it('48 kHz → 24 kHz keeps a 1 kHz tone at its level, and makes half as many samples', () => {
    const r = new Resampler(48_000);
    const out = r.push(tone(48_000, 1000, 1));
    expect(Math.abs(out.length - 24_000)).toBeLessThanOrEqual(64);
    const a = amplitudeAt(steady(out), 24_000, 1000);
    expect(Math.abs(db(a / 10_000))).toBeLessThan(0.1);
  });

  it('keeps the passband flat to within 0.1 dB up to 9 kHz', () => {
    for (const hz of [100, 3000, 6000, 9000]) {
      const out = new Resampler(48_000).push(tone(48_000, hz, 0.5));
      expect(Math.abs(db(amplitudeAt(steady(out), 24_000, hz) / 10_000)), `${hz} Hz`).toBeLessThan(0.1);
    }
  });

  it('attenuates what would alias (from 12 kHz up) by at least 60 dB', () => {
    for (const hz of [12_100, 12_500, 13_000, 15_000, 20_000]) {
      const out = new Resampler(48_000).push(tone(48_000, hz, 0.5));
      // Everything left would sit at the folded frequency; measure all of it.
      expect(db(rms(steady(out)) / (10_000 / Math.SQRT2)), `${hz} Hz`).toBeLessThan(-60);
    }
  });

  it('converts 44.1 kHz and 16 kHz too (rational ratios, up and down)', () => {
    for (const rate of [44_100, 16_000, 24_000]) {
      const out = new Resampler(rate).push(tone(rate, 440, 1));
      expect(Math.abs(out.length - 24_000), `${rate}`).toBeLessThanOrEqual(64);
      expect(Math.abs(db(amplitudeAt(steady(out), 24_000, 440) / 10_000)), `${rate}`).toBeLessThan(0.1);
    }
  });

  it('gives the same samples however the input is cut into blocks (one phase at 48 kHz, 80 at 44.1 kHz)', () => {
    for (const rate of [48_000, 44_100, 16_000]) {
      const input = tone(rate, 1234, 0.3);
      const whole = new Resampler(rate).push(input);
      const r = new Resampler(rate);
      const parts: number[] = [];
      let seed = 7;
      for (let at = 0; at < input.length;) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        const n = 1 + (seed % 1500);
        parts.push(...r.push(input.subarray(at, at + n)));
        at += n;
      }
      expect(parts, `${rate}`).toEqual([...whole]);
    }
  });

  it('refuses a rate that is not a positive integer', () => {
    expect(() => new Resampler(0)).toThrow(RangeError);
    expect(() => new Resampler(44_100.5)).toThrow(/positive integers/);
  });
});
