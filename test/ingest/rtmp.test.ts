import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { startTestGateway, TEST_ADMIN, type TestGateway } from '../helpers/gateway.js';
import { ffmpegPublisher, gstreamerPublisher, type Publisher } from '../helpers/publishers.js';
import { withTimeout } from '../helpers/wait.js';
import type { StreamView } from '../../src/media/stream-registry.js';

/**
 * The foundation's user story end to end, with real peers: ffmpeg publishing as OBS does,
 * GStreamer's rtmp2sink as a second independent RTMP implementation, real ffmpeg decoders.
 * One gateway for the file (node-media-server's state is per process).
 */
let t: TestGateway;
const publishers: Publisher[] = [];

async function getStream(id: string): Promise<{ status: number; body: StreamView }> {
  const res = await fetch(`${t.base}/api/streams/${id}`);
  return { status: res.status, body: (await res.json()) as StreamView };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1] ?? NaN;
}

/** Opens a TCP connection to the RTMP port, writes `bytes`, resolves when the server closes it. */
function sendAndAwaitClose(bytes: Buffer | null, keepOpen: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(t.gateway.rtmpPort, '127.0.0.1');
    socket.on('error', () => undefined); // a reset from the server is the expected outcome
    socket.resume(); // read (and discard) what the server sends, so its close is noticed
    socket.on('close', () => resolve());
    socket.on('connect', () => {
      if (bytes) socket.write(bytes);
      if (!keepOpen) socket.end();
    });
    socket.on('timeout', () => reject(new Error('socket timeout')));
  });
}

/** C0 + C1 + C2 of a plain RTMP handshake (version 3, zero digest). */
function handshake(): Buffer {
  return Buffer.concat([Buffer.from([3]), Buffer.alloc(1536), Buffer.alloc(1536)]);
}

/** Chunk headers (fmt 0) claiming 16 MiB messages on many chunk stream ids. */
function hugeMessageHeaders(): Buffer {
  const parts: Buffer[] = [];
  for (let cid = 3; cid < 40; cid += 1) {
    const h = Buffer.alloc(12);
    h[0] = cid; // fmt 0, cid < 64
    h.writeUIntBE(0, 1, 3); // timestamp
    h.writeUIntBE(0xffffff, 4, 3); // message length: 16 MiB - 1
    h[7] = 9; // video
    h.writeUInt32LE(1, 8);
    parts.push(h, Buffer.alloc(100));
  }
  return Buffer.concat(parts);
}

beforeAll(async () => {
  t = await startTestGateway();
});

afterAll(async () => {
  for (const p of publishers) p.kill();
  await t?.close();
});

