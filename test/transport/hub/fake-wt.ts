import { EventEmitter } from 'node:events';
import type { WtSendStream, WtServer, WtSession } from '../../../src/transport/wt-types.js';

/** A WebTransport send stream that records bytes; `full` makes it report no room. */
export class FakeSendStream implements WtSendStream {
  readonly chunks: Uint8Array[] = [];
  closedWithFin = false;
  full = false;
  get desiredSize(): number {
    return this.full ? 0 : 65536;
  }
  async write(chunk: Uint8Array): Promise<void> {
    this.chunks.push(chunk);
  }
  async close(): Promise<void> {
    this.closedWithFin = true;
  }
  abort(): void {
    this.closedWithFin = false;
  }
}

/** A session as src/transport/webtransport hands it over, recording what the bridge does. */
export class FakeSession extends EventEmitter implements WtSession {
  readonly streams: FakeSendStream[] = [];
  readonly datagramsSent: Uint8Array[] = [];
  closeCall: { code: number | undefined; reason: string | undefined } | null = null;
  readonly query: URLSearchParams;
  constructor(readonly path: string, query = '') {
    super();
    this.query = new URLSearchParams(query);
  }
  get closed(): boolean {
    return this.closeCall !== null;
  }
  async openUni(): Promise<WtSendStream> {
    const s = new FakeSendStream();
    this.streams.push(s);
    return s;
  }
  sendDatagram(payload: Uint8Array): boolean {
    this.datagramsSent.push(payload);
    return true;
  }
  close(code?: number, reason?: string): void {
    this.closeCall = { code, reason };
  }
}

export class FakeWtServer extends EventEmitter implements WtServer {
  readonly port = 4433;
  certificateHashes(): { algorithm: 'sha-256'; value: string }[] {
    return [{ algorithm: 'sha-256', value: 'AAAA' }];
  }
}
