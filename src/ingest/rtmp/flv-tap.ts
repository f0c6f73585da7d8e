import { PassThrough } from 'node:stream';
import { BaseSession, type NmsBroadcast, type NmsSession } from './nms.js';

/** Above this many bytes waiting for the decoder, whole GOPs are skipped until it catches up. */
const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

const TAG_AUDIO = 8;
const TAG_VIDEO = 9;

/** FLV video tag: byte 11 high nibble (3 bits with enhanced RTMP) is the frame type; 1 = keyframe. */
function isKeyframe(tag: Buffer): boolean {
  return tag[0] === TAG_VIDEO && tag.length > 11 && (((tag[11] ?? 0) >> 4) & 0x07) === 1;
}

/** Codec configuration (AVC/AAC sequence headers) and script data must always get through. */
function isConfiguration(tag: Buffer): boolean {
  if (tag[0] !== TAG_AUDIO && tag[0] !== TAG_VIDEO) return true;
  return tag.length > 12 && tag[12] === 0 && (tag[0] === TAG_AUDIO ? ((tag[11] ?? 0) >> 4) === 10 : ((tag[11] ?? 0) & 0x0f) === 7);
}

/**
 * An in-process subscriber to a node-media-server broadcast: it receives the FLV header,
 * metadata, codec headers, the cached GOP and then live tags, and exposes them as a byte
 * stream for a decoder. If the decoder falls behind by more than MAX_BACKLOG_BYTES, it skips
 * to the next keyframe instead of buffering without bound, and counts the video tags skipped.
 */
export class FlvTap {
  readonly stream = new PassThrough({ highWaterMark: 1 << 20 });
  skippedVideoTags = 0;
  private readonly session: NmsSession;
  private readonly broadcast: NmsBroadcast;
  private skipping = false;
  private released = false;

  constructor(broadcast: NmsBroadcast) {
    this.broadcast = broadcast;
    const session = new BaseSession();
    session.protocol = 'flv';
    session.ip = ''; // empty ip marks an internal session: no play events, no auth
    session.streamPath = broadcast.streamPath;
    session.sendBuffer = (buffer: Buffer) => this.onTag(buffer);
    this.session = session;
    this.stream.on('error', () => undefined);
    broadcast.postPlay(session);
  }

  /** Ends the byte stream (the decoder then drains and exits cleanly). */
  end(): void {
    this.release();
    this.stream.end();
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.broadcast.donePlay(this.session);
  }

  private onTag(tag: Buffer): void {
    if (this.released || this.stream.writableEnded) return;
    if (this.stream.writableLength > MAX_BACKLOG_BYTES) this.skipping = true;
    if (this.skipping) {
      if (isKeyframe(tag) && this.stream.writableLength < MAX_BACKLOG_BYTES / 4) this.skipping = false;
      else if (!isConfiguration(tag)) {
        if (tag[0] === TAG_VIDEO) this.skippedVideoTags += 1;
        return;
      }
    }
    this.stream.write(tag);
  }
}
