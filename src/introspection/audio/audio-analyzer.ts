import type { AudioFrame } from '../../media/types.js';
import { SegmentTracker, edgeData, type SegmentEdge } from '../segment-tracker.js';
import { measureLevels } from './levels.js';
import { SpectrumAnalyzer } from './spectrum.js';
import type { AudioFinding } from './types.js';
import { DEFAULT_VAD, MoattarVad, type VadOptions } from './vad.js';

export interface AudioAnalyzerOptions {
  /** A block is silent below this RMS level (dBFS). */
  readonly silenceDbfs: number;
  /** Silent time before a silence segment starts. */
  readonly silenceMinMs: number;
  readonly vad: VadOptions;
  /** Speech shorter than this is ignored (the paper's 5 × 10 ms). */
  readonly speechMinMs: number;
  /** Non-speech shorter than this does not end a speech segment (hangover; the paper uses 100 ms). */
  readonly speechHangoverMs: number;
  /** Consecutive rail samples that make a clipped run. */
  readonly minClipRun: number;
  /** Unclipped time before a clipping segment ends. */
  readonly clippingHangoverMs: number;
  /** Emit the per-block `level` finding. */
  readonly levelStats: boolean;
}

export const DEFAULT_AUDIO_ANALYZER: AudioAnalyzerOptions = {
  silenceDbfs: -50,
  silenceMinMs: 300,
  vad: DEFAULT_VAD,
  speechMinMs: 60,
  speechHangoverMs: 200,
  minClipRun: 3,
  clippingHangoverMs: 100,
  levelStats: true,
};

export interface AudioAnalyzerStats {
  blocks: number;
  silenceSegments: number;
  speechSegments: number;
  clippingSegments: number;
  clippedSamples: number;
  speechBlocks: number;
  lastPts: number | null;
}

interface Trackers {
  readonly blockSamples: number;
  readonly blockMs: number;
  readonly spectrum: SpectrumAnalyzer;
  readonly silence: SegmentTracker;
  readonly vad: SegmentTracker;
  readonly clipping: SegmentTracker;
}

/**
 * All per-block audio analysis of one stream: RMS and peak dBFS, clipping, silence and voice
 * activity segments. Pure and synchronous: `process(block)` returns what that block settles,
 * `finish()` closes open segments at end of input. Expects mono (the decoder's output);
 * other layouts are downmixed by averaging first.
 */
export class AudioAnalyzer {
  private readonly opts: AudioAnalyzerOptions;
  private readonly vad: MoattarVad;
  private trackers: Trackers | null = null;
  private endPts: number | null = null;
  private readonly stats: AudioAnalyzerStats = {
    blocks: 0, silenceSegments: 0, speechSegments: 0, clippingSegments: 0, clippedSamples: 0, speechBlocks: 0, lastPts: null,
  };

  constructor(options: Partial<AudioAnalyzerOptions> = {}) {
    this.opts = { ...DEFAULT_AUDIO_ANALYZER, ...options };
    this.vad = new MoattarVad(this.opts.vad);
  }

  process(frame: AudioFrame): AudioFinding[] {
    const samples = frame.channels > 1 ? downmix(frame.samples, frame.channels) : frame.samples;
    const t = this.trackersFor(samples.length, frame.sampleRate);
    const { pts } = frame;
    // Time went backwards (a decoder restarted on a new input): close what is open where the
    // old timeline ended, so no segment spans two timelines.
    const out: AudioFinding[] = this.stats.lastPts !== null && pts < this.stats.lastPts ? this.finish() : [];
    const levels = measureLevels(samples, this.opts.minClipRun);
    const features = this.vad.gated(levels.rmsDbfs) ? null : t.spectrum.analyze(samples);
    const decision = this.vad.push(levels.rmsDbfs, features);
    const silent = levels.rmsDbfs < this.opts.silenceDbfs;

    this.edge(out, 'silence', t.silence.push(silent, pts));
    this.edge(out, 'vad', t.vad.push(decision.speech, pts));
    this.edge(out, 'clipping', t.clipping.push(levels.clippedSamples > 0, pts));

    this.stats.blocks += 1;
    this.stats.clippedSamples += levels.clippedSamples;
    if (t.vad.open) this.stats.speechBlocks += 1;
    this.stats.lastPts = pts;
    this.endPts = pts + (samples.length * 1000) / frame.sampleRate;
    if (this.opts.levelStats) {
      out.push({
        channel: 'audio', type: 'level', pts,
        data: { ...levels, silent, vadVotes: decision.votes, speech: t.vad.open },
      });
    }
    return out;
  }

  /** End of input: closes open segments at the end of the last block. */
  finish(): AudioFinding[] {
    const out: AudioFinding[] = [];
    const t = this.trackers;
    if (t === null || this.endPts === null) return out;
    this.edge(out, 'silence', t.silence.finish(this.endPts));
    this.edge(out, 'vad', t.vad.finish(this.endPts));
    this.edge(out, 'clipping', t.clipping.finish(this.endPts));
    return out;
  }

  toJSON(): AudioAnalyzerStats {
    return { ...this.stats };
  }

  /** Segment debounces are in ms; they become block counts once the block length is known. */
  private trackersFor(blockSamples: number, sampleRate: number): Trackers {
    const current = this.trackers;
    if (current !== null && current.blockSamples === blockSamples) return current;
    const blockMs = (blockSamples * 1000) / sampleRate;
    const blocks = (ms: number): number => Math.max(1, Math.round(ms / blockMs));
    const o = this.opts;
    // Keep open segments across a change of block size (rare: a decoder restart with new settings).
    const t: Trackers = current !== null ? { ...current, blockSamples, blockMs, spectrum: new SpectrumAnalyzer(blockSamples, sampleRate) } : {
      blockSamples,
      blockMs,
      spectrum: new SpectrumAnalyzer(blockSamples, sampleRate),
      silence: new SegmentTracker({ minOnFrames: blocks(o.silenceMinMs), minOffFrames: 2 }),
      vad: new SegmentTracker({ minOnFrames: blocks(o.speechMinMs), minOffFrames: blocks(o.speechHangoverMs) }),
      clipping: new SegmentTracker({ minOnFrames: 1, minOffFrames: blocks(o.clippingHangoverMs) }),
    };
    this.trackers = t;
    return t;
  }

  private edge(out: AudioFinding[], type: 'silence' | 'vad' | 'clipping', edge: SegmentEdge | null): void {
    if (edge === null) return;
    if (edge.state === 'start') {
      if (type === 'silence') this.stats.silenceSegments += 1;
      else if (type === 'vad') this.stats.speechSegments += 1;
      else this.stats.clippingSegments += 1;
    }
    out.push({ channel: 'audio', type, pts: edge.pts, data: edgeData(edge) });
  }
}

function downmix(interleaved: Int16Array, channels: number): Int16Array {
  const frames = Math.floor(interleaved.length / channels);
  const mono = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[i * channels + c]!;
    mono[i] = Math.round(sum / channels);
  }
  return mono;
}
