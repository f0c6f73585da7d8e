import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../src/media/logger.js';
import { WebTransportServer, type WebTransportSession } from '../src/transport/webtransport/index.js';
import { withTimeout } from '../test/helpers/wait.js';

/**
 * Chromium's own WebTransport against our HTTP/3 server, with nothing in between: the
 * self-signed certificate is accepted only through serverCertificateHashes (no
 * certificate-bypass flag), and the page is served from http://127.0.0.1 (a secure context).
 */

const PAGE = `<!doctype html><meta charset="utf-8"><title>wt</title><script>
const log = [];
async function run(url, hashes) {
  const hashList = hashes.map((h) => ({ algorithm: h.algorithm, value: Uint8Array.from(atob(h.value), (c) => c.charCodeAt(0)) }));
  const wt = new WebTransport(url, { serverCertificateHashes: hashList });
  await wt.ready;
  log.push('ready');
  const streams = wt.incomingUnidirectionalStreams.getReader();
  const { value: uni } = await streams.read();
  log.push('uni:' + await new Response(uni).text());
  const writer = wt.datagrams.writable.getWriter();
  const reader = wt.datagrams.readable.getReader();
  // Datagrams are unreliable by design (one may be dropped on a busy machine): resend until
  // the echo comes back.
  const ping = () => writer.write(new TextEncoder().encode('ping')).catch(() => undefined);
  void ping();
  const resend = setInterval(ping, 250);
  const { value: dgram } = await reader.read();
  clearInterval(resend);
  log.push('datagram:' + new TextDecoder().decode(dgram));
  const bidi = await wt.createBidirectionalStream();
  const bw = bidi.writable.getWriter();
  await bw.write(new TextEncoder().encode('bidi hello'));
  await bw.close();
  log.push('bidi:' + await new Response(bidi.readable).text());
  wt.close({ closeCode: 5, reason: 'page done' });
  const closed = await wt.closed;
  log.push('closed:' + closed.closeCode);
  return log;
}
</script>`;

describe('Chromium WebTransport against the raw HTTP/3 server', () => {
  let wt: WebTransportServer;
  let http: Server;
  let browser: Browser;
  const sessions: WebTransportSession[] = [];
  const closes: { code: number; reason: string }[] = [];

  beforeAll(async () => {
    wt = new WebTransportServer({
      host: '127.0.0.1',
      port: 0,
      logger: process.env['WT_DEBUG'] ? createLogger({ level: 'debug' }) : silentLogger(),
      authorize: (req) => (req.path === '/raw' ? 200 : 404),
    });
    wt.on('session', (session) => {
      sessions.push(session);
      session.on('close', (info) => closes.push(info));
      // Echo datagrams; echo bidi streams; greet on a uni stream.
      session.on('datagram', (payload) => session.sendDatagram(payload));
      session.on('bidi', ({ readable, writable }) => void readable.pipeTo(writable).catch(() => undefined));
      void session.openUni().then(async (s) => {
        await s.write(new TextEncoder().encode('hello from the server'));
        await s.close();
      });
    });
    await wt.start();
    http = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--headless=new', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => http?.close(resolve));
    await wt?.close();
  });

  it('reaches ready, receives a uni stream, echoes a datagram and a bidi stream, and closes cleanly', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(http.address() as AddressInfo).port}/`);
    const url = `https://127.0.0.1:${wt.port}/raw`;
    // On a hang, the steps reached so far and then "stuck" (rather than a bare test timeout).
    const log = await page.evaluate(
      ([u, h]) => {
        const w = window as unknown as { run(url: string, hashes: unknown): Promise<string[]>; log: string[] };
        return Promise.race([w.run(u, h), new Promise<string[]>((r) => setTimeout(() => r([...w.log, 'stuck']), 30_000))]);
      },
      [url, wt.certificateHashes()] as const,
    );
    expect(log).toEqual(['ready', 'uni:hello from the server', 'datagram:ping', 'bidi:bidi hello', 'closed:5']);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.path).toBe('/raw');
    // The page's `closed` resolves once its close capsule is sent; the server hears it a moment later.
    await withTimeout(new Promise<void>((resolve) => {
      if (closes.length > 0) resolve();
      else sessions[0]?.once('close', () => resolve());
    }), 10_000, "the server's close event");
    expect(closes).toEqual([{ code: 5, reason: 'page done' }]);
  });

  it('fails to connect when the CONNECT is refused (404 from authorize)', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(http.address() as AddressInfo).port}/`);
    const outcome = await page.evaluate(
      async ([u, hashes]) => {
        const hashList = hashes.map((h) => ({ algorithm: h.algorithm, value: Uint8Array.from(atob(h.value), (c) => c.charCodeAt(0)) }));
        try {
          await new WebTransport(u, { serverCertificateHashes: hashList }).ready;
          return 'ready';
        } catch (err) {
          return `refused:${(err as Error).name}`;
        }
      },
      [`https://127.0.0.1:${wt.port}/elsewhere`, wt.certificateHashes()] as const,
    );
    expect(outcome).toMatch(/^refused:/);
  });
});
