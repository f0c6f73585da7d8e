import FFT from 'fft.js';

/** The two spectral features of the Moattar–Homayounpour VAD, for one block. */
export interface SpectralFeatures {
  /** Frequency of the strongest bin in the analysed band, Hz. */
  readonly dominantHz: number;
  /**
   * Spectral flatness as a positive number of dB, −10·log10(geometric mean / arithmetic mean)
   * of the power spectrum: 0 for a perfectly flat spectrum, large for a peaky (voiced, tonal) one.
   */
  readonly flatnessDb: number;
}

/**
 * Hann-windowed power spectrum of a block (zero-padded to a power of two) and the features the
 * VAD needs, over `lowHz`–`highHz`: the telephone band, where voiced speech has its
 * harmonics and formants, so that hiss above it does not flatten the measure. The FFT is
 * fft.js; this class only owns its buffers so that a block costs no allocation.
 */
export class SpectrumAnalyzer {
  private readonly fft: FFT;
  private readonly input: Float64Array;
  private readonly window: Float64Array;
  private readonly out: number[];
  private readonly firstBin: number;
  private readonly lastBin: number;
  private readonly binHz: number;

  constructor(blockSamples: number, sampleRate: number, lowHz = 80, highHz = 4000) {
    let size = 16;
    while (size < blockSamples) size *= 2;
    this.fft = new FFT(size);
    this.input = new Float64Array(size);
    this.out = this.fft.createComplexArray() as number[];
    this.window = new Float64Array(blockSamples);
    for (let i = 0; i < blockSamples; i++) this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (blockSamples - 1));
    this.binHz = sampleRate / size;
    this.firstBin = Math.max(1, Math.ceil(lowHz / this.binHz));
    this.lastBin = Math.min(size / 2, Math.floor(highHz / this.binHz));
  }

  /** `samples` must hold the block length given to the constructor. */
  analyze(samples: ArrayLike<number>): SpectralFeatures {
    const w = this.window;
    for (let i = 0; i < w.length; i++) this.input[i] = (samples[i] ?? 0) * w[i]!;
    this.fft.realTransform(this.out, this.input);
    const out = this.out;
    let best = 0;
    let bestBin = this.firstBin;
    let sum = 0;
    let logSum = 0;
    for (let k = this.firstBin; k <= this.lastBin; k++) {
      const re = out[2 * k]!;
      const im = out[2 * k + 1]!;
      // The tiny offset keeps log() finite for exact zeros; it is far below any real bin.
      const p = re * re + im * im + 1e-12;
      sum += p;
      logSum += Math.log(p);
      if (p > best) {
        best = p;
        bestBin = k;
      }
    }
    const bins = this.lastBin - this.firstBin + 1;
    const logRatio = logSum / bins - Math.log(sum / bins);
    return { dominantHz: bestBin * this.binHz, flatnessDb: (-10 * logRatio) / Math.LN10 };
  }
}
