import { describe, expect, it } from 'vitest';
import { VideoSummary } from '../../../src/introspection/video/index.js';
import { AudioSummary, DBFS_FLOOR } from '../../../src/introspection/audio/index.js';

const frameStats = { cutScore: 0, cutThreshold: 8, frozen: false };

describe('per-second summaries', () => {
  it('folds video frames and cuts into the second their pts falls in', () => {
    const s = new VideoSummary();
    s.add({ channel: 'video', type: 'frame', pts: 0, data: { ...frameStats, meanLuma: 100, motion: 2, black: false } });
    s.add({ channel: 'video', type: 'frame', pts: 967, data: { ...frameStats, meanLuma: 16, motion: 6, black: true } });
    s.add({ channel: 'video', type: 'scene_cut', pts: 1000, data: { score: 90, threshold: 8 } });
    s.add({ channel: 'video', type: 'frame', pts: 1000, data: { ...frameStats, meanLuma: 50, motion: 90, black: false } });
    s.add({ channel: 'video', type: 'black', pts: 967, data: { state: 'start' } });
    expect(s.seconds()).toEqual([
      { second: 0, frames: 2, meanLuma: 58, meanMotion: 4, maxMotion: 6, sceneCuts: 0, blackFrames: 1, frozenFrames: 0 },
      { second: 1, frames: 1, meanLuma: 50, meanMotion: 90, maxMotion: 90, sceneCuts: 1, blackFrames: 0, frozenFrames: 0 },
    ]);
  });

  it('averages audio power, not decibels, and takes the largest peak', () => {
    const s = new AudioSummary();
    const level = { clippedSamples: 0, vadVotes: 0 };
    s.add({ channel: 'audio', type: 'level', pts: 0, data: { ...level, rmsDbfs: -6, peakDbfs: -3, silent: false, speech: true } });
    s.add({ channel: 'audio', type: 'level', pts: 20, data: { ...level, rmsDbfs: DBFS_FLOOR, peakDbfs: DBFS_FLOOR, silent: true, speech: false } });
    const [second] = s.seconds();
    expect(second?.rmsDbfs).toBeCloseTo(-6 - 10 * Math.log10(2), 2);
    expect(second).toMatchObject({ second: 0, blocks: 2, peakDbfs: -3, speechRatio: 0.5, silentRatio: 0.5, clippedSamples: 0 });
  });
});
