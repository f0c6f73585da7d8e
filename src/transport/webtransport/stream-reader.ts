import { ByteQueue } from './bytes.js';
import { readVarint } from './varint.js';

/**
 * Reads a peer stream's leading varints (stream type, session id), then hands the rest
 * over as a ReadableStream that starts with whatever was read past them.
 */
export class StreamPrefixReader {
  private readonly queue = new ByteQueue();
  private ended = false;

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** Bytes read and not yet consumed. */
  get buffered(): number {
    return this.queue.length;
  }

  /** The next varint, or null if the stream ends first. */
  async varint(): Promise<number | null> {
    for (;;) {
      const v = readVarint(this.queue.peek(), 0);
      if (v !== null) {
        this.queue.consume(v.length);
        return v.value;
      }
      if (this.ended || !(await this.fill())) return null;
    }
  }

  /** The next varint without consuming it, or null if the stream ends first. */
  async peekVarint(): Promise<number | null> {
    for (;;) {
      const v = readVarint(this.queue.peek(), 0);
      if (v !== null) return v.value;
      if (this.ended || !(await this.fill())) return null;
    }
  }

  /** Reads one more chunk into the queue; false at end of stream. */
  async fill(): Promise<boolean> {
    const { value, done } = await this.reader.read();
    if (done) {
      this.ended = true;
      return false;
    }
    this.queue.push(value);
    return true;
  }

  /** Stops reading (STOP_SENDING with the code `reason` carries). */
  async cancel(reason: unknown): Promise<void> {
    this.ended = true;
    await this.reader.cancel(reason).catch(() => undefined);
  }

  /** Takes the buffered bytes (for parsers that continue from here). */
  takeBuffered(): Uint8Array {
    return this.queue.consume(this.queue.length);
  }

  /** The remainder of the stream, starting with what is buffered. */
  rest(): ReadableStream<Uint8Array> {
    const first = this.takeBuffered();
    const reader = this.reader;
    let sentFirst = first.byteLength === 0;
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!sentFirst) {
          sentFirst = true;
          controller.enqueue(first);
          return;
        }
        const { value, done } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
  }
}
