/**
 * Streaming sample-rate conversion of mono PCM16 to the rate the OpenAI Realtime API takes
 * (24 kHz). A polyphase FIR: upsample by L, low-pass, downsample by M (L/M = out/in in lowest
 * terms), computing only the output samples, from a Kaiser-windowed sinc.
 *
 * Written here because no maintained pure-JS streaming resampler is on npm (the usual ones
 * are WebAssembly builds of libsamplerate/soxr or do block-wise linear interpolation, which
 * aliases); the decoder's ffmpeg already produces the analysis rate, and a second ffmpeg
 * output per stream just for this would cost a pipe and a process's worth of buffering.
 *
 * With the defaults (96 taps per phase, Kaiser β 8, cutoff 0.45 of the lower rate) the
 * passband at 48 → 24 kHz is flat to within 0.1 dB up to 9 kHz (−0.3 dB at 10 kHz), and
 * anything from the output's Nyquist frequency (12 kHz) up, which would fold back, is
 * attenuated by ≥ 60 dB (test/realtime/resample.test.ts measures both; 64 taps gave only
 * 33 dB at 12.1 kHz).
 */
export class Resampler {
  readonly inRate: number;
  readonly outRate: number;
  /** Upsampling factor L and downsampling factor M. */
  private readonly up: number;
  private readonly down: number;
  private readonly taps: number;
  /** phases[p][j]: coefficient j of phase p (reversed-time order: j-th newest input). */
  private readonly phases: Float64Array[];
  /** Input history: the last `taps - 1` samples before `buf`'s new ones, then the new ones. */
  private buf = new Float64Array(0);
  /** Absolute index (in input samples) of buf[0]. */
  private bufStart = 0;
  /** Index of the next output sample. */
  private nextOut = 0;

  constructor(inRate: number, outRate = 24_000, tapsPerPhase = 96, beta = 8) {
    if (!Number.isInteger(inRate) || !Number.isInteger(outRate) || inRate <= 0 || outRate <= 0) {
      throw new RangeError(`sample rates must be positive integers (got ${inRate} → ${outRate})`);
    }
    if (!Number.isInteger(tapsPerPhase) || tapsPerPhase < 2) throw new RangeError(`tapsPerPhase must be an integer ≥ 2 (got ${tapsPerPhase})`);
    const g = gcd(inRate, outRate);
    this.inRate = inRate;
    this.outRate = outRate;
    this.up = outRate / g;
    this.down = inRate / g;
    this.taps = tapsPerPhase;
    const total = this.up * tapsPerPhase;
    // Cutoff in cycles per sample of the upsampled signal: below both Nyquist frequencies.
    const fc = 0.45 / Math.max(this.up, this.down);
    const center = (total - 1) / 2;
    const i0b = besselI0(beta);
    const h = new Float64Array(total);
    for (let k = 0; k < total; k += 1) {
      const t = k - center;
      const sinc = t === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * t) / (Math.PI * t);
      const r = (2 * k) / (total - 1) - 1;
      h[k] = this.up * sinc * (besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0b);
    }
    // Normalise each phase's DC gain to 1 so a constant stays constant whatever the phase.
    this.phases = [];
    for (let p = 0; p < this.up; p += 1) {
      const coeffs = new Float64Array(tapsPerPhase);
      let sum = 0;
      for (let j = 0; j < tapsPerPhase; j += 1) sum += h[p + j * this.up] ?? 0;
      for (let j = 0; j < tapsPerPhase; j += 1) coeffs[j] = (h[p + j * this.up] ?? 0) / (sum === 0 ? 1 : sum);
      this.phases.push(coeffs);
    }
    // Start with silence as history so the first outputs are defined.
    this.buf = new Float64Array(tapsPerPhase - 1);
    this.bufStart = -(tapsPerPhase - 1);
  }

  /** Delay the filter adds, in milliseconds of media time (half its length). */
  get delayMs(): number {
    return ((this.taps - 1) / 2 / this.inRate) * 1000;
  }

  /** Feeds input samples; returns the output samples they complete (may be empty). */
  push(input: Int16Array): Int16Array {
    const merged = new Float64Array(this.buf.length + input.length);
    merged.set(this.buf);
    for (let i = 0; i < input.length; i += 1) merged[this.buf.length + i] = input[i] ?? 0;
    const end = this.bufStart + merged.length; // one past the newest input index
    const { up, down, taps } = this;
    // Outputs this call makes: those whose newest input sample is below `end`.
    const count = Math.max(0, Math.ceil((end * up) / down) - this.nextOut);
    const out = new Float64Array(count);
    for (let k = 0; k < count; k += 1) {
      const pos = this.nextOut * down; // position on the upsampled grid
      const newest = Math.floor(pos / up); // newest input sample this output uses
      const phase = this.phases[pos - newest * up] as Float64Array;
      let acc = 0;
      // merged[at - j] for j < taps is in range: `taps - 1` samples of history are kept.
      const at = newest - this.bufStart;
      for (let j = 0; j < taps; j += 1) acc += (phase[j] as number) * (merged[at - j] as number);
      out[k] = acc;
      this.nextOut += 1;
    }
    // Keep what the next outputs still need: the `taps - 1` samples before the next newest.
    const nextNewest = Math.floor((this.nextOut * down) / up);
    const keepFrom = Math.max(0, Math.min(merged.length, nextNewest - (taps - 1) - this.bufStart));
    this.buf = merged.slice(keepFrom);
    this.bufStart += keepFrom;
    const result = new Int16Array(out.length);
    for (let i = 0; i < out.length; i += 1) result[i] = Math.max(-32768, Math.min(32767, Math.round(out[i] ?? 0)));
    return result;
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for β ≤ 20). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k += 1) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}
