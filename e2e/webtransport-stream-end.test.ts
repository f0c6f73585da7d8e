import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Channel } from '../src/media/types.js';
import {
  connectInPage, startWtBrowserFixture, range, RecordingHub, seqsOf, statuses, waitForStatus, type PageEvent,
} from '../test/transport/hub/browser-harness.js';

const CHANNELS: readonly Channel[] = ['video', 'audio', 'transcript', 'text', 'temporal', 'alerts'];
const RELIABLE: readonly Channel[] = ['transcript', 'text', 'temporal', 'alerts'];
const LOSSY: readonly Channel[] = ['video', 'audio'];
const ROUNDS = 20;
const VIEWERS = 4;
const PER_CHANNEL = 30;

/**
 * Waits until the last event the page got on each of `want`'s channels has at least that seq
 * (a condition on those channels alone, whatever the others have delivered), then returns
 * everything the page got.
 */
async function waitForLastSeqs(page: Page, name: string, want: Partial<Record<Channel, number>>): Promise<PageEvent[]> {
  const events = (): Promise<PageEvent[]> => page.evaluate((name) => (window as unknown as { runs: Record<string, { events: PageEvent[] }> }).runs[name]?.events ?? [], name);
  await page.waitForFunction(({ name, want }) => {
    const events = (window as unknown as { runs: Record<string, { events: { channel: string; seq: number }[] }> }).runs[name]?.events ?? [];
    return Object.entries(want).every(([channel, seq]) => (events.findLast((e) => e.channel === channel)?.seq ?? 0) >= (seq ?? 0));
  }, { name, want }, { timeout: 60_000 }).catch(async (err: Error) => {
    // Say what did arrive, and what the connection went through.
    const got = await events();
    const seqs = Object.fromEntries(CHANNELS.map((c) => [c, seqsOf(got, c).join(',')]));
    throw new Error(`${name}: ${err.message}; wanted last seqs ${JSON.stringify(want)}; got ${JSON.stringify(seqs)}; statuses ${JSON.stringify(await statuses(page, name))}`);
  });
  return events();
}

/**
 * A stream that ends, again and again, in front of Chromium's own WebTransport: every viewer
 * gets every event and then the end, and the page survives. Chromium 156's renderer crashed
 * when the session's close came right behind the streams' FINs (within 1–3 rounds of this test
 * before the gateway waited between the two; src/transport/wt-sink.ts, STREAM_END_LINGER_MS).
 */
describe('stream end over WebTransport (Chromium)', () => {
  let fixture: Awaited<ReturnType<typeof startWtBrowserFixture>> | undefined;
  let page: Page;
  let crashed = false;
  const hub = new RecordingHub();

  beforeAll(async () => {
    fixture = await startWtBrowserFixture(hub);
    page = fixture.page;
    page.on('crash', () => (crashed = true));
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it(`delivers every event, then the end, ${ROUNDS} times over without the page crashing`, { timeout: 300_000 }, async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      // Publishing to an ended stream id starts it afresh, seq from 1 (hub.ts).
      hub.publish('cam1', { channel: 'text', type: 'round', pts: 0, data: { round } });
      const names = range(1, VIEWERS).map((v) => `r${round}v${v}`);
      // since=<channel>:0 on every channel: replay from seq 1, so no event races the join.
      const since = Object.fromEntries(CHANNELS.map((c) => [c, 0]));
      for (const name of names) await connectInPage(page, name, { transport: 'webtransport', since });
      for (const name of names) await waitForStatus(page, name, 'open');
      for (let i = 0; i < PER_CHANNEL; i += 1) {
        for (const channel of CHANNELS) hub.publish('cam1', { channel, type: `${channel}-event`, pts: i * 33, data: { i, pad: 'x'.repeat(200) } });
      }
      hub.endStream('cam1');
      for (const name of names) {
        // The text channels lose nothing: every event, in order (text also has the round's first).
        // Wait until each of them has delivered its last seq (the lossy channels do not count
        // towards this), then check that nothing came before it out of order or went missing.
        const last = Object.fromEntries(RELIABLE.map((c) => [c, c === 'text' ? PER_CHANNEL + 1 : PER_CHANNEL]));
        const events = await waitForLastSeqs(page, name, last);
        expect(seqsOf(events, 'text'), name).toEqual(range(1, PER_CHANNEL + 1));
        for (const channel of RELIABLE.filter((c) => c !== 'text')) expect(seqsOf(events, channel), `${name} ${channel}`).toEqual(range(1, PER_CHANNEL));
        await waitForStatus(page, name, 'ended');
        // video and audio skip to the newest when a viewer's queue is full: in order, ending with
        // the last (waited for: the last one may still be on its way when the end is seen).
        const all = await waitForLastSeqs(page, name, Object.fromEntries(LOSSY.map((c) => [c, PER_CHANNEL])));
        for (const channel of LOSSY) {
          const seqs = seqsOf(all, channel);
          expect(seqs.at(-1), `${name} ${channel}`).toBe(PER_CHANNEL);
          expect(seqs, `${name} ${channel}`).toEqual([...new Set(seqs)].sort((a, b) => a - b));
        }
        expect((await statuses(page, name)).map((s) => s.state)).toEqual(['connecting', 'open', 'ended']);
      }
      expect(crashed, `the page crashed in round ${round}`).toBe(false);
    }
  });
});
