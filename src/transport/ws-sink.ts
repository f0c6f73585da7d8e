import type { WebSocket } from 'ws';
import type { Channel } from '../media/types.js';
import type { EncodedEvent } from './encoded-event.js';
import { CLOSE_CODES, type CloseReason, type ViewerSink } from './viewer-sink.js';

/**
 * Bytes the ws library may hold in user space before a channel waits for the socket to
 * drain. Below it writes are fire-and-forget (cheap); above it the pump awaits the send
 * callback, so a paused reader stops its pumps and their bounded queues take over.
 */
const HIGH_WATER_BYTES = 256 * 1024;

/** RFC 6455 §5.5: a close frame's payload is at most 125 bytes, 2 of them the code. */
const MAX_CLOSE_REASON_BYTES = 123;

/** WebSocket fallback transport: one JSON text message per event, `channel` inside it. */
export class WebSocketSink implements ViewerSink {
  constructor(private readonly ws: WebSocket) {}

  write(_channel: Channel, event: EncodedEvent): void | Promise<void> {
    if (this.ws.readyState !== this.ws.OPEN) throw new Error('WebSocket is not open');
    if (this.ws.bufferedAmount < HIGH_WATER_BYTES) {
      this.ws.send(event.json);
      return undefined;
    }
    return new Promise<void>((resolve, reject) => this.ws.send(event.json, (err) => (err ? reject(err) : resolve())));
  }

  close(reason: CloseReason): void {
    if (reason.kind === 'disconnected' || this.ws.readyState !== this.ws.OPEN) return;
    // The error body first, so a client sees the same {"error":{code,message}} shape as the HTTP API.
    if (reason.code !== null) this.ws.send(JSON.stringify({ error: { code: reason.code, message: reason.message } }));
    this.ws.close(CLOSE_CODES[reason.kind].ws, truncateUtf8(reason.message, MAX_CLOSE_REASON_BYTES));
  }
}

function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.byteLength <= maxBytes) return text;
  // Cutting may split a character; TextDecoder drops the partial tail with a U+FFFD we strip.
  return new TextDecoder().decode(bytes.subarray(0, maxBytes)).replace(/\uFFFD$/, '');
}
