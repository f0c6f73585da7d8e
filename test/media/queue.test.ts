import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BoundedQueue } from '../../src/media/queue.js';
import { RawFramer } from '../../src/media/decoder/raw-framer.js';
import { FrameBus } from '../../src/media/frame-bus.js';
import type { VideoFrame } from '../../src/media/types.js';

describe('BoundedQueue', () => {
  it('drop-oldest keeps the newest items and counts every drop', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 16 }), fc.array(fc.integer(), { maxLength: 100 }), (cap, items) => {
      const q = new BoundedQueue<number>(cap, 'drop-oldest');
      for (const i of items) q.push(i);
      const out: number[] = [];
      for (let x = q.shift(); x !== undefined; x = q.shift()) out.push(x);
      expect(out).toEqual(items.slice(Math.max(0, items.length - cap)));
      expect(q.dropped).toBe(Math.max(0, items.length - cap));
    }));
  });

  it('reject refuses when full and keeps the oldest', () => {
    const q = new BoundedQueue<number>(2, 'reject');
    expect(q.push(1)).toBe(true);
    expect(q.push(2)).toBe(true);
    expect(q.push(3)).toBe(false);
    expect(q.dropped).toBe(1);
    expect([q.shift(), q.shift(), q.shift()]).toEqual([1, 2, undefined]);
  });

  it('async iteration delivers in order and ends on close', async () => {
    const q = new BoundedQueue<number>(4, 'reject');
    const seen: number[] = [];
    const done = (async () => {
      for await (const x of q) seen.push(x);
    })();
    q.push(1);
    q.push(2);
    await Promise.resolve();
    q.push(3);
    q.close();
    await done;
    expect(seen).toEqual([1, 2, 3]);
  });
});

describe('RawFramer', () => {
  it('cuts any chunking of a byte stream into the same frames', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), fc.array(fc.integer({ min: 1, max: 50 })), (bytes, cuts) => {
      const frames: number[][] = [];
      const framer = new RawFramer(7);
      let offset = 0;
      for (const c of [...cuts, bytes.length]) {
        framer.push(bytes.subarray(offset, offset + c), (f) => frames.push([...f]));
        offset += c;
        if (offset >= bytes.length) break;
      }
      const expected: number[][] = [];
      for (let i = 0; i + 7 <= bytes.length; i += 7) expected.push([...bytes.subarray(i, i + 7)]);
      expect(frames).toEqual(expected);
    }));
  });
});

describe('FrameBus', () => {
  it('a slow subscriber loses only its own oldest frames', () => {
    const bus = new FrameBus({ videoCapacity: 3 });
    const slow = bus.subscribe();
    const fast = bus.subscribe();
    const seenFast: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const frame: VideoFrame = { kind: 'video', streamId: 's', pts: i * 33, index: i, width: 1, height: 1, format: 'gray8', data: new Uint8Array(1) };
      bus.pushVideo(frame);
      seenFast.push(fast.video.shift()?.index ?? -1);
    }
    expect(seenFast).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([slow.video.shift()?.index, slow.video.shift()?.index, slow.video.shift()?.index]).toEqual([7, 8, 9]);
    expect(bus.videoDropped).toBe(7);
  });

  it('an audio-only subscriber gets audio, is never offered video, and drops nothing', () => {
    const bus = new FrameBus({ videoCapacity: 3 });
    const audioOnly = bus.subscribe({ video: false });
    for (let i = 0; i < 10; i += 1) {
      bus.pushVideo({ kind: 'video', streamId: 's', pts: i * 33, index: i, width: 1, height: 1, format: 'gray8', data: new Uint8Array(1) });
      bus.pushAudio({ kind: 'audio', streamId: 's', pts: i * 20, index: i, sampleRate: 48_000, channels: 1, format: 's16', samples: new Int16Array(960) });
    }
    expect(bus.videoDropped).toBe(0);
    expect(audioOnly.video.size).toBe(0);
    expect(audioOnly.audio.shift()?.index).toBe(0);
  });
});
