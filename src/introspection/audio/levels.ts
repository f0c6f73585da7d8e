/** Levels of one block of s16 samples. */
export interface BlockLevels {
  /** RMS level, dB relative to full scale (a full-scale sine reads −3.01). */
  readonly rmsDbfs: number;
  /** Largest absolute sample, dBFS. */
  readonly peakDbfs: number;
  /** Samples that belong to clipped runs (see `measureLevels`). */
  readonly clippedSamples: number;
}

/** dBFS reported for digital silence: JSON has no −Infinity, and nothing real is this quiet. */
export const DBFS_FLOOR = -100;
const FULL_SCALE = 32768;

export function toDbfs(amplitude: number): number {
  return amplitude > 0 ? Math.max(DBFS_FLOOR, 20 * Math.log10(amplitude / FULL_SCALE)) : DBFS_FLOOR;
}

/**
 * RMS, peak and clipping of a block in one pass. A sample is clipped when it sits on a rail
 * (±32767/−32768) in a run of at least `minClipRun` such samples: a single full-scale
 * sample is a legitimate peak, a flat top at the rail is not (Audacity's "Find Clipping"
 * uses the same rule, with runs of 3). Runs that straddle two blocks are counted per block.
 */
export function measureLevels(samples: Int16Array, minClipRun = 3): BlockLevels {
  const n = samples.length;
  if (n === 0) return { rmsDbfs: DBFS_FLOOR, peakDbfs: DBFS_FLOOR, clippedSamples: 0 };
  let squares = 0;
  let peak = 0;
  let clipped = 0;
  let run = 0;
  for (let i = 0; i < n; i++) {
    const x = samples[i]!;
    const a = x < 0 ? -x : x;
    squares += x * x;
    if (a > peak) peak = a;
    if (a >= 32767) {
      run++;
    } else {
      if (run >= minClipRun) clipped += run;
      run = 0;
    }
  }
  if (run >= minClipRun) clipped += run;
  return { rmsDbfs: toDbfs(Math.sqrt(squares / n)), peakDbfs: toDbfs(peak), clippedSamples: clipped };
}
