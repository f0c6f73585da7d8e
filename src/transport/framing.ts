/**
 * Stream framing of the wire format (docs/wire-format.md §Framing): on a WebTransport
 * unidirectional stream each message is a 4-byte big-endian unsigned length followed by
 * that many bytes of UTF-8 JSON. A fixed 4-byte prefix (rather than a QUIC varint) keeps
 * the browser-side parser trivial (one DataView read) and costs 3 bytes per message at most.
 *
 * Written by hand: it is six lines of encoding, and no installable library frames JSON
 * this way for both Node and the browser.
 */

/** Largest message we produce or accept (1 MiB); a larger prefix means a corrupt stream. */
export const MAX_MESSAGE_BYTES = 1 << 20;

export const LENGTH_PREFIX_BYTES = 4;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Frames one JSON text (already serialised) as length + UTF-8 bytes. */
export function frameJson(json: string): Uint8Array {
  const body = encoder.encode(json);
  if (body.byteLength > MAX_MESSAGE_BYTES) throw new RangeError(`message of ${body.byteLength} bytes exceeds ${MAX_MESSAGE_BYTES}`);
  const out = new Uint8Array(LENGTH_PREFIX_BYTES + body.byteLength);
  new DataView(out.buffer).setUint32(0, body.byteLength, false);
  out.set(body, LENGTH_PREFIX_BYTES);
  return out;
}

export class FramingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FramingError';
  }
}

/**
 * Incremental decoder: feed it chunks as they arrive (split anywhere), get whole JSON
 * texts back. Throws FramingError on an oversized prefix or invalid UTF-8; the caller then
 * abandons the stream, since nothing after a bad prefix can be trusted.
 */
export class FrameDecoder {
  private buffer = new Uint8Array(0);
  private readonly maxBytes: number;

  constructor(maxBytes = MAX_MESSAGE_BYTES) {
    this.maxBytes = maxBytes;
  }

  /** Bytes held that do not yet form a whole message. */
  get pending(): number {
    return this.buffer.byteLength;
  }

  push(chunk: Uint8Array): string[] {
    const data = this.buffer.byteLength === 0 ? chunk : concat(this.buffer, chunk);
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const out: string[] = [];
    let at = 0;
    while (data.byteLength - at >= LENGTH_PREFIX_BYTES) {
      const length = view.getUint32(at, false);
      if (length > this.maxBytes) throw new FramingError(`length prefix ${length} exceeds ${this.maxBytes}`);
      if (data.byteLength - at - LENGTH_PREFIX_BYTES < length) break;
      const start = at + LENGTH_PREFIX_BYTES;
      try {
        out.push(decoder.decode(data.subarray(start, start + length)));
      } catch {
        throw new FramingError('message is not valid UTF-8');
      }
      at = start + length;
    }
    // Copy the tail so we never pin a large chunk for a few leftover bytes.
    this.buffer = at === data.byteLength ? new Uint8Array(0) : data.slice(at);
    return out;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}
