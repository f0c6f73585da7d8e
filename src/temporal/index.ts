/**
 * The temporal engine: pure algorithms over time series (no Node.js, no I/O; runs in the
 * browser too). Everything public is exported from here. See docs/temporal.md.
 */

// Distances
export { editDistance } from './edit-distance.js';
export { dtw, dtwAlignment, type DtwOptions, type DtwAlignment } from './dtw.js';
export { lcss, lcssDistance } from './lcss.js';
export { zNormalize } from './znorm.js';

// Pattern search
export { envelope, type Envelope } from './envelope.js';
export { lbKeogh } from './lb-keogh.js';
export { findBestMatch, type SubsequenceMatch, type SubsequenceSearchOptions } from './subsequence-search.js';
export { PatternMatcher, type PatternMatch, type TemplateOptions } from './pattern-matcher.js';

// Delay embedding
export { delayEmbed } from './delay-embedding.js';
export { averageMutualInformation, delayFromAmi } from './mutual-information.js';
export { autocorrelation, decorrelationLag } from './autocorrelation.js';
export { falseNearestFractions, fnnFraction, dimensionFromFnn, type FnnOptions } from './false-nearest-neighbours.js';
export { chooseDelay, chooseEmbedding, type EmbeddingParameters } from './embedding.js';
export { KdTree } from './kd-tree.js';

// Lyapunov exponent and attractor classes
export { lyapunovRosenstein, MIN_LYAPUNOV_SAMPLES, type LyapunovOptions, type LyapunovResult } from './rosenstein.js';
export { chooseFitRegion, type FitRegion } from './fit-region.js';
export { fitLine, type LineFit } from './linear-fit.js';
export { classifyAttractor, MIN_CLASSIFY_SAMPLES, type AttractorClass, type Classification, type ClassifyOptions } from './classify.js';
export { surrogateTest, type SurrogateTestOptions, type SurrogateTestResult } from './surrogate-test.js';
export { gaussianise, iaaftSurrogate, phaseRandomisedSurrogate } from './surrogates.js';
export { predictionError } from './prediction-error.js';
export { powerSpectrum, spectralPeaks, meanFrequency, type Spectrum, type SpectralPeak } from './spectrum.js';
export { fft, nextPowerOfTwo } from './fft.js';

// Reference series and randomness
export { seededRandom, type Random } from './prng.js';
export { logisticMap, henonMap, lorenz, rossler, sines, dampedOscillator, whiteNoise, ar1 } from './systems.js';

// Streaming
export { RunningStats, SlidingStats } from './running-stats.js';
export { SlidingLyapunov, type SlidingLyapunovOptions, type SlidingLyapunovResult } from './sliding-lyapunov.js';
export { SlidingAttractor, type SlidingAttractorOptions, type SlidingAttractorResult } from './sliding-attractor.js';

// Deadline scheduler
export {
  DeadlineScheduler, ManualClock, monotonicClock,
  type Task, type TaskOutcome, type TaskStatus, type SchedulerStats, type DeadlineSchedulerOptions, type Clock,
} from './scheduler/index.js';
