/**
 * Browser side of the stream framing (docs/wire-format.md §Framing): a 4-byte big-endian
 * length, then that many bytes of UTF-8 JSON. The same algorithm as src/transport/framing.ts
 * (which the browser build cannot import); both are tested against the same vectors.
 */
export const MAX_MESSAGE_BYTES = 1 << 20;

const decoder = new TextDecoder('utf-8', { fatal: true });

export class FrameDecoder {
  private buffer = new Uint8Array(0);

  /** Whole JSON texts completed by `chunk`; throws on a corrupt stream. */
  push(chunk: Uint8Array): string[] {
    let data = chunk;
    if (this.buffer.byteLength > 0) {
      data = new Uint8Array(this.buffer.byteLength + chunk.byteLength);
      data.set(this.buffer, 0);
      data.set(chunk, this.buffer.byteLength);
    }
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const out: string[] = [];
    let at = 0;
    while (data.byteLength - at >= 4) {
      const length = view.getUint32(at, false);
      if (length > MAX_MESSAGE_BYTES) throw new Error(`length prefix ${length} exceeds ${MAX_MESSAGE_BYTES}`);
      if (data.byteLength - at - 4 < length) break;
      out.push(decoder.decode(data.subarray(at + 4, at + 4 + length)));
      at += 4 + length;
    }
    this.buffer = at === data.byteLength ? new Uint8Array(0) : data.slice(at);
    return out;
  }
}
