import { decorrelationLag } from './autocorrelation.js';
import { dimensionFromFnn } from './false-nearest-neighbours.js';
import { averageMutualInformation } from './mutual-information.js';

export interface EmbeddingParameters {
  /** Delay in samples. */
  tau: number;
  /** Embedding dimension. */
  m: number;
}

/**
 * Delay τ: the first minimum of the average mutual information (Fraser & Swinney 1986),
 * but never beyond the lag where the autocorrelation has fallen below 1/e. For maps and
 * noise successive samples are already nearly independent, and the AMI of a coarse
 * histogram wanders without a meaningful minimum; the autocorrelation bound gives τ = 1
 * there, as the literature uses, and leaves the AMI choice for smooth flows.
 */
export function chooseDelay(x: ArrayLike<number>, maxLag = Math.min(200, Math.floor(x.length / 10))): number {
  const bound = decorrelationLag(x, Math.max(2, maxLag));
  // The AMI minimum only matters below the autocorrelation bound, so compute no further.
  const ami = averageMutualInformation(x, bound + 1);
  for (let lag = 1; lag <= bound && lag + 1 < ami.length; lag++) if (ami[lag]! < ami[lag - 1]! && ami[lag]! <= ami[lag + 1]!) return lag;
  return bound;
}

/** τ by {@link chooseDelay}, then m by false nearest neighbours (Kennel et al. 1992). */
export function chooseEmbedding(x: ArrayLike<number>, maxDim = 10): EmbeddingParameters {
  const tau = chooseDelay(x);
  return { tau, m: dimensionFromFnn(x, tau, maxDim) };
}
