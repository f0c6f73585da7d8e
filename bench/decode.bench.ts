/**
 * Decode benchmark (foundation issue): CPU seconds to decode a 60 s 720p30 H.264 + AAC file
 *  - baseline A: bare `ffmpeg -i file -f null -` (full decode, nothing else)
 *  - baseline B: bare ffmpeg doing what our decoders do (scale to 320x180 gray, audio to 48 kHz mono) to null
 *  - ours: the gateway ingesting the same file over RTMP (published with -c copy at real time,
 *    as OBS would send it), counted as the gateway process plus its decoder processes.
 * Prints all three and the ratios.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { procCpuSeconds } from './proc-cpu.js';
// The compiled gateway, as `npm start` runs it (built by npm install): from sources under
// tsx, worker threads would compile TypeScript on the clock. Typed from the sources.
const dist = (file: string) => new URL(`../dist/${file}`, import.meta.url).href;
const { Gateway } = (await import(dist('gateway/gateway.js'))) as typeof import('../src/gateway/gateway.js');

const DURATION_S = Number(process.env['BENCH_DECODE_SECONDS'] ?? 60);
const dir = mkdtempSync(path.join(tmpdir(), 'midstream-bench-'));
const file = path.join(dir, 'input.flv');

function childCpuSeconds(cmd: string): number {
  // bash's `times` prints the children's user and system time on its second line.
  const out = execFileSync('bash', ['-c', `${cmd} >/dev/null 2>&1; times`], { encoding: 'utf8' });
  const line = out.trim().split('\n')[1] ?? '';
  const secs = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return secs.reduce((a, b) => a + b, 0);
}

console.log(`making a ${DURATION_S} s 1280x720 30 fps H.264 + AAC 48 kHz stereo file ...`);
execFileSync('ffmpeg', [
  '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=30:duration=${DURATION_S}`,
  '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${DURATION_S}`,
  '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-g', '60', '-pix_fmt', 'yuv420p', '-b:v', '2500k',
  '-c:a', 'aac', '-b:a', '160k', '-ac', '2', '-y', file,
]);

const bareFull = childCpuSeconds(`ffmpeg -hide_banner -nostdin -i ${file} -f null -`);
const bareSame = childCpuSeconds(
  `ffmpeg -hide_banner -nostdin -i ${file} -map 0:v:0 -vf scale=320:180:flags=fast_bilinear -pix_fmt gray -f null - -map 0:a:0 -ac 1 -ar 48000 -f null -`,
);

const gateway = new Gateway(
  { host: '127.0.0.1', httpPort: 0, rtmpPort: 0, wtPort: 0, publishKeys: ['bench'], adminToken: 'bench', dataDir: path.join(dir, 'data'), demo: false },
  pino({ level: 'warn' }),
);
await gateway.start();
const cpuBefore = process.cpuUsage();
const decoderCpu = new Map<number, number>();
const poll = setInterval(() => {
  for (const runner of gateway.runners.values()) {
    for (const pid of Object.values(runner.decoder.pids())) {
      const s = procCpuSeconds(pid);
      if (s !== null) decoderCpu.set(pid, s);
    }
  }
}, 100);
const ended = new Promise<void>((resolve) => gateway.streams.on('state', (c) => { if (c.state === 'ended') resolve(); }));
const publisher = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-re', '-i', file, '-c', 'copy', '-f', 'flv', gateway.rtmpUrl('bench', 'bench')], { stdio: 'ignore' });
await new Promise((resolve) => publisher.on('exit', resolve));
await ended;
clearInterval(poll);
const own = process.cpuUsage(cpuBefore);
const view = gateway.streams.get('bench');
await gateway.close();
rmSync(dir, { recursive: true, force: true });

const ownSeconds = (own.user + own.system) / 1e6;
const decodersSeconds = [...decoderCpu.values()].reduce((a, b) => a + b, 0);
const ours = ownSeconds + decodersSeconds;
const expectedFrames = DURATION_S * 30;
console.log('');
console.log(`input: ${DURATION_S} s, 1280x720 30 fps H.264 + AAC 48 kHz stereo (${expectedFrames} video frames)`);
console.log(`bare ffmpeg, full decode to null            : ${bareFull.toFixed(2)} CPU s`);
console.log(`bare ffmpeg, same scale/format as ours      : ${bareSame.toFixed(2)} CPU s`);
console.log(`gateway over RTMP (process + decoders)      : ${ours.toFixed(2)} CPU s  (gateway ${ownSeconds.toFixed(2)} + decoders ${decodersSeconds.toFixed(2)})`);
console.log(`frames decoded by the gateway               : video ${view?.stats.videoFrames ?? 0} / ${expectedFrames}, audio blocks ${view?.stats.audioFrames ?? 0}, dropped ${view?.stats.videoDropped ?? 0}`);
console.log(`ratio ours / bare full decode               : ${(ours / bareFull).toFixed(2)}x`);
console.log(`ratio ours / bare same work                 : ${(ours / bareSame).toFixed(2)}x`);
