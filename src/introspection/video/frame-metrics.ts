/** The raw measurements of one gray8 frame, taken in a single pass over its pixels. */
export interface FrameMetrics {
  /** Mean luma, 0–255. */
  readonly meanLuma: number;
  /** Fraction of pixels at or below the black level. */
  readonly blackRatio: number;
  /** Mean absolute difference to the previous frame, 0–255; 0 when there is none. */
  readonly motion: number;
}

/**
 * One pass over the luma plane: sum, black-pixel count and the sum of absolute differences
 * to the previous plane (the SAD/MAFD that ffmpeg's scdet and freezedetect also build on).
 * `previous` must have the same length, or be null for the first frame of a run.
 */
export function measureFrame(luma: Uint8Array, previous: Uint8Array | null, blackLevel: number): FrameMetrics {
  const n = luma.length;
  if (n === 0) return { meanLuma: 0, blackRatio: 0, motion: 0 };
  let sum = 0;
  let black = 0;
  let sad = 0;
  // Branch-free on purpose: with real (noisy) pictures the sign of each difference is random,
  // and a data-dependent branch per pixel mispredicts; Math.abs and the sign-bit trick for
  // "y ≤ blackLevel" measured 2.4× faster over noisy 320×180 frames.
  const limit = blackLevel + 1;
  if (previous === null) {
    for (let i = 0; i < n; i++) {
      const y = luma[i]!;
      sum += y;
      black += (y - limit) >>> 31;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const y = luma[i]!;
      sum += y;
      sad += Math.abs(y - previous[i]!);
      black += (y - limit) >>> 31;
    }
  }
  return { meanLuma: sum / n, blackRatio: black / n, motion: sad / n };
}
