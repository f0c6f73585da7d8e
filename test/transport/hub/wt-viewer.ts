import { FrameDecoder } from '../../../src/transport/framing.js';
import type { WireEvent } from '../../../src/media/types.js';
import { SeqTracker } from './seq-tracker.js';
import { WtTestClient, type WtClientSession } from '../webtransport/helpers/wt-client.js';

/**
 * A Node analysis viewer over real QUIC (the WebTransport test client): reads every uni
 * stream as length-prefixed JSON and checks, per channel, that seq only ever goes up by one.
 */
export class WtViewer extends SeqTracker {
  readonly closed: Promise<{ code: number; reason: string } | null>;

  private constructor(readonly client: WtTestClient, readonly session: WtClientSession, streams: number, onEvent?: (e: WireEvent) => void) {
    super();
    this.closed = session.request.closed.catch(() => null);
    // Like a browser: when the server closes the session, end our side of the CONNECT stream too
    // (draft-ietf-webtrans-http3 §5), so neither end keeps a half-open stream.
    void this.closed.then(() => session.request.writer.close().catch(() => undefined));
    void this.acceptStreams(streams, onEvent);
  }

  /** Connects and opens a session at `path`; `streams` is how many channel streams to expect. */
  static async open(port: number, path: string, streams: number, onEvent?: (e: WireEvent) => void): Promise<WtViewer> {
    const client = await WtTestClient.connect({ host: '127.0.0.1', port });
    try {
      const session = await client.openSession('localhost', path);
      return new WtViewer(client, session, streams, onEvent);
    } catch (err) {
      await client.close();
      throw err;
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private async acceptStreams(streams: number, onEvent?: (e: WireEvent) => void): Promise<void> {
    for (let i = 0; i < streams; i += 1) {
      const readable = await this.session.uniStreams.next(120_000).catch(() => null);
      if (!readable) return;
      void this.read(readable, onEvent);
    }
  }

  private async read(readable: ReadableStream<Uint8Array>, onEvent?: (e: WireEvent) => void): Promise<void> {
    const reader = readable.getReader();
    const frames = new FrameDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        for (const text of frames.push(value)) {
          const e = JSON.parse(text) as WireEvent;
          this.record(e);
          onEvent?.(e);
        }
        this.recheck();
      }
    } catch {
      // the session or connection went away; `closed` says how
    }
  }
}
