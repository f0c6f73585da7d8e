import { FrameDecoder } from '../../../src/transport/framing.js';
import type { Channel, WireEvent } from '../../../src/media/types.js';
import { WtTestClient, type WtClientSession } from '../webtransport/helpers/wt-client.js';

/**
 * A Node analysis viewer over real QUIC (the WebTransport test client): reads every uni
 * stream as length-prefixed JSON and checks, per channel, that seq only ever goes up by one.
 */
export class WtViewer {
  readonly last: Partial<Record<Channel, number>> = {};
  readonly counts: Partial<Record<Channel, number>> = {};
  /** Seq jumps seen, as "channel:expected->got". */
  readonly gaps: string[] = [];
  readonly closed: Promise<{ code: number; reason: string } | null>;
  private waiters: { pred: () => boolean; resolve: () => void }[] = [];

  private constructor(readonly client: WtTestClient, readonly session: WtClientSession, streams: number, onEvent?: (e: WireEvent) => void) {
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

  /** Resolves once `pred` holds, checked after every event. */
  until(pred: () => boolean): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
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
          const prev = this.last[e.channel];
          if (prev !== undefined && e.seq !== prev + 1) this.gaps.push(`${e.channel}:${prev + 1}->${e.seq}`);
          this.last[e.channel] = e.seq;
          this.counts[e.channel] = (this.counts[e.channel] ?? 0) + 1;
          onEvent?.(e);
        }
        this.waiters = this.waiters.filter((w) => {
          if (!w.pred()) return true;
          w.resolve();
          return false;
        });
      }
    } catch {
      // the session or connection went away; `closed` says how
    }
  }
}
