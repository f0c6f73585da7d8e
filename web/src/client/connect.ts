import type { SessionHandlers, TransportSession } from './session.js';
import { openWebSocketSession } from './websocket-session.js';
import { openWebTransportSession, type WebTransportInfo } from './webtransport-session.js';
import { CHANNELS, formatSince, type Channel, type SinceMap, type WireEvent } from './wire.js';

export type TransportKind = 'webtransport' | 'websocket';

export interface AnalysisStatus {
  /** connecting → open → (reconnecting → open)* → ended | closed */
  readonly state: 'connecting' | 'open' | 'reconnecting' | 'ended' | 'closed';
  readonly transport: TransportKind | null;
  /** Why the last session ended (gateway's message when it gave one). */
  readonly reason?: string;
}

export interface ConnectAnalysisOptions {
  /** The gateway's HTTP base, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  streamId: string;
  /** Channels wanted (default all). */
  channels?: readonly Channel[];
  /** Resume point of the first connection: last seq already seen per channel. */
  since?: SinceMap;
  /** View token, when the gateway requires one. */
  token?: string;
  /** `auto` (default): WebTransport when the browser and gateway have it, else WebSocket. */
  transport?: 'auto' | TransportKind;
  /** Channels to receive as WebTransport datagrams instead of on their stream. */
  datagrams?: readonly Channel[];
  onEvent(event: WireEvent): void;
  onStatus?(status: AnalysisStatus): void;
  /** Datagrams that are not events (the gateway echoes ours back). */
  onDatagram?(payload: Uint8Array): void;
  /** A message that was not valid wire format. */
  onMalformed?(reason: string): void;
  readyTimeoutMs?: number;
  maxReconnectDelayMs?: number;
}

export interface AnalysisConnection {
  /** The transport of the current (or last) session. */
  readonly transport: TransportKind | null;
  /** Last seq delivered per channel: the `since` the next reconnect uses. */
  lastSeq(): SinceMap;
  /** Sends a datagram on WebTransport (echoed by the gateway); false on WebSocket or when full. */
  sendDatagram(payload: Uint8Array): boolean;
  close(): void;
}

/**
 * Connects a viewer to a stream's analysis events and keeps it connected: WebTransport
 * with the gateway's certificate hashes when possible, WebSocket otherwise (by itself,
 * per attempt); on every reconnect it resumes with `since` so no event is missed or
 * delivered twice, on either transport.
 */
export function connectAnalysis(options: ConnectAnalysisOptions): AnalysisConnection {
  const channels = options.channels ?? CHANNELS;
  const last: SinceMap = { ...options.since };
  const maxDelay = options.maxReconnectDelayMs ?? 5000;
  let session: TransportSession | null = null;
  let transport: TransportKind | null = null;
  let stopped = false;
  let connectedOnce = false;
  let delayMs = 250;
  let webTransportBroken = false;

  const status = (s: AnalysisStatus): void => options.onStatus?.(s);

  const handlers: SessionHandlers = {
    onMessage: (e) => {
      if (!channels.includes(e.channel)) return;
      // The gateway never repeats a seq within a session; this guards the seam between sessions.
      const seen = last[e.channel];
      if (seen !== undefined && e.seq <= seen) return;
      last[e.channel] = e.seq;
      options.onEvent(e);
    },
    onError: () => undefined,
    onMalformed: (reason) => options.onMalformed?.(reason),
    onDatagram: (payload) => options.onDatagram?.(payload),
  };

  const query = (): string => {
    const params = new URLSearchParams();
    // After a first session, resume every channel: one that saw nothing resumes from 0 (all
    // still buffered), so events published while we were away are not lost.
    const since: SinceMap = { ...last };
    if (connectedOnce) for (const c of channels) since[c] ??= 0;
    const s = formatSince(since);
    if (s) params.set('since', s);
    if (options.channels) params.set('channels', channels.join(','));
    if (options.datagrams && options.datagrams.length > 0) params.set('datagrams', options.datagrams.join(','));
    if (options.token !== undefined) params.set('token', options.token);
    const q = params.toString();
    return q ? `?${q}` : '';
  };

  const path = (): string => `/streams/${encodeURIComponent(options.streamId)}/analysis${query()}`;

  const openOnce = async (): Promise<TransportSession> => {
    const want = options.transport ?? 'auto';
    if (want !== 'websocket' && !webTransportBroken && typeof WebTransport !== 'undefined') {
      try {
        const res = await fetch(new URL('/api/webtransport', options.baseUrl));
        if (res.ok) {
          const info = (await res.json()) as WebTransportInfo;
          return await openWebTransportSession(`${info.url}${path()}`, info, handlers, options.readyTimeoutMs ?? 5000);
        }
        if (want === 'webtransport') throw new Error(`GET /api/webtransport answered ${res.status}`);
      } catch (err) {
        if (want === 'webtransport') throw err;
        // Remember the failure so each reconnect doesn't pay the ready timeout again.
        webTransportBroken = true;
        status({ state: 'connecting', transport: 'websocket', reason: `WebTransport failed (${err instanceof Error ? err.message : String(err)}); falling back to WebSocket` });
      }
    }
    const ws = new URL(path(), options.baseUrl);
    ws.protocol = ws.protocol === 'https:' ? 'wss:' : 'ws:';
    return openWebSocketSession(ws.toString(), handlers);
  };

  const run = async (): Promise<void> => {
    status({ state: 'connecting', transport: null });
    while (!stopped) {
      let reason: string;
      try {
        const s = await openOnce();
        if (stopped) {
          s.close();
          return;
        }
        session = s;
        transport = s.kind;
        connectedOnce = true;
        delayMs = 250;
        status({ state: 'open', transport });
        const end = await s.done;
        session = null;
        if (stopped) return;
        if (end.ended) {
          status({ state: 'ended', transport, reason: end.reason });
          return;
        }
        reason = end.reason;
        if (end.lagging) delayMs = 0;
      } catch (err) {
        reason = err instanceof Error ? err.message : String(err);
      }
      status({ state: 'reconnecting', transport, reason });
      await new Promise((r) => setTimeout(r, delayMs));
      delayMs = Math.min(maxDelay, Math.max(250, delayMs * 2));
    }
  };
  void run();

  return {
    get transport() {
      return transport;
    },
    lastSeq: () => ({ ...last }),
    sendDatagram: (payload) => session?.sendDatagram(payload) ?? false,
    close: () => {
      if (stopped) return;
      stopped = true;
      session?.close();
      status({ state: 'closed', transport });
    },
  };
}
