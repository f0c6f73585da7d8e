/**
 * Typed access to the parts of node-media-server (4.4) the RTMP ingest embeds: its RTMP
 * protocol state machine (`Rtmp`), its session (`RtmpSession`) and its per-path broadcast
 * with GOP cache (`BroadcastServer`, reached through `Context`). We do not run its
 * `NodeMediaServer` class: that would also start an Express HTTP server, a JSON store and
 * an FLV recorder, none of which the gateway wants. node-media-server has no typings.
 *
 * Hardening (see ../../../../shared/ENVIRONMENT.md, "Hazard"): its parser trusts the 24-bit
 * message length of every chunk stream and allocates that much per chunk stream id, and
 * throws on malformed AMF. `hardenRtmpParser()` wraps those two places; the listener in
 * rtmp-listener.ts catches everything else per connection.
 */
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import type { Logger } from '../../media/logger.js';

const require = createRequire(import.meta.url);

export interface NmsRtmp {
  handshakeState: number;
  inChunkSize: number;
  inPackets: Map<number, unknown>;
  parserPacket: { header: { length: number; type: number }; payload: Buffer };
  streamId: number;
  parserData(buffer: Buffer): string | null;
  sendStatusMessage(sid: number, level: string, code: string, description: string): void;
  /** Ours: the largest message this connection may send (raised once a publish is authorised). */
  maxMessageBytes?: number;
  /** Ours: decides on a publish before node-media-server answers it. */
  authorizePublish?: (app: string, name: string, query: Record<string, unknown>) => string | null;
  /** Ours: why this connection was refused, once it has been. */
  refusal?: string;
}

export interface NmsSession {
  id: string;
  ip: string;
  protocol: string;
  isPublisher: boolean;
  streamApp: string;
  streamName: string;
  streamPath: string;
  streamQuery: Record<string, unknown>;
  socket: Socket;
  rtmp: NmsRtmp;
  broadcast: NmsBroadcast;
  run(): void;
  onData: (data: Buffer) => void;
  onPush: () => void;
  onPlay: () => void;
  sendBuffer: (buffer: Buffer) => void;
}

export interface NmsBroadcast {
  streamPath: string;
  publisher: NmsSession | null;
  subscribers: Map<string, NmsSession>;
  publishGraceMs: number;
  postPlay(session: NmsSession): string | null;
  donePlay(session: NmsSession): void;
  _finishPublish(): void;
}

interface NmsContext {
  config: Record<string, unknown>;
  sessions: Map<string, NmsSession>;
  broadcasts: Map<string, NmsBroadcast>;
}

type RtmpClass = { prototype: Record<string, unknown> };

export const Context = require('node-media-server/src/core/context.js') as NmsContext;
export const RtmpSession = require('node-media-server/src/session/rtmp_session.js') as new (socket: Socket) => NmsSession;
export const BaseSession = require('node-media-server/src/session/base_session.js') as new () => NmsSession;
const Rtmp = require('node-media-server/src/protocol/rtmp.js') as RtmpClass;
const nmsLogger = require('node-media-server/src/core/logger.js') as { log(message: string, level?: string): void; level: string };

/** Before a publish is authorised a peer may only send small control/command messages. */
export const PRE_AUTH_MAX_MESSAGE_BYTES = 64 * 1024;
/** After: large enough for a keyframe of a high-bitrate 4K stream. */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** Distinct chunk stream ids one connection may use (OBS/ffmpeg use fewer than 8). */
export const MAX_CHUNK_STREAMS = 32;
/** RFC-less but sane bounds for Set Chunk Size (RTMP spec §5.4.1 allows 1..2^31-1). */
const MAX_CHUNK_SIZE = 16 * 1024 * 1024;

let hardened = false;

/** Patches node-media-server's RTMP parser once per process (idempotent). */
export function hardenRtmpParser(): void {
  if (hardened) return;
  hardened = true;
  const proto = Rtmp.prototype as Record<string, (this: NmsRtmp, ...args: unknown[]) => unknown>;

  const packetAlloc = proto['packetAlloc'];
  proto['packetAlloc'] = function (this: NmsRtmp) {
    const length = this.parserPacket.header.length;
    const limit = this.maxMessageBytes ?? PRE_AUTH_MAX_MESSAGE_BYTES;
    if (length > limit) throw new Error(`RTMP message of ${length} bytes exceeds the ${limit}-byte limit`);
    if (this.inPackets.size > MAX_CHUNK_STREAMS) throw new Error(`more than ${MAX_CHUNK_STREAMS} RTMP chunk streams`);
    return packetAlloc?.call(this);
  };

  const controlHandler = proto['controlHandler'];
  proto['controlHandler'] = function (this: NmsRtmp) {
    const { header, payload } = this.parserPacket;
    if (header.type >= 1 && header.type <= 6 && header.length < 4 && header.type !== 2 && header.type !== 4) {
      throw new Error(`RTMP protocol control message type ${header.type} is too short (${header.length} bytes)`);
    }
    if (header.type === 1) {
      const size = payload.readUInt32BE(0) & 0x7fffffff;
      if (size < 1 || size > MAX_CHUNK_SIZE) throw new Error(`RTMP Set Chunk Size ${size} is out of range`);
    }
    return controlHandler?.call(this);
  };

  // Decide on a publish before node-media-server answers "NetStream.Publish.Start".
  const onPublish = proto['onPublish'];
  proto['onPublish'] = function (this: NmsRtmp & { streamApp?: string; parserPacket: { header: { stream_id?: number } } }, msg: unknown) {
    const streamName = String((msg as { streamName?: unknown }).streamName ?? '');
    const [name = '', rawQuery = ''] = streamName.split('?');
    const query = Object.fromEntries(new URLSearchParams(rawQuery));
    const refusal = this.authorizePublish?.(this.streamApp ?? '', name, query) ?? null;
    if (refusal !== null) {
      this.refusal = refusal;
      const sid = (this.parserPacket.header as { stream_id?: number }).stream_id ?? 0;
      this.sendStatusMessage(sid, 'error', 'NetStream.Publish.BadName', refusal);
      return undefined;
    }
    return onPublish?.call(this, msg);
  };

  // Playback over RTMP is not offered: viewers use the WebTransport/WebSocket analysis and HLS.
  proto['onPlay'] = function (this: NmsRtmp & { parserPacket: { header: { stream_id?: number } } }) {
    this.refusal = 'playback over RTMP is not offered by this gateway';
    this.sendStatusMessage(this.parserPacket.header.stream_id ?? 0, 'error', 'NetStream.Play.Failed', this.refusal);
    return undefined;
  };
}

/** Sends node-media-server's console logging into our logger (it forces level debug). */
export function routeNmsLogs(logger: Logger): void {
  nmsLogger.log = (message: string, level = 'info') => {
    const text = String(message);
    if (level === 'error') logger.warn({ component: 'node-media-server' }, text);
    else logger.debug({ component: 'node-media-server' }, text);
  };
}
