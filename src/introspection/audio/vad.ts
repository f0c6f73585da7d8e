import type { SpectralFeatures } from './spectrum.js';
import { WindowMin } from './window-min.js';

/**
 * Frame-level voice activity decision after M. H. Moattar and M. M. Homayounpour, "A simple
 * but efficient real-time voice activity detection algorithm", EUSIPCO 2009. Three features
 * per frame — short-term energy, dominant frequency and spectral flatness — each vote when
 * it lies far enough above its background minimum, and two votes of three make speech.
 *
 * Adaptations, each for a reason:
 * - Frames are the pipeline's 20 ms blocks (the paper uses 10 ms), for 47 Hz FFT bins.
 * - Energy is in dBFS with a margin in dB: the paper's `40·log(Min_E)` depends on the scale
 *   of the samples and is undefined for digital silence.
 * - Background minima are minima over a sliding window (minimum statistics, Martin 2001)
 *   rather than the paper's first 30 frames plus an average over silent frames, so a stream
 *   that starts with speech or whose background changes recovers within one window; a
 *   steady tone or hum lasting longer than the window becomes background, too.
 * - Before any background was seen the flatness minimum is 2.5 dB: the expected flatness of
 *   a white-noise periodogram (10·γ/ln 10, γ Euler's constant), the flattest a real
 *   spectrum estimate gets on average.
 * - Blocks below an absolute gate are non-speech without spectral analysis (no features exist
 *   for digital silence, and it saves the FFT).
 * The paper's run-length rules (ignore speech shorter than 50 ms, silence shorter than
 * 100 ms) are the segment debounce in `AudioAnalyzer`.
 */
export interface VadOptions {
  /** Energy vote: block energy at least this many dB above the background minimum. */
  readonly energyMarginDb: number;
  /** Frequency vote: dominant frequency at least this far above its minimum (paper: 185 Hz). */
  readonly dominantHzMargin: number;
  /** Flatness vote: at least this many dB above its minimum (paper: 5). */
  readonly flatnessMarginDb: number;
  /** Blocks quieter than this (dBFS RMS) are never speech. */
  readonly gateDbfs: number;
  /** Length of the background-minimum window, in blocks (75 × 20 ms = 1.5 s). */
  readonly windowBlocks: number;
}

export const DEFAULT_VAD: VadOptions = {
  energyMarginDb: 10,
  dominantHzMargin: 185,
  flatnessMarginDb: 5,
  gateDbfs: -60,
  windowBlocks: 75,
};

/** Expected flatness of a white-noise periodogram in dB: 10·γ/ln 10. */
const WHITE_NOISE_FLATNESS_DB = (10 * 0.5772156649) / Math.LN10;

export interface VadDecision {
  readonly speech: boolean;
  /** How many of the three features voted for speech (0–3). */
  readonly votes: number;
}

export class MoattarVad {
  private readonly opts: VadOptions;
  private readonly energyMin: WindowMin;
  private readonly dominantMin: WindowMin;
  private readonly flatnessMin: WindowMin;

  constructor(opts: VadOptions = DEFAULT_VAD) {
    this.opts = opts;
    this.energyMin = new WindowMin(opts.windowBlocks);
    this.dominantMin = new WindowMin(opts.windowBlocks);
    this.flatnessMin = new WindowMin(opts.windowBlocks);
  }

  /** Whether a block of this energy needs its spectrum at all. */
  gated(energyDbfs: number): boolean {
    return energyDbfs < this.opts.gateDbfs;
  }

  /** Decides one block. `features` is null for gated blocks. */
  push(energyDbfs: number, features: SpectralFeatures | null): VadDecision {
    const o = this.opts;
    let votes = 0;
    if (features !== null) {
      if (energyDbfs - this.energyMin.min(energyDbfs) >= o.energyMarginDb) votes++;
      if (features.dominantHz - this.dominantMin.min(0) >= o.dominantHzMargin) votes++;
      if (features.flatnessDb - this.flatnessMin.min(WHITE_NOISE_FLATNESS_DB) >= o.flatnessMarginDb) votes++;
      this.dominantMin.push(features.dominantHz);
      this.flatnessMin.push(features.flatnessDb);
    }
    this.energyMin.push(energyDbfs);
    return { speech: votes >= 2, votes };
  }
}
