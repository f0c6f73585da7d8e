import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { MidstreamError, type ErrorCode } from '../media/errors.js';
import type { Logger } from '../media/logger.js';
import { CHANNELS, isChannel } from '../media/types.js';
import type { AnalysisHub } from './hub.js';
import { attachWebTransport } from './wt-bridge.js';
import type { WtServer } from './wt-types.js';
import type { AuthorizeViewer } from './viewer-request.js';
import { attachWebSocketFallback } from './ws-fallback.js';

export interface TransportPluginOptions {
  hub: AnalysisHub;
  /** The WebTransport server; absent means WebSocket only (GET /api/webtransport answers 404). */
  wt?: WtServer;
  /** Host name put in the WebTransport URL; default: the host the request was sent to. */
  host?: string;
  streamExists(streamId: string): boolean;
  /** View-token check (default: everyone may view). */
  authorizeViewer?: AuthorizeViewer;
  logger: Logger;
}

function sendError(reply: FastifyReply, code: ErrorCode, message: string): FastifyReply {
  const err = new MidstreamError(code, message);
  return reply.code(err.status).send(err.toJSON());
}

/**
 * Everything viewers use over HTTP, as one fastify plugin the gateway registers:
 * - GET /api/webtransport: where and how to open WebTransport (URL, certificate hashes);
 * - GET /api/streams/:id/events?channel=&since=: buffered events as NDJSON;
 * - the WebSocket fallback on the server's `upgrade` event;
 * - and, given `wt`, WebTransport sessions wired to the hub.
 */
export const transportPlugin: FastifyPluginAsync<TransportPluginOptions> = async (app, opts) => {
  const deps = { streamExists: opts.streamExists, ...(opts.authorizeViewer ? { authorizeViewer: opts.authorizeViewer } : {}) };

  app.get('/api/webtransport', async (req, reply) => {
    if (!opts.wt) return sendError(reply, 'NOT_FOUND', 'WebTransport is not enabled on this gateway; use the WebSocket endpoint');
    const host = opts.host !== undefined && opts.host !== '0.0.0.0' && opts.host !== '::' ? opts.host : req.hostname;
    const authority = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    // Hashes are read per request: the certificate rotates before it expires.
    return { url: `https://${authority}:${opts.wt.port}`, certificateHashes: opts.wt.certificateHashes() };
  });

  app.get<{ Params: { id: string }; Querystring: { channel?: string; since?: string } }>('/api/streams/:id/events', async (req, reply) => {
    const { id } = req.params;
    const { channel, since } = req.query;
    if (channel !== undefined && !isChannel(channel)) return sendError(reply, 'BAD_REQUEST', `channel must be one of ${CHANNELS.join(', ')}`);
    if (since !== undefined && !/^\d{1,15}$/.test(since)) return sendError(reply, 'BAD_REQUEST', 'since must be a non-negative integer');
    if (!opts.hub.has(id) && !opts.streamExists(id)) return sendError(reply, 'STREAM_NOT_FOUND', `no stream "${id}"`);
    const lines: string[] = [];
    // Without a channel: all channels, grouped in CHANNELS order, each in seq order.
    for (const c of channel !== undefined ? [channel] : CHANNELS) {
      for (const e of opts.hub.buffered(id, c, Number(since ?? 0)) ?? []) lines.push(e.json);
    }
    return reply.type('application/x-ndjson').send(lines.length === 0 ? '' : `${lines.join('\n')}\n`);
  });

  const detachWs = attachWebSocketFallback(app.server, { ...deps, hub: opts.hub, logger: opts.logger });
  const detachWt = opts.wt ? attachWebTransport(opts.wt, { ...deps, hub: opts.hub, logger: opts.logger }) : () => undefined;
  // preClose: open WebSockets would otherwise keep the HTTP server from closing.
  app.addHook('preClose', async () => {
    detachWs();
    detachWt();
  });
};
