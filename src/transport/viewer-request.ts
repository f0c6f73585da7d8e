import { MidstreamError } from '../media/errors.js';
import type { Channel } from '../media/types.js';
import { parseChannels, parseSince, type SinceMap } from './since.js';

/** Decides whether a token may view a stream (docs/wire-format.md §Authorisation). */
export type AuthorizeViewer = (streamId: string, token: string | null) => boolean;

/** What both transports need to know before attaching a viewer: the same rules for both. */
export interface ViewerRequestDeps {
  streamExists(streamId: string): boolean;
  authorizeViewer?: AuthorizeViewer;
}

export interface ViewerRequest {
  streamId: string;
  since: SinceMap;
  channels: readonly Channel[];
  /** Channels the viewer wants as WebTransport datagrams (`datagrams=video`). */
  datagramChannels: readonly Channel[];
}

const PATH = /^\/streams\/([^/]+)\/analysis\/?$/;

/** True when a path is a viewer session path, whatever the stream. */
export function isViewerPath(path: string): boolean {
  return PATH.test(path);
}

/**
 * Validates a viewer's `/streams/<id>/analysis?since=&channels=&datagrams=&token=` request.
 * Throws a MidstreamError (400 bad parameters, 404 unknown stream, 401/403 token) that each
 * transport turns into its own refusal.
 */
export function parseViewerRequest(path: string, query: URLSearchParams, deps: ViewerRequestDeps): ViewerRequest {
  const match = PATH.exec(path);
  const raw = match?.[1];
  if (raw === undefined) throw new MidstreamError('NOT_FOUND', `no viewer endpoint at ${path}`);
  let streamId: string;
  try {
    streamId = decodeURIComponent(raw);
  } catch {
    throw new MidstreamError('BAD_REQUEST', 'stream id is not valid percent-encoding');
  }
  const since = parseSince(query.get('since'));
  const channels = parseChannels(query.get('channels'));
  const datagramChannels = query.has('datagrams') ? parseChannels(query.get('datagrams')) : [];
  if (!deps.streamExists(streamId)) throw new MidstreamError('STREAM_NOT_FOUND', `no stream "${streamId}"`);
  const token = query.get('token');
  if (deps.authorizeViewer && !deps.authorizeViewer(streamId, token)) {
    throw token === null
      ? new MidstreamError('UNAUTHORIZED', `stream "${streamId}" needs a view token (?token=)`)
      : new MidstreamError('FORBIDDEN', `this view token does not grant stream "${streamId}"`);
  }
  return { streamId, since, channels, datagramChannels };
}
