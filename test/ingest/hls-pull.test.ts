import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestGateway, TEST_ADMIN, type TestGateway } from '../helpers/gateway.js';
import { WsViewer } from '../transport/hub/ws-client.js';

/**
 * Pulling an HLS stream in: a playlist served over HTTP on loopback (made by ffmpeg: 6 s of
 * test picture and tone in 1 s segments) becomes a stream like any published one, reported
 * as protocol "hls", decoded and analysed, and ends when the playlist does.
 */
describe('HLS pull', () => {
  let t: TestGateway;
  let hls: Server;
  let base = '';
  const requests: string[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'midstream-hls-src-'));
    execFileSync('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-nostdin',
      '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30:duration=6',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=6',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30', '-pix_fmt', 'yuv420p', '-c:a', 'aac',
      '-f', 'hls', '-hls_time', '1', '-hls_playlist_type', 'vod', path.join(dir, 'index.m3u8'),
    ]);
    hls = createServer((req, res) => {
      requests.push(req.url ?? '');
      const file = path.join(dir, path.basename(req.url ?? ''));
      if (!existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': file.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t' });
      createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve) => hls.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(hls.address() as AddressInfo).port}`;
    t = await startTestGateway();
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => hls?.close(resolve));
  });

  const post = (body: unknown, token: string | null = TEST_ADMIN) => fetch(`${t.base}/api/streams`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

  it('pulls a playlist in as a live stream: decoded, analysed, protocol "hls", ended with the playlist', { timeout: 60_000 }, async () => {
    const res = await post({ id: 'pulled', url: `${base}/index.m3u8` });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ id: 'pulled', url: `${base}/index.m3u8`, state: 'running' });
    await t.waitState('pulled', 'starting');
    const viewer = new WsViewer(`ws://127.0.0.1:${t.gateway.httpPort}/streams/pulled/analysis?since=video:0,audio:0`);
    await viewer.opened;
    const frames = await t.nextVideoFrames('pulled', 30);
    expect(frames[0]).toMatchObject({ kind: 'video', streamId: 'pulled' });
    const view = (await (await fetch(`${t.base}/api/streams/pulled`)).json()) as { protocol: string; video: { codec: string; width: number } | null };
    expect(view.protocol).toBe('hls');
    expect(view.video).toMatchObject({ codec: 'h264', width: 320 });
    await viewer.until(() => viewer.events.some((e) => e.channel === 'video' && e.type === 'frame') && viewer.events.some((e) => e.channel === 'audio' && e.type === 'level'), 20_000);
    expect(requests).toContain('/index.m3u8');
    expect(requests.some((r) => r.endsWith('.ts'))).toBe(true);

    // The playlist ends (ENDLIST): the stream ends and the pull is gone. The pull goes when its
    // ffmpeg's exit is handled, which may come after the stream has ended: wait for that too.
    await t.waitState('pulled', 'ended', 30_000);
    await t.logs.waitFor((l) => l.msg === 'HLS pull finished' && l['streamId'] === 'pulled', 30_000, 'the pull\'s ffmpeg to finish');
    const pulls = await fetch(`${t.base}/api/pulls`, { headers: { authorization: `Bearer ${TEST_ADMIN}` } });
    expect(await pulls.json()).toEqual([]);
    viewer.ws.close();
  });

  it('refuses a URL that is not http(s), a bad id, a busy id, and callers without the admin token', async () => {
    const fileUrl = await post({ id: 'x', url: 'file:///etc/passwd' });
    expect(fileUrl.status).toBe(400);
    expect(await fileUrl.json()).toEqual({ error: { code: 'INVALID_INPUT', message: 'an HLS pull needs an http:// or https:// URL, not file:' } });
    expect((await post({ id: 'bad id!', url: `${base}/index.m3u8` })).status).toBe(400);
    expect((await post({ url: `${base}/index.m3u8` })).status).toBe(400);
    expect((await post({ id: 'x', url: `${base}/index.m3u8` }, null)).status).toBe(401);
    expect((await fetch(`${t.base}/api/pulls`)).status).toBe(401);

    // A source that is not there: the pull keeps retrying (and says why) until it is deleted;
    // its id is taken meanwhile.
    expect((await post({ id: 'missing', url: `${base}/nope.m3u8` })).status).toBe(201);
    expect((await post({ id: 'missing', url: `${base}/index.m3u8` })).status).toBe(409);
    const failed = await t.logs.waitFor((l) => l.msg === 'HLS pull exited; restarting', 20_000, 'the pull to fail');
    expect(String(failed['reason'])).toMatch(/404|Not Found|Server returned/i);
    const del = await fetch(`${t.base}/api/streams/missing`, { method: 'DELETE', headers: { authorization: `Bearer ${TEST_ADMIN}` } });
    expect(del.status).toBe(200);
    const pulls = await fetch(`${t.base}/api/pulls`, { headers: { authorization: `Bearer ${TEST_ADMIN}` } });
    expect(await pulls.json()).toEqual([]);
    expect(t.gateway.streams.has('missing')).toBe(false);
  });
});
