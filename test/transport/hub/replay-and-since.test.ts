import { describe, expect, it } from 'vitest';
import { encodeEvent } from '../../../src/transport/encoded-event.js';
import { ReplayBuffer } from '../../../src/transport/replay-buffer.js';
import { formatSince, parseChannels, parseSince } from '../../../src/transport/since.js';
import { MidstreamError } from '../../../src/media/errors.js';

const ev = (seq: number) => encodeEvent({ channel: 'text', seq, pts: seq * 10, ts: 1000 + seq, type: 'pii', data: { n: seq } });

describe('ReplayBuffer', () => {
  it('keeps the newest `capacity` events and answers since() by seq', () => {
    const buf = new ReplayBuffer(3);
    for (let s = 1; s <= 5; s += 1) buf.push(ev(s));
    expect(buf.firstSeq).toBe(3);
    expect(buf.lastSeq).toBe(5);
    expect(buf.since(0).map((e) => e.event.seq)).toEqual([3, 4, 5]);
    expect(buf.since(3).map((e) => e.event.seq)).toEqual([4, 5]);
    expect(buf.since(5)).toEqual([]);
    expect(buf.since(9)).toEqual([]);
  });

  it('refuses a seq that is not the next one', () => {
    const buf = new ReplayBuffer(3);
    buf.push(ev(1));
    expect(() => buf.push(ev(3))).toThrow(/expects seq 2/);
  });

  it('encodes keys in the documented order', () => {
    expect(ev(1).json).toBe('{"channel":"text","seq":1,"pts":10,"ts":1001,"type":"pii","data":{"n":1}}');
  });
});

describe('since and channels parameters', () => {
  it('round-trips', () => {
    const since = parseSince('text:4,video:0,alerts:12');
    expect(since).toEqual({ text: 4, video: 0, alerts: 12 });
    expect(formatSince(since)).toBe('video:0,text:4,alerts:12');
    expect(parseSince(null)).toEqual({});
  });

  it.each(['text', 'nope:1', 'text:-1', 'text:1.5', 'text:1,text:2', 'text:1:2'])('rejects %s', (bad) => {
    expect(() => parseSince(bad)).toThrow(MidstreamError);
  });

  it('parses channel lists', () => {
    expect(parseChannels('text,alerts,text')).toEqual(['text', 'alerts']);
    expect(parseChannels(undefined)).toHaveLength(6);
    expect(() => parseChannels('text,bogus')).toThrow(/bogus/);
  });
});
