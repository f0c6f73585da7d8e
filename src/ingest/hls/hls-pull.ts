import type { Logger } from '../../media/logger.js';
import { MidstreamError } from '../../media/errors.js';
import { FfmpegRelay, type RelayState } from '../../media/ffmpeg-relay.js';
import type { RestartBackoff } from '../../media/backoff.js';

/** Schemes a pull may use; ffmpeg is also held to them (`-protocol_whitelist`). */
const ALLOWED_SCHEMES = new Set(['http:', 'https:']);

export interface HlsPullOptions {
  readonly streamId: string;
  /** The HLS playlist (http or https). */
  readonly url: string;
  /** Where to publish it: our own RTMP ingest, with a key it accepts. */
  readonly rtmpUrl: string;
  readonly logger: Logger;
  readonly backoff?: RestartBackoff;
  /** The playlist ended (ENDLIST reached): the pull is over. */
  onDone?(): void;
}

export interface HlsPullView {
  id: string;
  url: string;
  state: RelayState;
  restarts: number;
  lastError: string | null;
}

/**
 * Checks a playlist URL a user gave: http(s) only, so a pull cannot read local files or
 * use ffmpeg's other protocols; the URL is otherwise the user's choice (the route is admin).
 */
export function checkPullUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MidstreamError('INVALID_INPUT', `"${url}" is not a URL`);
  }
  if (!ALLOWED_SCHEMES.has(parsed.protocol)) throw new MidstreamError('INVALID_INPUT', `an HLS pull needs an http:// or https:// URL, not ${parsed.protocol}`);
  return parsed;
}

/**
 * Pulls a live (or finished) HLS stream into the gateway: an ffmpeg process reads the
 * playlist and its segments at their own pace and republishes them, without re-encoding,
 * over RTMP to our own ingest, where the stream then runs like any other (decoders, analysis,
 * HLS egress, viewers), reported as protocol "hls". A failing source is retried with backoff;
 * the end of the playlist ends the pull.
 */
export class HlsPull {
  private readonly relay: FfmpegRelay;

  constructor(private readonly opts: HlsPullOptions) {
    checkPullUrl(opts.url);
    this.relay = new FfmpegRelay({
      name: 'HLS pull',
      logger: opts.logger,
      ...(opts.backoff ? { backoff: opts.backoff } : {}),
      ...(opts.onDone ? { onDone: opts.onDone } : {}),
      args: [
        '-hide_banner', '-loglevel', 'error', '-nostdin',
        // Segments and keys may come only over the web, whatever the playlist says.
        '-protocol_whitelist', 'http,https,tcp,tls,crypto',
        // A source that stops answering fails the run (then it is retried).
        '-rw_timeout', '15000000',
        // At the media's own pace: a finished playlist plays as if live, not in a burst.
        '-re',
        '-i', opts.url,
        '-map', '0:v:0?', '-map', '0:a:0?',
        '-c', 'copy',
        '-f', 'flv', opts.rtmpUrl,
      ],
    });
  }

  start(): void {
    this.relay.start();
  }

  close(): void {
    this.relay.close();
  }

  /** The relay ffmpeg's pid while it runs. */
  get pid(): number | undefined {
    return this.relay.pid;
  }

  view(): HlsPullView {
    return { id: this.opts.streamId, url: this.opts.url, state: this.relay.state, restarts: this.relay.restarts, lastError: this.relay.lastError };
  }
}
