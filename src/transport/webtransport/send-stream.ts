import type { QUICStream } from '@matrixai/quic';
import { webTransportCodeToHttp3 } from './errors.js';
import { StreamCode } from './stream-code.js';
import type { WebTransportSendStream } from './types.js';

/** Bytes a send stream takes before `desiredSize` reaches 0 and writers should wait. */
export const SEND_HIGH_WATER_MARK = 256 * 1024;

/**
 * A server-initiated WebTransport uni stream. The QUIC stream's WritableStream counts
 * chunks, not bytes; this keeps a byte count of what is written and not yet accepted by
 * quiche, which is what `desiredSize` reports.
 */
export class SendStream implements WebTransportSendStream {
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private pendingBytes = 0;
  private done = false;

  constructor(
    private readonly stream: QUICStream,
    header: Uint8Array,
  ) {
    this.writer = stream.writable.getWriter();
    void this.write(header).catch(() => undefined);
    this.writer.closed.then(
      () => (this.done = true),
      () => (this.done = true),
    );
  }

  get desiredSize(): number | null {
    return this.done ? null : SEND_HIGH_WATER_MARK - this.pendingBytes;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.done) throw new Error('WebTransport stream is closed');
    this.pendingBytes += chunk.byteLength;
    try {
      await this.writer.write(chunk);
    } finally {
      this.pendingBytes -= chunk.byteLength;
    }
  }

  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.writer.close();
  }

  abort(code = 0): void {
    if (this.done) return;
    this.done = true;
    // draft-ietf-webtrans-http3 §4.4: application codes are mapped into the HTTP/3 space.
    this.writer.abort(new StreamCode(webTransportCodeToHttp3(code))).catch(() => undefined);
  }

  /** Resets without an application code (session gone). */
  reset(code: number): void {
    if (this.done) return;
    this.done = true;
    this.writer.abort(new StreamCode(code)).catch(() => undefined);
  }

  get streamId(): number {
    return this.stream.streamId;
  }
}
