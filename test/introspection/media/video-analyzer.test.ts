import { describe, expect, it } from 'vitest';
import { measureFrame, SceneCutDetector, VideoAnalyzer, type VideoFinding } from '../../../src/introspection/video/index.js';
import { eventProblems } from './expect-events.js';
import { black, checker, drifting, frame, plane, FRAME_MS } from './synthetic-video.js';

function analyze(planes: readonly Uint8Array[], analyzer = new VideoAnalyzer()): VideoFinding[] {
  const out = planes.flatMap((p, i) => analyzer.process(frame(i, p)));
  return [...out, ...analyzer.finish()];
}
const events = (fs: VideoFinding[]): VideoFinding[] => fs.filter((f) => f.type !== 'frame');
const pts = (i: number): number => Math.round(i * FRAME_MS);

/** A deterministic PRNG (mulberry32) so "random" series are the same on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('measureFrame', () => {
  it('measures mean luma, black ratio and mean absolute difference in one pass', () => {
    const a = plane((x) => (x < 160 ? 10 : 110));
    const b = plane(() => 60);
    expect(measureFrame(a, null, 32)).toEqual({ meanLuma: 60, blackRatio: 0.5, motion: 0 });
    expect(measureFrame(b, a, 32)).toEqual({ meanLuma: 60, blackRatio: 0, motion: 50 });
  });
});

describe('VideoAnalyzer', () => {
  it('reports per-frame stats with the frame pts', () => {
    const fs = analyze([drifting(0), drifting(1)]).filter((f) => f.type === 'frame');
    expect(fs.map((f) => f.pts)).toEqual([0, pts(1)]);
    const second = fs[1];
    expect(second?.type === 'frame' && second.data.motion).toBeGreaterThan(0);
    expect(second?.type === 'frame' && second.data.black).toBe(false);
  });

  it('finds a hard cut, a black stretch and its edges at the right frames', () => {
    const planes = [
      ...Array.from({ length: 20 }, (_, t) => drifting(t)),
      ...Array.from({ length: 10 }, () => black()),
      ...Array.from({ length: 20 }, (_, t) => checker(t)),
      ...Array.from({ length: 20 }, (_, t) => drifting(t)),
    ];
    expect(eventProblems(events(analyze(planes)), [
      { type: 'scene_cut', pts: pts(20) }, { type: 'black', state: 'start', pts: pts(20) },
      { type: 'scene_cut', pts: pts(30) }, { type: 'black', state: 'end', pts: pts(30) },
      { type: 'scene_cut', pts: pts(50) },
    ], 0)).toEqual([]);
  });

  it('reports frozen only after N unchanged frames, from the picture that froze', () => {
    // the picture stalls, then carries on from where it stopped (no jump that could pass for a cut)
    const shot = (frozenFrom: number, frozenFor: number): Uint8Array[] => Array.from({ length: 40 }, (_, t) =>
      drifting(t < frozenFrom ? t : t < frozenFrom + frozenFor ? frozenFrom - 1 : t - frozenFor));
    const analyzer = (): VideoAnalyzer => new VideoAnalyzer({ frozenMinFrames: 5 });
    // frames 10..14 repeat frame 9: five unchanged frames
    expect(eventProblems(events(analyze(shot(10, 5), analyzer())), [
      { type: 'frozen', state: 'start', pts: pts(9) }, { type: 'frozen', state: 'end', pts: pts(15) },
    ], 0)).toEqual([]);
    // four unchanged frames are not a freeze
    expect(events(analyze(shot(10, 4), analyzer()))).toEqual([]);
  });

  it('does not call a black stretch frozen', () => {
    const planes = [...Array.from({ length: 10 }, (_, t) => drifting(t)), ...Array.from({ length: 30 }, () => black())];
    expect(events(analyze(planes)).map((e) => e.type)).not.toContain('frozen');
  });

  it('closes open segments at end of input, one frame after the last', () => {
    const found = events(analyze([drifting(0), ...Array.from({ length: 5 }, () => black())]));
    // the frame duration is the last pts step
    const end = pts(5) + (pts(5) - pts(4));
    expect(found.at(-1)).toEqual({ channel: 'video', type: 'black', pts: end, data: { state: 'end', startPts: pts(1), durationMs: end - pts(1) } });
  });

  it('starts afresh, without a cut, when the frame size changes', () => {
    const a = new VideoAnalyzer();
    a.process(frame(0, drifting(0)));
    const small = { ...frame(1, new Uint8Array(16 * 9).fill(200)), width: 16, height: 9 };
    expect(a.process(small).map((f) => f.type)).toEqual(['frame']);
  });

  it('counts what it saw in toJSON()', () => {
    const a = new VideoAnalyzer();
    analyze([drifting(0), drifting(1), black(), black(), black(), drifting(2)], a);
    expect(a.toJSON()).toMatchObject({ frames: 6, blackSegments: 1, blackFrames: 3 });
  });
});

describe('SceneCutDetector adaptive threshold', () => {
  /** Shaky-camera motion: every frame moves 5–35 levels, a bare floor of 8 would fire constantly. */
  const shaky = (n: number, rand: () => number): number[] => Array.from({ length: n }, () => 5 + 30 * rand());

  it('rises above a jittery stream and still finds the real cut in it', () => {
    const series = [...shaky(90, prng(1)), 110, ...shaky(60, prng(2))];
    const adaptive = new SceneCutDetector();
    const cuts = series.flatMap((m, i) => (adaptive.push(m).cut ? [i] : []));
    expect(cuts).toEqual([90]);
    // the same series against the bare floor: many false cuts, which is what adaptation removes
    const fixed = new SceneCutDetector({ minScore: 8, sigmas: 0, alpha: 1 / 30, warmupFrames: 5 });
    expect(series.filter((m) => fixed.push(m).cut).length).toBeGreaterThan(10);
  });

  it('needs only its floor on a calm stream', () => {
    const d = new SceneCutDetector();
    for (let i = 0; i < 60; i++) d.push(0.5);
    expect(d.threshold).toBe(8);
    expect(d.push(20).cut).toBe(true);
  });

  it('learns a flickering stream within a couple of seconds instead of firing forever', () => {
    const d = new SceneCutDetector();
    const rand = prng(3);
    const flicker = Array.from({ length: 150 }, (_, i) => (i % 2 === 0 ? 5 : 60 + 10 * rand()));
    const cuts = flicker.map((m) => d.push(m).cut);
    expect(cuts.slice(90).filter(Boolean)).toEqual([]);
  });
});

describe('VideoAnalyzer across a timeline restart', () => {
  it('closes open segments where the old timeline ended when pts goes backwards', () => {
    const a = new VideoAnalyzer();
    const found: VideoFinding[] = [];
    for (let i = 0; i < 5; i++) found.push(...a.process(frame(i, i === 0 ? drifting(0) : black())));
    // a restarted decoder begins again at pts 0
    found.push(...a.process(frame(0, drifting(1))));
    const ends = found.filter((f) => f.type === 'black' && f.data.state === 'end');
    expect(ends).toHaveLength(1);
    expect(ends[0]?.pts).toBe(pts(4) + (pts(4) - pts(3)));
    expect(ends[0]?.type === 'black' && ends[0].data.state === 'end' && ends[0].data.durationMs).toBeGreaterThan(0);
  });
});
