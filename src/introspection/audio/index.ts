export { AudioAnalyzer, DEFAULT_AUDIO_ANALYZER, type AudioAnalyzerOptions, type AudioAnalyzerStats } from './audio-analyzer.js';
export { MoattarVad, DEFAULT_VAD, type VadOptions, type VadDecision } from './vad.js';
export { SpectrumAnalyzer, type SpectralFeatures } from './spectrum.js';
export { measureLevels, toDbfs, DBFS_FLOOR, type BlockLevels } from './levels.js';
export type { AudioFinding, AudioLevelFinding, AudioLevelStats, AudioSegmentFinding } from './types.js';
export { AudioSummary, type AudioSecondSummary } from './audio-summary.js';
