import { concatBytes, ByteQueue } from './bytes.js';
import { H3, H3Error } from './errors.js';
import { encodeVarint, readVarint, varintLength, writeVarint } from './varint.js';

/** HTTP/3 frame types (RFC 9114 §7.2, §11.2.1). */
export const FrameType = {
  DATA: 0x00,
  HEADERS: 0x01,
  CANCEL_PUSH: 0x03,
  SETTINGS: 0x04,
  PUSH_PROMISE: 0x05,
  GOAWAY: 0x07,
  MAX_PUSH_ID: 0x0d,
  /** draft-ietf-webtrans-http3 §4.2: the signal value that opens a WebTransport bidi stream. */
  WEBTRANSPORT_STREAM: 0x41,
} as const;

/** Frame types of HTTP/2 that HTTP/3 reserves; receiving one is H3_FRAME_UNEXPECTED (RFC 9114 §7.2.8). */
export const HTTP2_ONLY_FRAME_TYPES: ReadonlySet<number> = new Set([0x02, 0x06, 0x08, 0x09]);

/** Unidirectional stream types (RFC 9114 §6.2, RFC 9204 §4.2, draft-ietf-webtrans-http3 §4.1). */
export const StreamType = {
  CONTROL: 0x00,
  PUSH: 0x01,
  QPACK_ENCODER: 0x02,
  QPACK_DECODER: 0x03,
  WEBTRANSPORT: 0x54,
} as const;

export interface Frame {
  type: number;
  payload: Uint8Array;
}

export function encodeFrame(type: number, payload: Uint8Array): Uint8Array {
  const header = new Uint8Array(varintLength(type) + varintLength(payload.byteLength));
  writeVarint(header, writeVarint(header, 0, type), payload.byteLength);
  return concatBytes([header, payload]);
}

export function encodeGoaway(id: number): Uint8Array {
  return encodeFrame(FrameType.GOAWAY, encodeVarint(id));
}

/** The GOAWAY payload: one varint, nothing after it (RFC 9114 §7.2.6). */
export function decodeGoaway(payload: Uint8Array): number {
  const id = readVarint(payload);
  if (id === null || id.length !== payload.byteLength) throw new H3Error(H3.FRAME_ERROR, 'connection', 'malformed GOAWAY');
  return id.value;
}

/**
 * Splits a stream's bytes into frames. Frames are buffered whole up to `maxPayload` bytes
 * (a larger one is H3_EXCESSIVE_LOAD: we refuse to buffer it, RFC 9114 §10.5); payloads of
 * types `skip` says to ignore (unknown and reserved types, RFC 9114 §9) are discarded as
 * they arrive without being buffered, whatever their size.
 */
export class FrameReader {
  private readonly queue = new ByteQueue();
  private skipping = 0;

  constructor(
    private readonly maxPayload: number,
    private readonly skip: (type: number) => boolean,
  ) {}

  /** Bytes not yet returned as a frame. */
  get buffered(): number {
    return this.queue.length;
  }

  /** The stream ended cleanly: a frame cut short is H3_FRAME_ERROR (RFC 9114 §7.1). */
  end(): void {
    if (this.queue.length > 0 || this.skipping > 0) throw new H3Error(H3.FRAME_ERROR, 'connection', 'stream ended inside a frame');
  }

  /** Adds bytes; returns the frames completed by them. */
  push(chunk: Uint8Array): Frame[] {
    this.queue.push(chunk);
    const frames: Frame[] = [];
    for (;;) {
      if (this.skipping > 0) {
        const n = Math.min(this.skipping, this.queue.length);
        this.queue.consume(n);
        this.skipping -= n;
        if (this.skipping > 0) return frames;
      }
      const bytes = this.queue.peek();
      const type = readVarint(bytes, 0);
      if (type === null) return frames;
      const length = readVarint(bytes, type.length);
      if (length === null) return frames;
      const headerLength = type.length + length.length;
      if (this.skip(type.value)) {
        this.queue.consume(headerLength);
        this.skipping = length.value;
        continue;
      }
      if (length.value > this.maxPayload) {
        throw new H3Error(H3.EXCESSIVE_LOAD, 'stream', `frame 0x${type.value.toString(16)} of ${length.value} bytes exceeds ${this.maxPayload}`);
      }
      if (bytes.byteLength < headerLength + length.value) return frames;
      this.queue.consume(headerLength);
      frames.push({ type: type.value, payload: this.queue.consume(length.value) });
    }
  }
}
