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
    // Every decoded frame is accounted for: analysed (its event reached the viewer, which got
    // the replay from seq 1), shed by the scheduler under overload, or dropped for a lagging
    // consumer. How many are shed depends on the machine's load (a CI run shed 30 of 210),
    // so the count of analysed frames is not pinned, only kept well above none (enough for the
    // edges below); the accounting is pinned.
    const stats = t.gateway.streams.get('known')?.stats;
    const shedVideo = t.gateway.scheduler.stats().shedByKind.video;
    const accounted = `frames ${frames.length}, shed ${shedVideo}, stats ${JSON.stringify(stats)}`;
    expect(frames.length + shedVideo, accounted).toBeLessThanOrEqual(stats?.videoFrames ?? 0);
    expect(frames.length + shedVideo + (stats?.videoDropped ?? 0), accounted).toBeGreaterThanOrEqual(stats?.videoFrames ?? Infinity);
    expect(frames.length, accounted).toBeGreaterThan(20);
    expect(frames.every((e) => typeof (e.data as { motion: unknown }).motion === 'number')).toBe(true);
    for (let i = 1; i < frames.length; i += 1) expect(frames[i]?.pts).toBeGreaterThan(frames[i - 1]?.pts ?? Infinity);

    // The publisher's t = 0. ffmpeg's FLV muxer starts this publish within a frame of 0 (audio
    // at 0, video at 21 ms, shifted by the AAC encoder delay). Under overload the scheduler may
    // shed the first frames or blocks, so t = 0 is not "the first analysed one": it is where
    // the analysed pts sit on their grid (frames every 1000/30 ms, blocks every 20 ms).
    const frameMs = 1000 / 30;
    const levels = viewer.events.filter((e) => e.channel === 'audio' && e.type === 'level');
    const video0 = (frames[0]?.pts ?? NaN) % frameMs;
    const audio0 = (levels[0]?.pts ?? NaN) % 20;
    // An edge at media time `at` is seen at the first analysed frame/block from `at` on (the
    // same instant when nothing was shed).
    const firstFrom = (list: WireEvent[], at: number, step: number): number => list.find((e) => e.pts >= at - step / 2)?.pts ?? NaN;
    const diag = `video0 ${video0}, audio0 ${audio0}; ${accounted}; scheduler ${JSON.stringify(t.gateway.scheduler.stats())}`;
    const black = edges(viewer.events, 'black');
    expect(black[0]?.state).toBe('start');
    expect(Math.abs((black[0]?.pts ?? 0) - firstFrom(frames, video0 + 3000, frameMs)), diag).toBeLessThanOrEqual(34); // ± 1 frame
    expect(black[1]?.state).toBe('end');
    expect(Math.abs((black[1]?.pts ?? 0) - firstFrom(frames, video0 + 5000, frameMs)), diag).toBeLessThanOrEqual(34);

    const silence = edges(viewer.events, 'silence');
    expect(silence[0]?.state).toBe('start');
    expect(Math.abs((silence[0]?.pts ?? 0) - firstFrom(levels, audio0 + 2000, 20)), `silence at ${silence[0]?.pts}; ${diag}`).toBeLessThanOrEqual(50); // ± 50 ms

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
