import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import { MidstreamError, type ErrorCode } from '../media/errors.js';
import type { Logger } from '../media/logger.js';
import type { StreamRegistry } from '../media/stream-registry.js';
import { secretEquals } from './config.js';
import { z } from 'zod';
import type { HlsPullView } from '../ingest/hls/hls-pull.js';

export interface HttpDeps {
  streams: StreamRegistry;
  metrics: Registry;
  adminToken: string;
  logger: Logger;
  /** Ends the publisher of a stream; false when it is not active. */
  endStream(id: string, reason: string): boolean;
  /** The RTMP port publishers use (known once the ingest listens). */
  rtmpPort(): number;
  /** Starts pulling an HLS playlist as a stream; throws MidstreamError on bad input. */
  startPull(id: string, url: string): HlsPullView;
  pulls(): HlsPullView[];
}

const PullBody = z.object({ id: z.string(), url: z.string() }).strict();

function sendError(reply: FastifyReply, code: ErrorCode, message?: string): FastifyReply {
  const err = new MidstreamError(code, message);
  return reply.code(err.status).send(err.toJSON());
}

/** The control API: health, streams, admin actions, metrics. */
export function createHttpApp(deps: HttpDeps): FastifyInstance {
  const app = Fastify({
    // request logs stay at debug level: per-request info lines would drown the stream logs
    loggerInstance: deps.logger.child({ component: 'http' }, { level: 'warn' }) as FastifyBaseLogger,
  }) as unknown as FastifyInstance;

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof MidstreamError) return reply.code(err.status).send(err.toJSON());
    const status = typeof (err as { statusCode?: unknown }).statusCode === 'number' ? (err as { statusCode: number }).statusCode : 500;
    if (status >= 500) deps.logger.error({ err }, 'HTTP handler failed');
    return reply.code(status).send({ error: { code: status >= 500 ? 'INTERNAL' : 'BAD_REQUEST', message: err instanceof Error ? err.message : String(err) } });
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, 'NOT_FOUND', `no route for ${req.method} ${req.url.split('?')[0] ?? ''}`));

  const requireAdmin = async (req: FastifyRequest, reply: FastifyReply) => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (token === '' || !secretEquals(token, deps.adminToken)) {
      return sendError(reply, 'UNAUTHORIZED', 'this route needs Authorization: Bearer <adminToken>');
    }
    return undefined;
  };

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/api/streams', async () => deps.streams.list());

  // Where to publish, for pages and tools (no secret in it: the key stays with the operator).
  app.get('/api/ingest', async (req) => ({
    rtmp: { url: `rtmp://${req.hostname.replace(/:\d+$/, '')}:${deps.rtmpPort()}/live`, streamKey: '<streamId>?key=<publishKey>' },
  }));

  app.get<{ Params: { id: string } }>('/api/streams/:id', async (req, reply) => {
    const view = deps.streams.get(req.params.id);
    if (!view) return sendError(reply, 'STREAM_NOT_FOUND', `no stream "${req.params.id}"`);
    return view;
  });

  app.delete<{ Params: { id: string } }>('/api/streams/:id', { preHandler: requireAdmin }, async (req, reply) => {
    const { id } = req.params;
    const pulled = deps.pulls().some((p) => p.id === id);
    if (!deps.streams.isActive(id) && !pulled) return sendError(reply, 'STREAM_NOT_FOUND', `no active stream "${id}"`);
    deps.endStream(id, 'ended by an administrator');
    return reply.code(200).send(deps.streams.get(id) ?? { id, state: 'ended' });
  });

  // Pull an HLS stream in: {"id": "<streamId>", "url": "https://…/index.m3u8"}.
  app.post('/api/streams', { preHandler: requireAdmin }, async (req, reply) => {
    const body = PullBody.safeParse(req.body);
    if (!body.success) return sendError(reply, 'INVALID_INPUT', 'the body must be {"id": "<streamId>", "url": "<http(s) HLS playlist>"}');
    return reply.code(201).send(deps.startPull(body.data.id, body.data.url));
  });

  // Admin only: a playlist URL may carry a token of its own.
  app.get('/api/pulls', { preHandler: requireAdmin }, async () => deps.pulls());

  app.get('/metrics', async (_req, reply) => {
    const body = await deps.metrics.metrics();
    return reply.type(deps.metrics.contentType).send(body);
  });

  return app;
}
