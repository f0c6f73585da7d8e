import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { AnalysisHub } from '../../../src/transport/hub.js';
import { registerHubMetrics } from '../../../src/transport/metrics.js';
import type { Channel } from '../../../src/media/types.js';
import { MemorySink, settle } from './memory-sink.js';

const S = 'cam1';
const at = (channel: Channel, n: number) => ({ channel, type: 't', pts: n, data: { n } });

describe('AnalysisHub numbering and fan-out', () => {
  it('numbers per stream and channel from 1 without gaps, fills ts', () => {
    const hub = new AnalysisHub({ now: () => 42 });
    expect(hub.publish(S, at('text', 0)).seq).toBe(1);
    expect(hub.publish(S, at('text', 1)).seq).toBe(2);
    expect(hub.publish(S, at('video', 1)).seq).toBe(1);
    expect(hub.publish('other', at('text', 1)).seq).toBe(1);
    const w = hub.publish(S, { ...at('alerts', 5), ts: 7 });
    expect(w).toEqual({ channel: 'alerts', seq: 1, pts: 5, ts: 7, type: 't', data: { n: 5 } });
    expect(hub.publish(S, at('audio', 1)).ts).toBe(42);
  });

  it('delivers only the channels a viewer asked for, live from attach', async () => {
    const hub = new AnalysisHub();
    hub.publish(S, at('text', 0));
    const sink = new MemorySink();
    hub.attach(S, sink, { channels: ['text', 'alerts'] });
    hub.publish(S, at('text', 1));
    hub.publish(S, at('video', 1));
    hub.publish(S, at('alerts', 1));
    await settle();
    expect(sink.received.map((e) => `${e.channel}:${e.seq}`)).toEqual(['text:2', 'alerts:1']);
  });

  it('finishes viewers when the stream ends, after flushing, and keeps buffers for export', async () => {
    const hub = new AnalysisHub();
    const sink = new MemorySink();
    hub.attach(S, sink);
    sink.pause();
    for (let i = 0; i < 5; i += 1) hub.publish(S, at('text', i));
    hub.endStream(S);
    expect(sink.closeReason).toBeNull();
    sink.resume();
    const reason = await sink.closed();
    expect(reason.kind).toBe('stream-ended');
    expect(sink.seqs('text')).toEqual([1, 2, 3, 4, 5]);
    expect(hub.buffered(S, 'text', 3)?.map((e) => e.event.seq)).toEqual([4, 5]);
    // a publisher that comes back starts a new run of the id at seq 1
    expect(hub.publish(S, at('text', 9)).seq).toBe(1);
  });
});

describe('AnalysisHub backpressure', () => {
  it('a paused viewer skips to the newest on video and counts it; a fast viewer gets everything', async () => {
    const hub = new AnalysisHub({ lossyQueueCapacity: 4, reliableQueueCapacity: 1000 });
    const slow = new MemorySink();
    const fast = new MemorySink();
    hub.attach(S, slow);
    hub.attach(S, fast);
    slow.pause();
    for (let i = 0; i < 100; i += 1) {
      hub.publish(S, at('video', i));
      hub.publish(S, at('text', i));
    }
    await settle();
    expect(fast.seqs('video')).toEqual(range(1, 100));
    expect(fast.seqs('text')).toEqual(range(1, 100));
    // the slow one took the first event (its write is pending) and nothing since
    expect(slow.seqs('video')).toEqual([1]);
    slow.resume();
    await settle();
    // after resuming it gets the newest 4 video events (skipped the rest) but every text event
    expect(slow.seqs('video')).toEqual([1, 97, 98, 99, 100]);
    expect(slow.seqs('text')).toEqual(range(1, 100));
    expect(hub.stats().skipped.video).toBe(95);
    expect(hub.stats().closedForLag).toBe(0);
  });

  it('closes a viewer that falls too far behind on text with a reason; others are unaffected and it can resume', async () => {
    const hub = new AnalysisHub({ reliableQueueCapacity: 8 });
    const slow = new MemorySink();
    const fast = new MemorySink();
    hub.attach(S, slow);
    hub.attach(S, fast);
    slow.pause();
    for (let i = 0; i < 50; i += 1) hub.publish(S, at('text', i));
    const reason = await slow.closed();
    expect(reason.kind).toBe('lagging');
    expect(reason.code).toBe('OVERLOADED');
    expect(reason.message).toMatch(/fell behind on channel text; reconnect with since=text:1/);
    expect(hub.stats().closedForLag).toBe(1);
    await settle();
    expect(fast.seqs('text')).toEqual(range(1, 50));
    expect(fast.closeReason).toBeNull();
    // it had received seq 1 only; resuming from there yields exactly the rest, then live
    const again = new MemorySink();
    hub.attach(S, again, { since: { text: Math.max(...slow.seqs('text')) } });
    hub.publish(S, at('text', 50));
    await settle();
    expect([...slow.seqs('text'), ...again.seqs('text')]).toEqual(range(1, 51));
    expect(hub.stats().viewers).toBe(2);
  });

  it('publish() returns while a viewer write never settles', () => {
    const hub = new AnalysisHub({ reliableQueueCapacity: 10_000 });
    const stuck = new MemorySink();
    stuck.pause();
    hub.attach(S, stuck);
    // 5000 publishes complete synchronously although the viewer accepts nothing
    for (let i = 0; i < 5000; i += 1) hub.publish(S, at('alerts', i));
    expect(hub.buffered(S, 'alerts', 0)?.at(-1)?.event.seq).toBe(5000);
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe('hub metrics', () => {
  it('exposes viewers, published, skipped and closed-for-lag to Prometheus', async () => {
    const register = new Registry();
    const hub = new AnalysisHub({ lossyQueueCapacity: 1, reliableQueueCapacity: 1 });
    registerHubMetrics(register, hub);
    const sink = new MemorySink();
    sink.pause();
    hub.attach(S, sink, { channels: ['video'] });
    const other = new MemorySink();
    other.pause();
    hub.attach(S, other, { channels: ['text'] });
    for (let i = 0; i < 5; i += 1) {
      hub.publish(S, at('video', i));
      hub.publish(S, at('text', i));
    }
    const text = await register.metrics();
    expect(text).toContain('midstream_analysis_viewers 1');
    expect(text).toContain('midstream_analysis_events_published_total{channel="text"} 5');
    expect(text).toContain('midstream_analysis_events_skipped_total{channel="video"} 3');
    expect(text).toContain('midstream_analysis_viewers_closed_for_lag_total 1');
  });
});

describe('hub input checks', () => {
  it('refuses an unknown channel and unserialisable data without using up a seq', () => {
    const hub = new AnalysisHub();
    expect(() => hub.publish(S, { channel: 'nope' as Channel, type: 't', pts: 0, data: null })).toThrow(/unknown analysis channel/);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => hub.publish(S, { channel: 'text', type: 't', pts: 0, data: cyclic })).toThrow();
    expect(hub.publish(S, { channel: 'text', type: 't', pts: 0, data: undefined })).toMatchObject({ seq: 1, data: null });
    expect(hub.buffered(S, 'text')?.[0]?.json).toContain('"data":null');
  });
});
