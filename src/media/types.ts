/**
 * The neutral media model. Every ingest protocol turns its input into these; every
 * analyzer and the transport consume them. Times are media time in milliseconds
 * (`pts`, from the source's own timestamps, not arrival counters) unless a name says otherwise.
 */

export type StreamId = string;

/** What a stream id may be, whatever the protocol: 1–64 letters, digits, `_` and `-`. */
export const STREAM_ID_RE = /^[a-zA-Z0-9_-]{1,64}$/;

/** Pixel layouts the decoder produces for analysis. `gray8` is the luma (Y) plane only. */
export type PixelFormat = 'gray8';

/** One decoded video frame at analysis resolution (e.g. 320×180). */
export interface VideoFrame {
  readonly kind: 'video';
  readonly streamId: StreamId;
  /** Presentation timestamp of the source frame, ms of media time. */
  readonly pts: number;
  /** 0-based decode order within the current decoder run. */
  readonly index: number;
  readonly width: number;
  readonly height: number;
  readonly format: PixelFormat;
  /** width × height bytes for gray8, row-major, no padding. */
  readonly data: Uint8Array;
}

/** Sample layouts the decoder produces. `s16` is signed 16-bit little-endian, interleaved. */
export type SampleFormat = 's16';

/** One block of decoded audio (20 ms at 48 kHz mono: 960 samples). */
export interface AudioFrame {
  readonly kind: 'audio';
  readonly streamId: StreamId;
  /** Presentation timestamp of the first sample, ms of media time. */
  readonly pts: number;
  readonly index: number;
  readonly sampleRate: number;
  readonly channels: number;
  readonly format: SampleFormat;
  /** Interleaved samples; length = samplesPerChannel × channels. */
  readonly samples: Int16Array;
}

export type MediaFrame = VideoFrame | AudioFrame;

/** Where a piece of text came from. */
export type TextSource = 'transcript' | 'response' | 'input';

/** One chunk of streamed text (a model token, a transcript delta). */
export interface TextToken {
  readonly streamId: StreamId;
  readonly source: TextSource;
  /** Identifies one utterance/response; tokens of one item concatenate in order. */
  readonly itemId: string;
  readonly text: string;
  /** Media time this text relates to, ms, when known. */
  readonly pts: number;
}

/** Channels of the wire format to the viewer (see docs/wire-format.md). */
export const CHANNELS = ['video', 'audio', 'transcript', 'text', 'temporal', 'alerts'] as const;
export type Channel = (typeof CHANNELS)[number];

export function isChannel(value: string): value is Channel {
  return (CHANNELS as readonly string[]).includes(value);
}

/**
 * An analysis result before the transport numbers it. The transport adds `seq`
 * (per stream and channel, from 1, gap-free) and `ts` (gateway wall clock, ms since epoch).
 */
export interface AnalysisEvent {
  readonly channel: Channel;
  readonly type: string;
  /** Media time the event refers to, ms. */
  readonly pts: number;
  readonly data: unknown;
  /** Gateway wall clock when the event was made (ms since epoch); the transport fills it if absent. */
  readonly ts?: number;
}

/** An AnalysisEvent as it travels on the wire. */
export interface WireEvent {
  readonly channel: Channel;
  readonly seq: number;
  readonly pts: number;
  readonly ts: number;
  readonly type: string;
  readonly data: unknown;
}
