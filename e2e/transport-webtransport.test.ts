import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Channel } from '../src/media/types.js';
import {
  closeInPage, connectInPage, startWtBrowserFixture, range, RecordingHub, seqsOf, statuses, waitForEvents, waitForStatus,
} from '../test/transport/hub/browser-harness.js';

/**
 * The browser client in real Chromium against our HTTP/3 + WebTransport server: Chromium's
 * own WebTransport, the certificate accepted only through serverCertificateHashes (no
 * certificate-bypass flag), several channels at once on their own streams, a datagram
 * round trip, and resume after the session is cut.
 */
describe('browser client over WebTransport (Chromium)', () => {
  let fixture: Awaited<ReturnType<typeof startWtBrowserFixture>> | undefined;
  let page: Page;
  const hub = new RecordingHub();
  const pub = (channel: Channel, n: number) => {
    for (let i = 0; i < n; i += 1) hub.publish('cam1', { channel, type: `${channel}-event`, pts: i * 33, data: { i } });
  };

  beforeAll(async () => {
    fixture = await startWtBrowserFixture(hub);
    page = fixture.page;
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('opens WebTransport with certificate hashes, gets several channels without gaps, resumes after a cut', async () => {
    await connectInPage(page, 'a', { transport: 'auto' });
    await waitForStatus(page, 'a', 'open');
    expect((await statuses(page, 'a')).find((s) => s.state === 'open')?.transport).toBe('webtransport');
    pub('text', 50);
    pub('alerts', 5);
    pub('transcript', 20);
    pub('temporal', 10);
    let events = await waitForEvents(page, 'a', 85);
    expect(seqsOf(events, 'text')).toEqual(range(1, 50));
    expect(seqsOf(events, 'alerts')).toEqual(range(1, 5));
    expect(seqsOf(events, 'transcript')).toEqual(range(1, 20));
    expect(seqsOf(events, 'temporal')).toEqual(range(1, 10));

    // Cut the session from the server side; events published meanwhile come on reconnect.
    hub.viewers.at(-1)?.close({ kind: 'shutdown', code: null, message: 'test cut' });
    pub('text', 7);
    pub('alerts', 2);
    await waitForStatus(page, 'a', 'open', 2);
    expect((await statuses(page, 'a')).filter((s) => s.state === 'open').map((s) => s.transport)).toEqual(['webtransport', 'webtransport']);
    pub('text', 1);
    events = await waitForEvents(page, 'a', 85 + 10);
    expect(seqsOf(events, 'text')).toEqual(range(1, 58));
    expect(seqsOf(events, 'alerts')).toEqual(range(1, 7));
    expect(events).toHaveLength(95);
    const last = await closeInPage(page, 'a');
    expect(last).toMatchObject({ text: 58, alerts: 7, transcript: 20, temporal: 10 });

    // A new session given that since gets exactly what came after.
    pub('transcript', 3);
    await connectInPage(page, 'b', { transport: 'webtransport', since: last });
    await waitForStatus(page, 'b', 'open');
    const b = await waitForEvents(page, 'b', 3);
    expect(b.map((e) => `${e.channel}:${e.seq}`)).toEqual(['transcript:21', 'transcript:22', 'transcript:23']);
  });

  it('sends a datagram and receives its echo', async () => {
    await connectInPage(page, 'd', { transport: 'webtransport', channels: ['alerts'] });
    await waitForStatus(page, 'd', 'open');
    // Datagrams are unreliable by design, so resend until the echo comes back.
    await page.waitForFunction(() => {
      const run = (window as unknown as { runs: Record<string, { conn: { sendDatagram(p: Uint8Array): boolean }; datagrams: string[] }> }).runs['d'];
      if (!run) return false;
      if (run.datagrams.includes('probe-1')) return true;
      run.conn.sendDatagram(new TextEncoder().encode('probe-1'));
      return false;
    }, undefined, { polling: 100, timeout: 10_000 });
    await closeInPage(page, 'd');
  });
});
