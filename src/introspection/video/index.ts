export { VideoAnalyzer, DEFAULT_VIDEO_ANALYZER, type VideoAnalyzerOptions, type VideoAnalyzerStats } from './video-analyzer.js';
export { SceneCutDetector, DEFAULT_SCENE_CUT, type SceneCutOptions, type SceneCutDecision } from './scene-cut-detector.js';
export { measureFrame, type FrameMetrics } from './frame-metrics.js';
export { SegmentTracker, edgeData, type SegmentEdge, type SegmentEdgeData, type SegmentTrackerOptions } from '../segment-tracker.js';
export type { VideoFinding, VideoFrameFinding, VideoFrameStats, SceneCutFinding, VideoSegmentFinding } from './types.js';
export { VideoSummary, type VideoSecondSummary } from './video-summary.js';
