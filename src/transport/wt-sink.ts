import type { Channel } from '../media/types.js';
import type { EncodedEvent } from './encoded-event.js';
import { CLOSE_CODES, type CloseReason, type ViewerSink } from './viewer-sink.js';
import type { WtSendStream, WtSession } from './wt-types.js';

/** Datagrams above this risk exceeding the path MTU after QUIC/H3 overhead; they are skipped. */
export const MAX_DATAGRAM_BYTES = 1100;

/**
 * How long a session that ended with its stream stays open after its streams were ended
 * (FIN), before CLOSE_WEBTRANSPORT_SESSION. Chromium's renderer crashes ("Target crashed",
 * the page is gone) when the session's close reaches it while it is still handling the
 * streams' FINs: reproduced with Debian's Chromium 156 within 1–3 stream ends with no pause
 * or a 10 ms one, never in 200 with 30 ms or more (test: e2e/webtransport-stream-end.test.ts).
 * A stream's end is rare and not urgent, so it waits well past that.
 */
export const STREAM_END_LINGER_MS = 250;

const encoder = new TextEncoder();

/**
 * WebTransport transport: one server-initiated unidirectional stream per channel, opened on
 * the channel's first event, carrying length-prefixed JSON (framing.ts). Independent QUIC
 * streams are the point: a burst on `video` never holds back `alerts`.
 */
export class WebTransportSink implements ViewerSink {
  private readonly streams = new Map<Channel, WtSendStream>();
  private readonly opening = new Map<Channel, Promise<WtSendStream>>();

  constructor(private readonly session: WtSession) {}

  write(channel: Channel, event: EncodedEvent): void | Promise<void> {
    const stream = this.streams.get(channel);
    if (stream === undefined) return this.open(channel).then((s) => this.writeTo(s, event.framed()));
    return this.writeTo(stream, event.framed());
  }

  writeBatch(channel: Channel, events: readonly EncodedEvent[]): void | Promise<void> {
    const parts = events.map((e) => e.framed());
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.byteLength;
    }
    const stream = this.streams.get(channel);
    if (stream === undefined) return this.open(channel).then((s) => this.writeTo(s, bytes));
    return this.writeTo(stream, bytes);
  }

  datagram(_channel: Channel, event: EncodedEvent): boolean {
    // A datagram is self-delimiting: bare JSON, no length prefix.
    const bytes = encoder.encode(event.json);
    if (bytes.byteLength > MAX_DATAGRAM_BYTES || this.session.closed) return false;
    return this.session.sendDatagram(bytes);
  }

  close(reason: CloseReason): void {
    if (reason.kind === 'disconnected' || this.session.closed) return;
    // draft-ietf-webtrans-http3 §5: the reason in CLOSE_WEBTRANSPORT_SESSION is at most 1024 bytes.
    const text = JSON.stringify({ error: { code: reason.code ?? 'STREAM_ENDED', message: reason.message } }).slice(0, 1000);
    const code = CLOSE_CODES[reason.kind].wt;
    if (reason.kind !== 'stream-ended') {
      this.session.close(code, text);
      return;
    }
    // Closing the session resets its streams (draft-ietf-webtrans-http3 §6), which could cut
    // the last events in flight: end each stream with FIN first, then (after the linger, see
    // STREAM_END_LINGER_MS) the session. A shutdown meanwhile closes it at once
    // (WebTransportServer.close closes every session).
    void Promise.allSettled([...this.opening.values()].map(async (s) => (await s).close())).then(() => {
      setTimeout(() => {
        if (!this.session.closed) this.session.close(code, text);
      }, STREAM_END_LINGER_MS).unref();
    });
  }

  private writeTo(stream: WtSendStream, bytes: Uint8Array): void | Promise<void> {
    const done = stream.write(bytes);
    // While the stream has room, don't wait for each write: the next one queues behind it.
    // Once it reports no room, the pump waits, and its bounded queue applies the policy.
    if (stream.desiredSize !== null && stream.desiredSize > 0) {
      done.catch(() => undefined);
      return undefined;
    }
    return done;
  }

  private open(channel: Channel): Promise<WtSendStream> {
    let pending = this.opening.get(channel);
    if (!pending) {
      pending = this.session.openUni().then((s) => {
        this.streams.set(channel, s);
        return s;
      });
      this.opening.set(channel, pending);
    }
    return pending;
  }
}
