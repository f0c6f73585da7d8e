import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AnalysisHub } from '../../../src/transport/hub.js';
import { CHANNELS, type Channel } from '../../../src/media/types.js';
import type { SinceMap } from '../../../src/transport/since.js';
import { MemorySink, settle } from './memory-sink.js';

const RELIABLE: Channel[] = ['transcript', 'text', 'temporal', 'alerts'];

/**
 * Any interleaving of publishes, disconnects and resumes gives the client, over all its
 * connections, every event of every reliable channel exactly once and in order, as long as
 * the replay buffer still holds what it missed.
 */
describe('resume with since', () => {
  it('no duplicates and no gaps across reconnects (property)', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.oneof(
        fc.record({ op: fc.constant('publish' as const), channel: fc.constantFrom(...RELIABLE), count: fc.integer({ min: 1, max: 5 }) }),
        fc.record({ op: fc.constant('reconnect' as const) }),
        fc.record({ op: fc.constant('pause' as const) }),
        fc.record({ op: fc.constant('resume' as const) }),
        fc.record({ op: fc.constant('settle' as const) }),
      ), { maxLength: 60 }),
      async (ops) => {
        const hub = new AnalysisHub({ reliableQueueCapacity: 6, replayCapacity: { transcript: 500, text: 500, temporal: 500, alerts: 500 } });
        const seen: Record<string, number[]> = {};
        let sink = new MemorySink();
        const collect = (s: MemorySink) => {
          for (const c of RELIABLE) (seen[c] ??= []).push(...s.seqs(c));
        };
        const lastSeen = (): SinceMap => Object.fromEntries(RELIABLE.map((c) => [c, seen[c]?.at(-1) ?? 0]));
        let viewer = hub.attach('s', sink, { since: lastSeen() });
        const published: Record<string, number> = {};
        for (const o of ops) {
          if (o.op === 'publish') {
            for (let i = 0; i < o.count; i += 1) hub.publish('s', { channel: o.channel, type: 'x', pts: i, data: null });
            published[o.channel] = (published[o.channel] ?? 0) + o.count;
          } else if (o.op === 'pause') sink.pause();
          else if (o.op === 'resume') sink.resume();
          else if (o.op === 'settle') await settle();
          // reconnect: the old connection goes away (as if the network dropped), or it was
          // already closed for lag; the client resumes from what it actually received.
          if (o.op === 'reconnect' || sink.closeReason !== null) {
            viewer.close({ kind: 'disconnected', code: null, message: 'test' });
            collect(sink);
            sink = new MemorySink();
            viewer = hub.attach('s', sink, { since: lastSeen() });
          }
        }
        sink.resume();
        await settle();
        collect(sink);
        expect(hub.viewerCount('s')).toBe(1);
        for (const c of RELIABLE) expect(seen[c] ?? []).toEqual(Array.from({ length: published[c] ?? 0 }, (_, i) => i + 1));
        for (const c of CHANNELS) expect(hub.buffered('s', c, 0)?.length).toBe(published[c] ?? 0);
      },
    ), { numRuns: 200 });
  });
});
