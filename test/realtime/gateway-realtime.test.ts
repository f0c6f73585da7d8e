import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { startTestGateway, TEST_KEY, type TestGateway } from '../helpers/gateway.js';
import { WsViewer } from '../transport/hub/ws-client.js';
import { withTimeout } from '../helpers/wait.js';
import { MockRealtimeServer } from './mock-realtime-server.js';

/**
 * A stream published over RTMP, its audio transcribed through the Realtime bridge (against
 * the local GA-protocol server), the transcript on the `transcript` channel and, redacted by
 * the text analyzers, on `text`, with the media time its speech began.
 */
describe('Realtime transcription through the gateway', () => {
  let t: TestGateway;
  let server: MockRealtimeServer;
  let viewer: WsViewer | undefined;

  beforeAll(async () => {
    server = new MockRealtimeServer();
    await server.start();
    t = await startTestGateway({
      // drainMs: the end waits for the last transcript however loaded the machine is.
      realtime: { apiKey: 'sk-test', baseURL: server.baseURL, ca: server.ca, model: 'gpt-realtime', transcriptionModel: 'gpt-4o-transcribe', respond: false, drainMs: 30_000 },
    });
  });
  afterAll(async () => {
    viewer?.ws.close();
    await t?.close();
    await server?.close();
  });

  it('puts the transcript on `transcript`, redacts it on `text`, at the speech pts', { timeout: 60_000 }, async () => {
    server.script.push('write to john.smith@example.com please ', 'and that is all');
    const publisher = spawn('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-nostdin', '-re',
      '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30:duration=5',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=5',
      // Speech stand-ins: the tone at 1–2 s, and from 3 s to the end (that turn is still open
      // when the stream ends, so only the bridge's drain gets it transcribed).
      '-af', "volume=volume=0:enable='not(between(t,1,2)+gte(t,3))'",
      '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '30', '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-ar', '48000', '-f', 'flv', t.rtmpUrl('rt', TEST_KEY),
    ], { stdio: 'ignore' });
    await t.waitState('rt', 'starting');
    viewer = new WsViewer(`ws://127.0.0.1:${t.gateway.httpPort}/streams/rt/analysis?since=transcript:0,text:0,alerts:0&channels=transcript,text,alerts`);
    await viewer.opened;
    const v = viewer;
    await withTimeout(new Promise((r) => publisher.on('exit', r)), 30_000, 'the publisher to finish');
    await v.until(() => v.events.filter((e) => e.channel === 'transcript' && e.type === 'done').length === 2, 20_000);

    expect(server.connections).toHaveLength(1);
    expect(server.connections[0]?.commits).toBe(1);
    // The server heard the 440 Hz tone reading the samples as 24 kHz: resampled right.
    expect(server.turns).toHaveLength(2);
    for (const turn of server.turns) expect(Math.abs(turn.hz - 440)).toBeLessThan(5);
    const done = v.events.filter((e) => e.channel === 'transcript' && e.type === 'done');
    expect(done.map((e) => (e.data as { text: string }).text)).toEqual(['write to john.smith@example.com please ', 'and that is all']);
    // Speech began at 1 s and 3 s of the publisher's time (the AAC delay and one VAD window).
    expect(Math.abs((done[0]?.pts ?? 0) - 1000)).toBeLessThanOrEqual(60);
    expect(Math.abs((done[1]?.pts ?? 0) - 3000)).toBeLessThanOrEqual(60);

    const firstItem = (done[0]?.data as { itemId: string }).itemId;
    await v.until(() => v.events.some((e) => e.channel === 'text' && e.type === 'pii'), 10_000);
    const redacted = v.events
      .filter((e) => e.channel === 'text' && e.type === 'redacted' && (e.data as { itemId: string }).itemId === firstItem)
      .map((e) => (e.data as { output: string }).output)
      .join('');
    expect(redacted).toBe('write to [EMAIL] please ');
    expect(v.events.find((e) => e.channel === 'text' && e.type === 'pii')?.data).toMatchObject({ itemId: firstItem, source: 'transcript', findingType: 'EMAIL' });
    // Every channel the viewer took is gap-free from seq 1.
    for (const channel of ['transcript', 'text'] as const) {
      const seqs = v.seqs(channel);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    }
  });
});
