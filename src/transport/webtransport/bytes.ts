/** Concatenates byte arrays (small helper; Buffer.concat would tie this to Node's Buffer). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.byteLength;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

/**
 * Bytes received on a stream and not yet parsed. Parsers peek at the front and consume
 * what they understood; the rest waits for more data.
 */
export class ByteQueue {
  private buffer: Uint8Array = new Uint8Array(0);

  get length(): number {
    return this.buffer.byteLength;
  }

  push(chunk: Uint8Array): void {
    this.buffer = this.buffer.byteLength === 0 ? chunk : concatBytes([this.buffer, chunk]);
  }

  /** The unparsed bytes (a view; valid until the next push/consume). */
  peek(): Uint8Array {
    return this.buffer;
  }

  consume(n: number): Uint8Array {
    const taken = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return taken;
  }
}
