import { describe, expect, it } from 'vitest';
import { AnalysisScheduler } from '../../src/gateway/analysis-scheduler.js';
import { withTimeout } from '../helpers/wait.js';

/** Burns CPU for `ms` of wall time: a stand-in for an analyzer call that costs that much. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

describe('AnalysisScheduler under overload', () => {
  it('sheds video frames first, then audio, and never loses or reorders text', async () => {
    const s = new AnalysisScheduler();
    const textOrder: number[] = [];
    let videoRan = 0;
    let audioRan = 0;
    let videoShed = 0;
    let audioShed = 0;
    // Warm up: the scheduler learns what each kind costs.
    await new Promise<void>((resolve) => {
      s.submit('video', () => busy(10));
      s.submit('audio', () => busy(2));
      s.submit('text', () => resolve());
    });
    const allText = new Promise<void>((resolve) => {
      // ~0.6 s of video work and ~0.1 s of audio work against 100 ms deadlines: infeasible.
      for (let i = 0; i < 60; i += 1) {
        s.submit('video', () => { busy(10); videoRan += 1; }, () => { videoShed += 1; });
        s.submit('audio', () => { busy(2); audioRan += 1; }, () => { audioShed += 1; });
        s.submit('text', () => {
          textOrder.push(i);
          if (textOrder.length === 60) resolve();
        });
      }
    });
    await withTimeout(allText, 30_000, 'every text task');
    await withTimeout((async () => {
      while (s.stats().queued > 0) await new Promise((r) => setImmediate(r));
    })(), 30_000, 'the queue to drain');
    s.close();

    const stats = s.stats();
    expect(textOrder).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(videoRan + videoShed).toBe(60);
    expect(audioRan + audioShed).toBe(60);
    expect(videoShed).toBeGreaterThan(0);
    expect(videoShed).toBeGreaterThanOrEqual(audioShed);
    expect(stats.shedByKind.video).toBe(videoShed);
    expect(stats.shedByKind.text).toBe(0);
    expect(stats.budgetMs.video).toBeGreaterThan(stats.budgetMs.audio);
  });

  it('runs everything when the load fits', async () => {
    const s = new AnalysisScheduler();
    let ran = 0;
    const done = new Promise<void>((resolve) => {
      for (let i = 0; i < 30; i += 1) s.submit('video', () => { ran += 1; if (ran === 30) resolve(); });
    });
    await withTimeout(done, 10_000, 'all tasks');
    expect(s.stats().shed).toBe(0);
    s.close();
  });
});
