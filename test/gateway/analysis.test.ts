import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { startTestGateway, TEST_KEY, type TestGateway } from '../helpers/gateway.js';
import { WsViewer } from '../transport/hub/ws-client.js';
import type { WireEvent } from '../../src/media/types.js';
import { withTimeout } from '../helpers/wait.js';

/**
 * A stream with known content goes through the whole gateway: RTMP in, decoders, analyzers,
 * hub, WebSocket out. The picture turns black from 3 s to 5 s; the tone is muted from 2 s to 4.5 s.
 */
let t: TestGateway;
let viewer: WsViewer;

beforeAll(async () => {
  t = await startTestGateway();
});

afterAll(async () => {
  viewer?.ws.close();
  await t?.close();
});

function edges(events: WireEvent[], type: string): { state: string; pts: number }[] {
  return events.filter((e) => e.type === type).map((e) => ({ state: (e.data as { state: string }).state, pts: e.pts }));
}

describe('analysis through the gateway', () => {
  it('publishes per-frame stats and segment events with media pts on their channels, gap-free', { timeout: 90_000 }, async () => {
    const publisher = spawn('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-nostdin', '-re',
      '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30:duration=7',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=7',
      '-vf', "drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='between(t,3,5)'",
      '-af', "volume=volume=0:enable='between(t,2,4.5)'",
      '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '30', '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-ar', '48000', '-f', 'flv', t.rtmpUrl('known', TEST_KEY),
    ], { stdio: 'ignore' });
    await t.waitState('known', 'starting');
    // since=...:0 replays what was published before the viewer got in (on a loaded machine
    // the first audio blocks' events can be out before the WebSocket handshake is done).
    viewer = new WsViewer(`ws://127.0.0.1:${t.gateway.httpPort}/streams/known/analysis?since=video:0,audio:0,alerts:0`);
    await viewer.opened;
    await withTimeout(new Promise((r) => publisher.on('exit', r)), 30_000, 'the publisher to finish');
    await t.waitState('known', 'ended', 10_000);
    await viewer.until(() => viewer.events.some((e) => e.type === 'black' && (e.data as { state: string }).state === 'end'), 10_000).catch((err: Error) => {
      // Say what the gateway had done, so a failure here can be told apart from a slow machine.
      throw new Error(`${err.message}; stream ${JSON.stringify(t.gateway.streams.get('known')?.stats)}, scheduler ${JSON.stringify(t.gateway.scheduler.stats())}`);
    });

    for (const channel of ['video', 'audio', 'alerts'] as const) {
      const seqs = viewer.seqs(channel);
      expect(seqs.length).toBeGreaterThan(0);
      expect(seqs).toEqual(seqs.map((_, i) => 1 + i)); // from the first, gap-free
    }
    const frames = viewer.events.filter((e) => e.channel === 'video' && e.type === 'frame');
    // The viewer joined while the stream was starting: it saw (nearly) every frame.
    expect(frames.length).toBeGreaterThan(180);
    expect(frames.every((e) => typeof (e.data as { motion: unknown }).motion === 'number')).toBe(true);
    for (let i = 1; i < frames.length; i += 1) expect(frames[i]?.pts).toBeGreaterThan(frames[i - 1]?.pts ?? Infinity);

    // The publisher's t = 0 is its first frame/sample; FLV timestamps may start a little later.
    const video0 = frames[0]?.pts ?? 0;
    const audio0 = viewer.events.find((e) => e.channel === 'audio' && e.type === 'level')?.pts ?? 0;
    expect(video0).toBeLessThan(200);
    const black = edges(viewer.events, 'black');
    expect(black[0]?.state).toBe('start');
    expect(Math.abs((black[0]?.pts ?? 0) - video0 - 3000)).toBeLessThanOrEqual(34); // ± 1 frame
    expect(black[1]?.state).toBe('end');
    expect(Math.abs((black[1]?.pts ?? 0) - video0 - 5000)).toBeLessThanOrEqual(34);

    const silence = edges(viewer.events, 'silence');
    expect(silence[0]?.state).toBe('start');
    // Analysis shed under overload would move audio0 (the first analysed block): say so if it did.
    const shed = `scheduler ${JSON.stringify(t.gateway.scheduler.stats())}`;
    expect(Math.abs((silence[0]?.pts ?? 0) - audio0 - 2000), `silence at ${silence[0]?.pts}, audio0 ${audio0}; ${shed}`).toBeLessThanOrEqual(50); // ± 50 ms

    const alerts = viewer.events.filter((e) => e.channel === 'alerts');
    expect(alerts.map((a) => (a.data as { message: string }).message)).toEqual(expect.arrayContaining(['Picture went black', 'Audio went silent']));
    for (const e of viewer.events) {
      expect(e.ts).toBeGreaterThan(Date.now() - 120_000);
      expect(e.ts).toBeLessThanOrEqual(Date.now());
    }

    const ndjson = await (await fetch(`${t.base}/api/streams/known/events?channel=alerts`)).text();
    const exported = ndjson.trim().split('\n').map((l) => JSON.parse(l) as WireEvent);
    expect(exported.map((e) => e.seq)).toEqual(alerts.map((e) => e.seq));
  });
});
