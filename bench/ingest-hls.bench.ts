/**
 * HLS pull vs RTMP publish: the same 720p30 H.264 + AAC media taken in by the gateway both
 * ways, in the same run. For each: CPU seconds of the process that brings the media in (the
 * gateway's own HLS relay ffmpeg for a pull; the external publisher for RTMP, as OBS would
 * spend them), of the gateway process, and of its decoders, and the frames decoded.
 * Prints the figures and the ratios pull / publish.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { procCpuSeconds } from './proc-cpu.js';
// The compiled gateway, as `npm start` runs it (see decode.bench.ts).
const dist = (file: string) => new URL(`../dist/${file}`, import.meta.url).href;
const { Gateway } = (await import(dist('gateway/gateway.js'))) as typeof import('../src/gateway/gateway.js');

const DURATION_S = Number(process.env['BENCH_HLS_SECONDS'] ?? 20);
const dir = mkdtempSync(path.join(tmpdir(), 'midstream-bench-hls-'));
const flv = path.join(dir, 'input.flv');

console.log(`making ${DURATION_S} s of 1280x720 30 fps H.264 + AAC, as FLV and as HLS (2 s segments) ...`);
execFileSync('ffmpeg', [
  '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=30:duration=${DURATION_S}`,
  '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${DURATION_S}`,
  '-c:v', 'libx264', '-preset', 'veryfast', '-g', '60', '-pix_fmt', 'yuv420p', '-b:v', '2500k',
  '-c:a', 'aac', '-b:a', '160k', '-ac', '2', '-y', flv,
]);
execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', flv, '-c', 'copy', '-f', 'hls', '-hls_time', '2', '-hls_playlist_type', 'vod', path.join(dir, 'index.m3u8')]);
const server = createServer((req, res) => {
  const file = path.join(dir, path.basename(req.url ?? ''));
  if (!existsSync(file) || file === flv) return void res.writeHead(404).end();
  createReadStream(file).pipe(res);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const playlist = `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.m3u8`;

interface Run { ingest: number; gateway: number; decoders: number; frames: number; audio: number }

async function run(kind: 'hls' | 'rtmp'): Promise<Run> {
  const gateway = new Gateway(
    { host: '127.0.0.1', httpPort: 0, rtmpPort: 0, wtPort: 0, publishKeys: ['bench'], adminToken: 'bench', dataDir: path.join(dir, `data-${kind}`), demo: false },
    pino({ level: 'warn' }),
  );
  await gateway.start();
  const cpuBefore = process.cpuUsage();
  const cpu = new Map<number, { kind: 'ingest' | 'decoder'; s: number }>();
  const ended = new Promise<void>((resolve) => gateway.streams.on('state', (c) => { if (c.state === 'ended') resolve(); }));
  let publisherPid: number | undefined;
  if (kind === 'hls') gateway.startPull('bench', playlist);
  else publisherPid = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-re', '-i', flv, '-c', 'copy', '-f', 'flv', gateway.rtmpUrl('bench', 'bench')], { stdio: 'ignore' }).pid;
  const poll = setInterval(() => {
    const ingestPid = kind === 'hls' ? gateway.pulls.get('bench')?.pid : publisherPid;
    if (ingestPid !== undefined) {
      const s = procCpuSeconds(ingestPid);
      if (s !== null) cpu.set(ingestPid, { kind: 'ingest', s });
    }
    for (const runner of gateway.runners.values()) {
      for (const pid of Object.values(runner.decoder.pids())) {
        const s = procCpuSeconds(pid);
        if (s !== null) cpu.set(pid, { kind: 'decoder', s });
      }
    }
  }, 100);
  await ended;
  clearInterval(poll);
  const own = process.cpuUsage(cpuBefore);
  const view = gateway.streams.get('bench');
  await gateway.close();
  const sum = (k: 'ingest' | 'decoder') => [...cpu.values()].filter((c) => c.kind === k).reduce((a, c) => a + c.s, 0);
  return { ingest: sum('ingest'), gateway: (own.user + own.system) / 1e6, decoders: sum('decoder'), frames: view?.stats.videoFrames ?? 0, audio: view?.stats.audioFrames ?? 0 };
}

const rtmp = await run('rtmp');
const hls = await run('hls');
server.close();
rmSync(dir, { recursive: true, force: true });

const line = (name: string, r: Run) =>
  `${name}: bringing it in ${r.ingest.toFixed(2)} CPU s, gateway ${r.gateway.toFixed(2)}, decoders ${r.decoders.toFixed(2)}, total ${(r.ingest + r.gateway + r.decoders).toFixed(2)}; frames ${r.frames}/${DURATION_S * 30}, audio blocks ${r.audio}`;
console.log('');
console.log(`input: ${DURATION_S} s, 1280x720 30 fps H.264 + AAC 48 kHz stereo`);
console.log(line('RTMP publish (baseline)', rtmp));
console.log(line('HLS pull               ', hls));
console.log(`ratio pull / publish: bringing it in ${(hls.ingest / Math.max(rtmp.ingest, 0.01)).toFixed(2)}x, total ${((hls.ingest + hls.gateway + hls.decoders) / (rtmp.ingest + rtmp.gateway + rtmp.decoders)).toFixed(2)}x`);
