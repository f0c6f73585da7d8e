import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { silentLogger } from '../../../src/media/logger.js';
import { AnalysisHub, type AttachOptions } from '../../../src/transport/hub.js';
import { transportPlugin } from '../../../src/transport/plugin.js';
import type { Viewer } from '../../../src/transport/viewer.js';
import type { ViewerSink } from '../../../src/transport/viewer-sink.js';
import type { WtServer } from '../../../src/transport/wt-types.js';
import { WebTransportServer } from '../../../src/transport/webtransport/index.js';
import { createWebTransportAuthorizer } from '../../../src/transport/wt-bridge.js';

const CLIENT_DIR = path.resolve('dist/web/client');

/**
 * The browser-side fixture of the WebTransport tests: our HTTP/3 server (CONNECT allowed for
 * stream `cam1`), the viewer server with the client library, and one Chromium page on it.
 */
export async function startWtBrowserFixture(hub: AnalysisHub): Promise<{ page: Page; close(): Promise<void> }> {
  const wt = new WebTransportServer({
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger(),
    authorize: createWebTransportAuthorizer({ streamExists: (id) => id === 'cam1' }),
  });
  await wt.start();
  const server = await startViewerServer(hub, wt);
  const browser = await launchChromium();
  const page = await browser.newPage();
  await page.goto(server.origin);
  return {
    page,
    close: async () => {
      await browser.close();
      await server.app.close();
      await wt.close();
    },
  };
}

/** Chromium as the project runs it in tests (docs: ../shared/ENVIRONMENT.md; never --disable-quic). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless=new', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** A hub that remembers its viewers, so a test can cut one off as a network failure would. */
export class RecordingHub extends AnalysisHub {
  readonly viewers: Viewer[] = [];

  override attach(streamId: string, sink: ViewerSink, options?: AttachOptions): Viewer {
    const v = super.attach(streamId, sink, options);
    this.viewers.push(v);
    return v;
  }
}

/** The page: loads the compiled client library and exposes it to page.evaluate. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>transport test</title>
<script type="module">
  import * as client from '/client/index.js';
  window.client = client;
  window.clientLoaded = true;
</script>`;

/**
 * A fastify server like the gateway's HTTP side: the transport plugin, the compiled client
 * (dist/web/client, built by `npm run build`) and a test page, on 127.0.0.1.
 */
export async function startViewerServer(hub: AnalysisHub, wt?: WtServer): Promise<{ app: FastifyInstance; origin: string }> {
  if (!existsSync(path.join(CLIENT_DIR, 'index.js'))) throw new Error('dist/web/client is missing: run `npm run build` (tsc -p tsconfig.web.json) first');
  const app = Fastify();
  await app.register(transportPlugin, { hub, streamExists: (id) => id === 'cam1', logger: silentLogger(), ...(wt ? { wt } : {}) });
  app.get('/', async (_req, reply) => reply.type('text/html').send(PAGE));
  app.get<{ Params: { file: string } }>('/client/:file', async (req, reply) => {
    const file = req.params.file;
    if (!/^[\w-]+\.js$/.test(file) || !existsSync(path.join(CLIENT_DIR, file))) return reply.code(404).send({ error: { code: 'NOT_FOUND', message: file } });
    return reply.type('text/javascript').send(readFileSync(path.join(CLIENT_DIR, file)));
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  return { app, origin: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` };
}

export interface PageEvent { channel: string; seq: number; type: string }

/**
 * Opens connectAnalysis in the page; events, statuses and datagram echoes collect in
 * window.runs[name].
 */
/**
 * connectAnalysis in the page. WebTransport gets 30 s to be ready (the client's default is 5 s):
 * on a loaded machine a slow handshake would otherwise turn into a fallback to WebSocket or a
 * reconnect, which changes what the tests observe.
 */
export async function connectInPage(page: Page, name: string, options: { transport: 'auto' | 'webtransport' | 'websocket'; since?: Record<string, number>; channels?: string[]; readyTimeoutMs?: number }): Promise<void> {
  options = { readyTimeoutMs: 30_000, ...options };
  await page.waitForFunction(() => (window as unknown as { clientLoaded?: boolean }).clientLoaded === true);
  await page.evaluate(({ name, options }) => {
    const w = window as unknown as Record<string, unknown> & { runs?: Record<string, unknown> };
    const run = { events: [] as unknown[], statuses: [] as unknown[], datagrams: [] as string[], conn: null as unknown };
    (w.runs ??= {})[name] = run;
    const client = w['client'] as { connectAnalysis(o: unknown): unknown };
    run.conn = client.connectAnalysis({
      baseUrl: location.origin,
      streamId: 'cam1',
      ...options,
      onEvent: (e: { channel: string; seq: number; type: string }) => run.events.push({ channel: e.channel, seq: e.seq, type: e.type }),
      onStatus: (s: unknown) => run.statuses.push(s),
      onDatagram: (d: Uint8Array) => run.datagrams.push(new TextDecoder().decode(d)),
    });
  }, { name, options });
}

export async function waitForStatus(page: Page, name: string, state: string, nth = 1): Promise<void> {
  await page.waitForFunction(({ name, state, nth }) => {
    const run = (window as unknown as { runs: Record<string, { statuses: { state: string }[] }> }).runs[name];
    return (run?.statuses.filter((s) => s.state === state).length ?? 0) >= nth;
  }, { name, state, nth }, { timeout: 15_000 });
}

export async function waitForEvents(page: Page, name: string, count: number): Promise<PageEvent[]> {
  await page.waitForFunction(({ name, count }) => {
    const run = (window as unknown as { runs: Record<string, { events: unknown[] }> }).runs[name];
    return (run?.events.length ?? 0) >= count;
  }, { name, count }, { timeout: 15_000 });
  return page.evaluate((name) => (window as unknown as { runs: Record<string, { events: PageEvent[] }> }).runs[name]?.events ?? [], name);
}

export function statuses(page: Page, name: string): Promise<{ state: string; transport: string | null; reason?: string }[]> {
  return page.evaluate((name) => (window as unknown as { runs: Record<string, { statuses: { state: string; transport: string | null }[] }> }).runs[name]?.statuses ?? [], name);
}

export function closeInPage(page: Page, name: string): Promise<Record<string, number>> {
  return page.evaluate((name) => {
    const run = (window as unknown as { runs: Record<string, { conn: { close(): void; lastSeq(): Record<string, number> } }> }).runs[name];
    run?.conn.close();
    return run?.conn.lastSeq() ?? {};
  }, name);
}

/** Seqs of one channel in arrival order. */
export function seqsOf(events: PageEvent[], channel: string): number[] {
  return events.filter((e) => e.channel === channel).map((e) => e.seq);
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