describe('RTMP ingest from OBS-like publishers', () => {
  it('an OBS-configured ffmpeg publish goes live with the source geometry and rate, and frames carry source pts', async () => {
    const obs = ffmpegPublisher(t.rtmpUrl('obs'));
    publishers.push(obs);
    await t.waitState('obs', 'live');

    const frames = await t.nextVideoFrames('obs', 45);
    const pts = frames.map((f) => f.pts);
    for (let i = 1; i < pts.length; i += 1) expect(pts[i]).toBeGreaterThan(pts[i - 1] ?? Infinity);
    const deltas = pts.slice(1).map((p, i) => p - (pts[i] ?? 0));
    expect(median(deltas)).toBeGreaterThanOrEqual(32);
    expect(median(deltas)).toBeLessThanOrEqual(35);
    expect(frames[0]?.width).toBe(320);
    expect(frames[0]?.height).toBe(180);
    expect(frames[0]?.data.length).toBe(320 * 180);

    const audio = await t.nextAudioFrames('obs', 10);
    expect(audio[0]?.sampleRate).toBe(48_000);
    expect(audio[0]?.samples.length).toBe(960);
    // a 440 Hz sine at -18 dBFS-ish is not silence
    expect(Math.max(...Array.from(audio[5]?.samples ?? []).map(Math.abs))).toBeGreaterThan(1000);

    const first = await getStream('obs');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      id: 'obs', protocol: 'rtmp', state: 'live',
      video: { codec: 'h264', width: 1280, height: 720 },
      audio: { codec: 'aac', sampleRate: 48_000, channels: 2 },
    });
    expect(first.body.video?.fps).toBeGreaterThan(29);
    expect(first.body.video?.fps).toBeLessThan(31);
    expect(Date.parse(first.body.startedAt)).not.toBeNaN();

    // Wait for video and audio frames decoded after the snapshot above: a subscription sees only
    // frames pushed after it started, and the decoder counts a frame before pushing it, so both
    // counters must have grown by then.
    await Promise.all([t.nextVideoFrames('obs', 10), t.nextAudioFrames('obs', 1)]);
    const second = await getStream('obs');
    expect(second.body.stats.videoFrames).toBeGreaterThan(first.body.stats.videoFrames);
    expect(second.body.stats.audioFrames).toBeGreaterThan(first.body.stats.audioFrames);
  });

  it('a second, independent publisher (GStreamer rtmp2sink) decodes at the same time', async () => {
    const gst = gstreamerPublisher(t.rtmpUrl('gst'));
    publishers.push(gst);
    await t.waitState('gst', 'live');
    const [a, b] = await Promise.all([t.nextVideoFrames('gst', 30), t.nextVideoFrames('obs', 30)]);
    expect(a).toHaveLength(30);
    expect(b).toHaveLength(30);
    const gstView = await getStream('gst');
    expect(gstView.body.video).toMatchObject({ width: 640, height: 360 });
    expect(gstView.body.audio).toMatchObject({ sampleRate: 48_000, channels: 2 });
    const list = (await (await fetch(`${t.base}/api/streams`)).json()) as StreamView[];
    expect(list.map((s) => s.id).sort()).toEqual(['gst', 'obs']);
  });

  it('refuses a wrong or missing key before accepting media, and logs why', async () => {
    const wrong = ffmpegPublisher(t.rtmpUrl('intruder', 'not-the-key'), { width: 320, height: 180 });
    const missing = ffmpegPublisher(t.rtmpUrl('intruder2', '').replace(/\?key=$/, ''), { width: 320, height: 180 });
    publishers.push(wrong, missing);
    const [w, m] = await Promise.all([
      withTimeout(wrong.exited, 20_000, 'the refused publisher to exit'),
      withTimeout(missing.exited, 20_000, 'the keyless publisher to exit'),
    ]);
    expect(w.code).not.toBe(0);
    expect(m.code).not.toBe(0);
    await t.logs.waitFor((l) => l.msg === 'RTMP publish refused' && l['reason'] === 'wrong publish key', 5_000, 'the refusal log');
    await t.logs.waitFor((l) => l.msg === 'RTMP publish refused' && String(l['reason']).startsWith('missing publish key'), 5_000, 'the refusal log');
    expect((await getStream('intruder')).status).toBe(404);
    expect((await getStream('intruder2')).status).toBe(404);
    expect(t.gateway.streams.has('intruder')).toBe(false);
  });

  it('survives random bytes, a huge-message flood and a truncated handshake, with memory bounded', async () => {
    const rssBefore = process.memoryUsage().rss;
    const attacks: Promise<void>[] = [
      sendAndAwaitClose(Buffer.concat([Buffer.from([0x16]), randomBytes(1024 * 1024)]), true), // not RTMP at all
      sendAndAwaitClose(Buffer.concat([handshake(), randomBytes(1024 * 1024)]), true), // valid handshake, garbage chunks
      sendAndAwaitClose(Buffer.concat([Buffer.from([3]), randomBytes(700)]), true), // truncated handshake, left open
    ];
    for (let i = 0; i < 8; i += 1) attacks.push(sendAndAwaitClose(Buffer.concat([handshake(), hugeMessageHeaders()]), true));
    await withTimeout(Promise.all(attacks), 30_000, 'the gateway to close every bad connection');
    const rssGrowthMiB = (process.memoryUsage().rss - rssBefore) / (1024 * 1024);
    // Without the caps, the flood alone asks for 8 × 37 × 16 MiB.
    expect(rssGrowthMiB).toBeLessThan(200);

    const health = await fetch(`${t.base}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(await t.nextVideoFrames('obs', 15)).toHaveLength(15);
    expect(t.logs.find((l) => l.msg === 'RTMP connection closed' && String(l['reason']).includes('not an RTMP handshake'))).toBeDefined();
    expect(t.logs.find((l) => l.msg === 'RTMP connection closed' && String(l['reason']).includes('exceeds'))).toBeDefined();
  });

  it('restarts a killed decoder, counts the restart, and frames resume', async () => {
    const runner = t.gateway.runners.get('obs');
    const pid = runner?.decoder.pids().video;
    expect(pid).toBeTypeOf('number');
    process.kill(pid ?? 0, 'SIGKILL');
    await t.logs.waitFor((l) => l.msg === 'decoder died; restarting' && l['streamId'] === 'obs', 10_000, 'the restart log');
    const frames = await t.nextVideoFrames('obs', 15);
    expect(frames).toHaveLength(15);
    expect(runner?.decoder.pids().video).not.toBe(pid);
    const view = await getStream('obs');
    expect(view.body.stats.decoderRestarts).toBeGreaterThanOrEqual(1);
    expect(view.body.state).toBe('live');
  });

  it('marks a killed publisher ended while the other stream keeps decoding', async () => {
    const gst = publishers.find((p) => p.child.spawnfile === 'gst-launch-1.0');
    gst?.kill('SIGKILL');
    // The runner itself may take up to 4.5 s after the source ends (decoder then analysis
    // drain, src/gateway/stream-runner.ts), plus noticing the dead connection: a wait bound only.
    await t.waitState('gst', 'ended', 15_000);
    expect((await getStream('gst')).body.state).toBe('ended');
    expect(await t.nextVideoFrames('obs', 15)).toHaveLength(15);
  });

  it('ends a publisher through DELETE /api/streams/:id only with the admin token', async () => {
    const noAuth = await fetch(`${t.base}/api/streams/obs`, { method: 'DELETE' });
    expect(noAuth.status).toBe(401);
    expect(((await noAuth.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    const badAuth = await fetch(`${t.base}/api/streams/obs`, { method: 'DELETE', headers: { authorization: 'Bearer nope' } });
    expect(badAuth.status).toBe(401);
    expect(t.gateway.streams.state('obs')).toBe('live');

    const ingest = (await (await fetch(`${t.base}/api/ingest`)).json()) as { rtmp: { url: string; streamKey: string } };
    expect(ingest.rtmp.url).toBe(`rtmp://127.0.0.1:${t.gateway.rtmpPort}/live`);
    expect(ingest.rtmp.streamKey).toBe('<streamId>?key=<publishKey>');

    const metrics = await (await fetch(`${t.base}/metrics`)).text();
    expect(metrics).toMatch(/midstream_streams_live 1/);
    expect(metrics).toMatch(/midstream_video_frames_decoded_total\{stream="obs"\} [1-9]/);
    expect(metrics).toMatch(/midstream_decoder_restarts_total\{stream="obs"\} [1-9]/);
    expect(metrics).toMatch(/midstream_process_resident_memory_bytes/);
    expect(metrics).toMatch(/midstream_analysis_tasks_total\{outcome="run"\} [1-9]/);
    expect(metrics).toMatch(/midstream_analysis_shed_total\{kind="video"\} \d+/);
    expect(metrics).toMatch(/midstream_analysis_events_published_total\{channel="video"\} [1-9]/);

    const ok = await fetch(`${t.base}/api/streams/obs`, { method: 'DELETE', headers: { authorization: `Bearer ${TEST_ADMIN}` } });
    expect(ok.status).toBe(200);
    await t.waitState('obs', 'ended', 5_000);
    const gone = await fetch(`${t.base}/api/streams/nope`, { method: 'DELETE', headers: { authorization: `Bearer ${TEST_ADMIN}` } });
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error: { code: string } }).error.code).toBe('STREAM_NOT_FOUND');
  });
});
