import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Project root, from dist/gateway/ or src/gateway/ alike. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

/**
 * The browser viewer: the page from web/public at /, its compiled modules from dist/web at
 * /js/, hls.js at /vendor/, and each stream's live HLS at /hls/<streamId>/index.m3u8.
 */
export function registerViewer(app: FastifyInstance, hlsRoot: string): void {
  hlsRoot = path.resolve(hlsRoot);
  mkdirSync(hlsRoot, { recursive: true });
  void app.register(fastifyStatic, { root: path.join(root, 'web', 'public'), prefix: '/', index: ['index.html'] });
  void app.register(fastifyStatic, { root: path.join(root, 'dist', 'web'), prefix: '/js/', decorateReply: false });
  void app.register(fastifyStatic, {
    root: path.dirname(require.resolve('hls.js/dist/hls.min.js')), prefix: '/vendor/hls/', decorateReply: false,
  });
  void app.register(fastifyStatic, {
    root: hlsRoot, prefix: '/hls/', decorateReply: false,
    // live playlists change every segment; segments never do
    setHeaders: (res, file) => {
      res.header('cache-control', file.endsWith('.m3u8') ? 'no-cache' : 'max-age=60');
    },
  });
}
