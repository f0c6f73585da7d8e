/**
 * The gateway's own added latency, in two legs, on a live 640x360 30 fps RTMP publish:
 *  1. decode: an FLV video tag reaches the decoder's input → its decoded frame (same pts) is
 *     on the frame bus (ffmpeg decode + scale + pipe + pts pairing);
 *  2. analysis → viewer: the frame is on the bus → its `frame` event arrives at a viewer
 *     (scheduler + video analyzer + hub + framing + transport), over the WebSocket fallback
 *     and over WebTransport (a quiche-driven Node viewer, test/transport/hub/lean-wt-viewer.ts).
 * Baseline for leg 2, measured in the same run: the same JSON sent over a bare `ws` socket
 * on loopback. Prints medians and p99s.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import WebSocket, { WebSocketServer } from 'ws';
// The compiled gateway, as `npm start` runs it (built by npm install): from sources under
// tsx, worker threads would compile TypeScript on the clock. Typed from the sources.
const dist = (file: string) => new URL(`../dist/${file}`, import.meta.url).href;
const { Gateway } = (await import(dist('gateway/gateway.js'))) as typeof import('../src/gateway/gateway.js');
const { FlvTap } = (await import(dist('ingest/rtmp/flv-tap.js'))) as typeof import('../src/ingest/rtmp/flv-tap.js');
import type { VideoFrame, WireEvent } from '../src/media/types.js';
import { LeanWtViewer } from '../test/transport/hub/lean-wt-viewer.js';

const SECONDS = Number(process.env['BENCH_PIPELINE_SECONDS'] ?? 20);
const dir = mkdtempSync(path.join(tmpdir(), 'midstream-pipeline-'));

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}
const fmt = (xs: number[]) => `median ${quantile(xs, 0.5).toFixed(2)} ms, p99 ${quantile(xs, 0.99).toFixed(2)} ms (n=${xs.length})`;

// Leg 1 probe: when each video tag (by its FLV timestamp) entered a decoder's input.
const tagAt = new Map<number, number>();
const proto = FlvTap.prototype as unknown as { onTag(tag: Buffer): void };
const onTag = proto.onTag;
proto.onTag = function (this: unknown, tag: Buffer) {
  if (tag[0] === 9 && tag.length > 11) {
    const ts = ((tag[7] ?? 0) << 24) | ((tag[4] ?? 0) << 16) | ((tag[5] ?? 0) << 8) | (tag[6] ?? 0);
    if (!tagAt.has(ts)) tagAt.set(ts, performance.now());
  }
  onTag.call(this, tag);
};

const gateway = new Gateway(
  { host: '127.0.0.1', httpPort: 0, rtmpPort: 0, wtPort: 0, publishKeys: ['bench'], adminToken: 'bench', dataDir: path.join(dir, 'data'), demo: false },
  pino({ level: 'warn' }),
);
await gateway.start();

const decodeMs: number[] = [];
const toViewerMs: number[] = [];
const toWtViewerMs: number[] = [];
const wtViewers: Promise<LeanWtViewer>[] = [];
const busAt = new Map<number, number>();
gateway.streams.on('state', (c) => {
  if (c.state !== 'starting') return;
  const runner = gateway.runners.get(c.id);
  if (!runner) return;
  const push = runner.bus.pushVideo.bind(runner.bus);
  runner.bus.pushVideo = (frame: VideoFrame) => {
    const now = performance.now();
    busAt.set(frame.pts, now);
    const t = tagAt.get(Math.round(frame.pts));
    if (t !== undefined) decodeMs.push(now - t);
    push(frame);
  };
  const ws = new WebSocket(`ws://127.0.0.1:${gateway.httpPort}/streams/${c.id}/analysis?channels=video`);
  ws.on('message', (data) => {
    const e = JSON.parse(data.toString()) as WireEvent;
    if (e.type !== 'frame') return;
    const t = busAt.get(e.pts);
    if (t !== undefined) toViewerMs.push(performance.now() - t);
  });
  const wt = LeanWtViewer.open(gateway.wtPort, `/streams/${c.id}/analysis?channels=video`, 1, (e) => {
    if (e.type !== 'frame') return;
    const t = busAt.get(e.pts);
    if (t !== undefined) toWtViewerMs.push(performance.now() - t);
  });
  wt.catch(() => undefined);
  wtViewers.push(wt);
});

const publisher = spawn('ffmpeg', [
  '-hide_banner', '-loglevel', 'error', '-nostdin', '-re',
  '-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=30:duration=${SECONDS}`,
  '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`,
  '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '60', '-pix_fmt', 'yuv420p',
  '-c:a', 'aac', '-ar', '48000', '-f', 'flv', gateway.rtmpUrl('bench', 'bench'),
], { stdio: 'ignore' });
await new Promise((r) => publisher.on('exit', r));
await new Promise<void>((resolve) => {
  if (gateway.streams.state('bench') === 'ended') resolve();
  gateway.streams.on('state', (c) => c.state === 'ended' && resolve());
});
const schedulerStats = gateway.scheduler.stats();
for (const v of await Promise.allSettled(wtViewers)) if (v.status === 'fulfilled') await v.value.close();
await gateway.close();

// Baseline: the same kind of message over a bare ws socket on loopback.
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await new Promise((r) => wss.once('listening', r));
const port = (wss.address() as { port: number }).port;
const baselineMs: number[] = [];
const sample = JSON.stringify({ channel: 'video', seq: 1, pts: 0, ts: Date.now(), type: 'frame', data: { meanLuma: 127.3, motion: 2.41, cutScore: 0.4, cutThreshold: 12, black: false, frozen: false } });
await new Promise<void>((resolve) => {
  wss.on('connection', (server) => {
    let n = 0;
    const sendOne = () => {
      if (n++ >= 600) {
        server.close();
        resolve();
        return;
      }
      const sentAt = performance.now();
      server.send(sample);
      client.once('message', () => {
        baselineMs.push(performance.now() - sentAt);
        setTimeout(sendOne, 5);
      });
    };
    sendOne();
  });
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
});
wss.close();
rmSync(dir, { recursive: true, force: true });

console.log(`live publish: ${SECONDS} s of 640x360 30 fps H.264 + AAC over RTMP`);
console.log(`leg 1, FLV tag in → decoded frame on the bus      : ${fmt(decodeMs)}`);
console.log(`leg 2, frame on the bus → 'frame' event at viewer : WebSocket    ${fmt(toViewerMs)}`);
console.log(`                                                    WebTransport ${fmt(toWtViewerMs)}`);
console.log(`baseline, bare ws send → receive (same JSON size) : ${fmt(baselineMs)}`);
console.log(`ratio leg 2 / baseline (median)                   : WebSocket ${(quantile(toViewerMs, 0.5) / quantile(baselineMs, 0.5)).toFixed(2)}x, WebTransport ${(quantile(toWtViewerMs, 0.5) / quantile(baselineMs, 0.5)).toFixed(2)}x`);
console.log(`scheduler: run ${schedulerStats.run}, late ${schedulerStats.late}, shed ${schedulerStats.shed}; measured cost per task (ms): video ${schedulerStats.budgetMs.video.toFixed(3)}, audio ${schedulerStats.budgetMs.audio.toFixed(3)}`);
