import { FrameDecoder } from './framing.js';
import { CLOSE_KICKED, CLOSE_LAGGING, CLOSE_STREAM_ENDED_WT, type SessionEnd, type SessionHandlers, type TransportSession } from './session.js';
import { isWireError, isWireEvent } from './wire.js';

/** What GET /api/webtransport answers. */
export interface WebTransportInfo {
  url: string;
  certificateHashes: { algorithm: 'sha-256'; value: string }[];
}

const utf8 = new TextDecoder();

/**
 * Opens a WebTransport session and reads every server-initiated unidirectional stream (one
 * per channel; the channel is in each message) and every datagram. Rejects if `ready` fails
 * or takes longer than `readyTimeoutMs`, so the caller can fall back to WebSocket.
 */
export async function openWebTransportSession(url: string, info: WebTransportInfo, handlers: SessionHandlers, readyTimeoutMs: number): Promise<TransportSession> {
  const wt = new WebTransport(url, {
    // Self-signed, short-lived ECDSA certificates are accepted by hash (W3C WebTransport §4.4).
    serverCertificateHashes: info.certificateHashes.map((h) => ({ algorithm: h.algorithm, value: base64ToBytes(h.value) })),
  });
  wt.closed.catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      wt.ready,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`WebTransport not ready after ${readyTimeoutMs} ms`)), readyTimeoutMs);
      }),
    ]);
  } catch (err) {
    wt.close();
    throw err;
  } finally {
    clearTimeout(timer);
  }

  let lastError = '';
  const deliver = (text: string): void => {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      handlers.onMalformed('message is not JSON');
      return;
    }
    if (isWireEvent(msg)) handlers.onMessage(msg);
    else if (isWireError(msg)) {
      lastError = msg.error.message;
      handlers.onError(msg.error);
    } else handlers.onMalformed('message is not a wire event');
  };

  void readStreams(wt, deliver, handlers);
  void readDatagrams(wt, handlers);
  const writer = wt.datagrams.writable.getWriter();

  const done: Promise<SessionEnd> = wt.closed.then(
    (info: WebTransportCloseInfo) => {
      const reasonError = parseReason(info.reason);
      if (reasonError) handlers.onError(reasonError);
      return {
        ended: info.closeCode === CLOSE_STREAM_ENDED_WT || info.closeCode === CLOSE_KICKED,
        lagging: info.closeCode === CLOSE_LAGGING,
        reason: reasonError?.message ?? (lastError || `WebTransport closed with code ${info.closeCode ?? 0}`),
      };
    },
    (err: unknown) => ({ ended: false, lagging: false, reason: `WebTransport failed: ${err instanceof Error ? err.message : String(err)}` }),
  );

  return {
    kind: 'webtransport',
    done,
    sendDatagram: (payload) => {
      if (writer.desiredSize !== null && writer.desiredSize <= 0) return false;
      writer.write(payload).catch(() => undefined);
      return true;
    },
    close: () => wt.close({ closeCode: 0, reason: 'viewer closed' }),
  };
}

async function readStreams(wt: WebTransport, deliver: (text: string) => void, handlers: SessionHandlers): Promise<void> {
  const streams = wt.incomingUnidirectionalStreams.getReader();
  try {
    for (;;) {
      const { value, done } = await streams.read();
      if (done) return;
      void readOne(value, deliver, handlers);
    }
  } catch {
    // the session closed; `closed` reports why
  }
}

async function readOne(stream: ReadableStream<Uint8Array>, deliver: (text: string) => void, handlers: SessionHandlers): Promise<void> {
  const reader = stream.getReader();
  const frames = new FrameDecoder();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const text of frames.push(value)) deliver(text);
    }
  } catch (err) {
    if (err instanceof Error && /length prefix|decode|encoded/i.test(err.message)) handlers.onMalformed(`corrupt stream: ${err.message}`);
  }
}

async function readDatagrams(wt: WebTransport, handlers: SessionHandlers): Promise<void> {
  const reader = wt.datagrams.readable.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      let msg: unknown = null;
      try {
        msg = JSON.parse(utf8.decode(value));
      } catch {
        // not JSON: an echo of one of our own probes, or someone else's payload
      }
      if (isWireEvent(msg)) handlers.onMessage(msg);
      else handlers.onDatagram(value);
    }
  } catch {
    // the session closed
  }
}

function parseReason(reason: string | undefined): { code: string; message: string } | null {
  if (!reason) return null;
  try {
    const msg: unknown = JSON.parse(reason);
    return isWireError(msg) ? msg.error : null;
  } catch {
    return null;
  }
}

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i += 1) out[i] = bin.charCodeAt(i);
  return out;
}
