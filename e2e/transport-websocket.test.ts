import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Channel } from '../src/media/types.js';
import {
  closeInPage, connectInPage, launchChromium, range, RecordingHub, seqsOf, startViewerServer, statuses, waitForEvents, waitForStatus,
} from '../test/transport/hub/browser-harness.js';

/**
 * The browser client over the WebSocket fallback in real Chromium: a gateway without
 * WebTransport, so `auto` must fall back by itself.
 */
describe('browser client over the WebSocket fallback (Chromium)', () => {
  let browser: Browser;
  let page: Page;
  let app: FastifyInstance;
  const hub = new RecordingHub();
  const pub = (channel: Channel, n: number) => {
    for (let i = 0; i < n; i += 1) hub.publish('cam1', { channel, type: `${channel}-event`, pts: i * 33, data: { i } });
  };

  beforeAll(async () => {
    const server = await startViewerServer(hub);
    app = server.app;
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(server.origin);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('falls back to WebSocket, receives several channels without gaps, resumes after a cut', async () => {
    await connectInPage(page, 'a', { transport: 'auto' });
    await waitForStatus(page, 'a', 'open');
    expect((await statuses(page, 'a')).find((s) => s.state === 'open')?.transport).toBe('websocket');
    pub('text', 20);
    pub('alerts', 5);
    pub('transcript', 10);
    pub('video', 30);
    let events = await waitForEvents(page, 'a', 65);
    expect(seqsOf(events, 'text')).toEqual(range(1, 20));
    expect(seqsOf(events, 'alerts')).toEqual(range(1, 5));
    expect(seqsOf(events, 'transcript')).toEqual(range(1, 10));
    expect(seqsOf(events, 'video')).toEqual(range(1, 30));

    // Cut the connection from the server side (as a restart would), publish while it is gone:
    // the client reconnects by itself with since and gets exactly the missing events.
    hub.viewers.at(-1)?.close({ kind: 'shutdown', code: null, message: 'test cut' });
    pub('text', 7);
    pub('temporal', 3);
    await waitForStatus(page, 'a', 'open', 2);
    pub('text', 1);
    events = await waitForEvents(page, 'a', 65 + 11);
    expect(seqsOf(events, 'text')).toEqual(range(1, 28));
    expect(seqsOf(events, 'temporal')).toEqual(range(1, 3));
    expect(events).toHaveLength(76);
    const last = await closeInPage(page, 'a');
    expect(last).toMatchObject({ text: 28, alerts: 5, transcript: 10, video: 30, temporal: 3 });

    // A new connection given that since gets only what came after.
    pub('alerts', 2);
    await connectInPage(page, 'b', { transport: 'websocket', since: last });
    await waitForStatus(page, 'b', 'open');
    const b = await waitForEvents(page, 'b', 2);
    expect(b.map((e) => `${e.channel}:${e.seq}`)).toEqual(['alerts:6', 'alerts:7']);
    await closeInPage(page, 'b');
  });
});
