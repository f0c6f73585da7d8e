/**
 * Transport benchmark (issue 4 item 8). The server side (hub + transports) runs in this
 * process; the viewers run in a child process (this file with `--viewers`), so the CPU
 * figures are the server's alone and the viewers' parsing does not steal its core.
 *
 *  1. latency: p50/p99 from publish() to a viewer's receipt, 1 viewer, at a steady rate;
 *  2. throughput: events/s delivered to 1 viewer for a burst published as fast as possible;
 *  3. paused viewers: the latency of a reading viewer alone and beside viewers that stopped
 *     reading (a slow viewer must not slow the others);
 *  4. capacity: viewers of one stream at 30 events/s, the server's CPU per viewer, and so
 *     how many viewers one core serves.
 * Each for a raw WebSocket baseline (a ws server sending JSON, no hub: the floor), the hub
 * over the WebSocket fallback, and the hub over WebTransport (our HTTP/3 layer, Node viewers on the same QUIC stack).
 * Latency uses process.hrtime (CLOCK_MONOTONIC, shared by every process on the host) on both sides.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import WebSocket, { WebSocketServer } from 'ws';
import { silentLogger } from '../src/media/logger.js';
import { AnalysisHub } from '../src/transport/hub.js';
import { transportPlugin } from '../src/transport/plugin.js';
import { WebTransportServer } from '../src/transport/webtransport/index.js';
import { createWebTransportAuthorizer } from '../src/transport/wt-bridge.js';
import { LeanWtViewer } from '../test/transport/hub/lean-wt-viewer.js';

const SELF = fileURLToPath(import.meta.url);
// One clock for both processes: CLOCK_MONOTONIC (process.hrtime) is system-wide, whereas
// performance.timeOrigin is each process's own estimate of its start and was seen ~1 ms
// apart between the server and the viewer process (negative latencies).
const now = (): number => Number(process.hrtime.bigint()) / 1e6;
const STREAM = 'bench';

type Kind = 'raw-ws' | 'hub-ws' | 'hub-wt';
interface ViewerSpec { kind: Kind; url: string; viewers: number; expect: number; sampleEvery: number; paused: number }
interface BenchMessage { seq: number; data: { t: number } }
interface ViewerReport { received: number; gaps: number; latenciesMs: number[]; firstAt: number; lastAt: number; cpuMs: number }

// ---------------------------------------------------------------- server side

interface Target {
  kind: Kind;
  url: string;
  /** Publishes event n; `pad` bytes of filler make it bigger (the paused-viewer stage). */
  publish(n: number, pad?: string): void;
  /** Viewers the hub closed for falling behind on a reliable channel. */
  closedForLag(): number;
  close(): Promise<void>;
}

async function rawWebSocket(): Promise<Target> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const port = (wss.address() as { port: number }).port;
  let seq = 0;
  return {
    kind: 'raw-ws',
    url: `ws://127.0.0.1:${port}/`,
    closedForLag: () => 0,
    publish: (n, pad) => {
      seq += 1;
      const json = JSON.stringify({ channel: 'text', seq, pts: n, ts: Date.now(), type: 'bench', data: { t: now(), ...(pad ? { pad } : {}) } });
      for (const ws of wss.clients) ws.send(json);
    },
    close: () => new Promise<void>((r) => {
      for (const ws of wss.clients) ws.terminate();
      wss.close(() => r());
    }),
  };
}

/** `reliableQueueCapacity` absent: the hub's default, as in the gateway. */
async function hubTarget(kind: 'hub-ws' | 'hub-wt', reliableQueueCapacity?: number): Promise<Target> {
  const hub = new AnalysisHub({ ...(reliableQueueCapacity === undefined ? {} : { reliableQueueCapacity }), replayCapacity: { text: 16 } });
  const wt = kind === 'hub-wt' ? await startWtServer() : null;
  const app: FastifyInstance = Fastify();
  await app.register(transportPlugin, { hub, streamExists: (id) => id === STREAM, logger: silentLogger(), ...(wt ? { wt } : {}) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const httpPort = (app.server.address() as { port: number }).port;
  const url = kind === 'hub-ws' ? `ws://127.0.0.1:${httpPort}/streams/${STREAM}/analysis?channels=text` : `https://127.0.0.1:${wt?.port ?? 0}/streams/${STREAM}/analysis?channels=text`;
  return {
    kind,
    url,
    closedForLag: () => hub.stats().closedForLag,
    publish: (n, pad) => {
      hub.publish(STREAM, { channel: 'text', type: 'bench', pts: n, data: { t: now(), ...(pad ? { pad } : {}) } });
    },
    close: async () => {
      hub.close();
      await app.close();
      await wt?.close();
    },
  };
}

function startViewers(target: Target, viewers: number, expect: number, sampleEvery: number, paused = 0): { child: ChildProcess; ready: Promise<void>; report: Promise<ViewerReport> } {
  const child = fork(SELF, ['--viewers'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const spec: ViewerSpec = { kind: target.kind, url: target.url, viewers, expect, sampleEvery, paused };
  let readyResolve!: () => void;
  let reportResolve!: (r: ViewerReport) => void;
  let readyReject!: (e: Error) => void;
  let reportReject!: (e: Error) => void;
  const ready = new Promise<void>((r, j) => {
    readyResolve = r;
    readyReject = j;
  });
  const report = new Promise<ViewerReport>((r, j) => {
    reportResolve = r;
    reportReject = j;
  });
  ready.catch(() => undefined);
  report.catch(() => undefined);
  child.on('message', (msg: { op: string; report?: ViewerReport; message?: string }) => {
    if (msg.op === 'ready') readyResolve();
    if (msg.op === 'report' && msg.report) reportResolve(msg.report);
    if (msg.op === 'failed') {
      const err = new Error(msg.message ?? 'a viewer failed');
      readyReject(err);
      reportReject(err);
    }
  });
  // A viewer process that dies (e.g. its sessions could not connect) fails this run, not the bench.
  child.on('exit', (code) => {
    if (code === 0) return;
    const err = new Error(`viewer process exited with code ${code}`);
    readyReject(err);
    reportReject(err);
  });
  child.send(spec);
  return { child, ready, report };
}

/** Publishes `count` events at `ratePerS`, in 1 ms-granular batches so the event loop breathes. */
async function publishAt(target: Target, count: number, ratePerS: number, pad?: string): Promise<void> {
  const start = performance.now();
  let sent = 0;
  while (sent < count) {
    const due = Math.min(count, Math.floor(((performance.now() - start) / 1000) * ratePerS) + 1);
    while (sent < due) target.publish(sent++, pad);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Publishes as fast as the loop allows, yielding every 200 events so sockets get written. */
async function publishBurst(target: Target, count: number): Promise<void> {
  for (let sent = 0; sent < count;) {
    for (let i = 0; i < 200 && sent < count; i += 1) target.publish(sent++);
    await new Promise((r) => setImmediate(r));
  }
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/**
 * The reliable queue (events per viewer and channel) in the paused stage: the paused
 * viewers overflow it within about a second and are closed for lag, as in the gateway;
 * the reading one would have to fall a second behind.
 */
const PAUSED_QUEUE = 1024;

/** What the bench is waiting for; printed if a step takes suspiciously long (never hang silently). */
let phase = 'starting';
let phaseSince = performance.now();
let lastPhase = phase;
setInterval(() => {
  if (phase !== lastPhase) {
    lastPhase = phase;
    phaseSince = performance.now();
    return;
  }
  const s = (performance.now() - phaseSince) / 1000;
  if (s > 60) console.log(`  (still ${phase} after ${s.toFixed(0)} s)`);
}, 15_000).unref();

/** Above this p99 the server no longer keeps up, and CPU per viewer no longer extrapolates. */
const SATURATED_P99_MS = 250;

const fmt = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

async function makeTarget(kind: Kind, reliableQueueCapacity?: number): Promise<Target> {
  return kind === 'raw-ws' ? rawWebSocket() : hubTarget(kind, reliableQueueCapacity);
}

async function latencyRun(kind: Kind, count: number, rate: number, paused = 0, pad?: string): Promise<{ p50: number; p99: number; closedForLag: number }> {
  // With paused viewers, a queue of PAUSED_QUEUE events per viewer and channel: they fall behind it
  // and are closed (4008, resume with since), as in the gateway.
  const target = await makeTarget(kind, paused > 0 ? PAUSED_QUEUE : 100_000);
  const v = startViewers(target, 1, count, 1, paused);
  phase = `${kind} latency: viewers connecting`;
  await v.ready;
  phase = `${kind} latency: publishing`;
  await publishAt(target, count, rate, pad);
  phase = `${kind} latency: waiting for the viewers' report`;
  const r = await v.report;
  const closedForLag = target.closedForLag();
  phase = `${kind}: closing the server side`;
  await target.close();
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  return { p50: pct(sorted, 50), p99: pct(sorted, 99), closedForLag };
}

async function throughputRun(kind: Kind, count: number): Promise<number> {
  // The whole burst is queued at once: room for all of it, so nothing is refused.
  const target = await makeTarget(kind, 100_000);
  const v = startViewers(target, 1, count, 1_000_000);
  phase = `${kind} throughput: viewers connecting`;
  await v.ready;
  const t0 = now();
  phase = `${kind} throughput: publishing`;
  await publishBurst(target, count);
  phase = `${kind} throughput: waiting for the viewers' report`;
  const r = await v.report;
  phase = `${kind}: closing the server side`;
  await target.close();
  return (r.received / (r.lastAt - t0)) * 1000;
}

async function capacityRun(kind: Kind, viewers: number, seconds: number): Promise<{ cpuPerViewerPct: number; cpuPct: number; viewerCpuPct: number; p50: number; p99: number; gaps: number }> {
  // The hub's default queues, as in the gateway.
  const target = await makeTarget(kind);
  const rate = 30;
  const count = rate * seconds;
  const v = startViewers(target, viewers, count, 1);
  let r: ViewerReport;
  let wallMs: number;
  let cpu: NodeJS.CpuUsage;
  try {
    phase = `${kind} capacity ${viewers}: viewers connecting`;
    await v.ready;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    phase = `${kind} capacity ${viewers}: publishing`;
    await publishAt(target, count, rate);
    phase = `${kind} capacity ${viewers}: waiting for the viewers' report`;
    r = await v.report;
    wallMs = performance.now() - t0;
    cpu = process.cpuUsage(cpu0);
  } finally {
    v.child.kill();
    phase = `${kind}: closing the server side`;
  await target.close();
  }
  const cpuPct = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  return { cpuPct, cpuPerViewerPct: cpuPct / viewers, viewerCpuPct: (r.cpuMs / wallMs) * 100, p50: pct(sorted, 50), p99: pct(sorted, 99), gaps: r.gaps };
}

async function main(): Promise<void> {
  const kinds = (process.env['BENCH_TRANSPORT_KINDS'] ?? 'raw-ws,hub-ws,hub-wt').split(',') as Kind[];
  const stages = new Set((process.env['BENCH_TRANSPORT_STAGES'] ?? 'latency,throughput,paused,capacity').split(','));
  const LAT_N = Number(process.env['BENCH_TRANSPORT_EVENTS'] ?? 3000);
  const RATE = Number(process.env['BENCH_TRANSPORT_RATE'] ?? 1000);
  console.log(`transport: server in pid ${process.pid}, viewers in a child process, loopback`);

  if (stages.has('latency')) console.log(`\nlatency publish() -> viewer, 1 viewer, ${LAT_N} events at ${RATE}/s (ms)`);
  const lat = new Map<Kind, { p50: number; p99: number; closedForLag: number }>();
  for (const k of stages.has('latency') ? kinds : []) {
    const r = await latencyRun(k, LAT_N, RATE);
    lat.set(k, r);
    const base = lat.get('raw-ws');
    console.log(`  ${k.padEnd(7)} p50 ${fmt(r.p50, 3)}  p99 ${fmt(r.p99, 3)}${base && k !== 'raw-ws' ? `   x${fmt(r.p50 / base.p50)} / x${fmt(r.p99 / base.p99)} of raw-ws` : ''}`);
  }

  const TP_N = LAT_N * 10;
  if (stages.has('throughput')) console.log(`\nthroughput, 1 viewer, burst of ${TP_N} events (events/s, median of 3)`);
  const tp = new Map<Kind, number>();
  for (const k of stages.has('throughput') ? kinds : []) {
    const runs: number[] = [];
    for (let i = 0; i < 3; i += 1) runs.push(await throughputRun(k, TP_N));
    const med = runs.sort((a, b) => a - b)[1] ?? runs[0] ?? NaN;
    tp.set(k, med);
    const base = tp.get('raw-ws');
    console.log(`  ${k.padEnd(7)} ${fmt(med, 0)} events/s${base && k !== 'raw-ws' ? `   x${fmt(med / base)} of raw-ws` : ''}`);
  }

  // A viewer that stops reading must not slow the others (issue 4): the latency of one
  // reading viewer alone, then beside paused ones. Events carry 4 KB of filler so the paused
  // viewers' buffers (TCP socket buffers; a 16 KiB QUIC stream window) fill within the run.
  const PAUSED = Number(process.env['BENCH_TRANSPORT_PAUSED'] ?? 10);
  // 500/s of ~4 KB (2 MB/s) stays under what one WebTransport connection carries here
  // (~4.5 MB/s, see throughput): above it a backlog would form whatever the paused viewers do.
  const PAUSED_RATE = 500;
  if (stages.has('paused')) console.log(`\npaused viewers: 1 reading viewer's latency alone vs beside ${PAUSED} viewers that stopped reading, ${LAT_N} events of ~4 KB at ${PAUSED_RATE}/s (ms)`);
  const pad = 'x'.repeat(4000);
  for (const k of stages.has('paused') ? kinds.filter((x) => x !== 'raw-ws') : []) {
    const alone = await latencyRun(k, LAT_N, PAUSED_RATE, 0, pad);
    const beside = await latencyRun(k, LAT_N, PAUSED_RATE, PAUSED, pad).catch((err: Error) => err);
    if (beside instanceof Error) {
      console.log(`  ${k.padEnd(7)} alone p50 ${fmt(alone.p50, 3)} p99 ${fmt(alone.p99, 3)}  beside ${PAUSED} paused: failed (${beside.message})`);
      continue;
    }
    console.log(`  ${k.padEnd(7)} alone p50 ${fmt(alone.p50, 3)} p99 ${fmt(alone.p99, 3)}  beside ${PAUSED} paused p50 ${fmt(beside.p50, 3)} p99 ${fmt(beside.p99, 3)}   x${fmt(beside.p50 / alone.p50)} / x${fmt(beside.p99 / alone.p99)}   (${beside.closedForLag}/${PAUSED} paused viewers closed for lag)`);
  }

  const SECONDS = Number(process.env['BENCH_TRANSPORT_SECONDS'] ?? 5);
  const VIEWERS = (process.env['BENCH_TRANSPORT_VIEWERS'] ?? '50,200').split(',').map(Number);
  if (stages.has('capacity')) console.log(`\ncapacity: one stream at 30 events/s, ${SECONDS} s; server CPU (% of one core) -> viewers one core serves (the viewers' own process CPU alongside)`);
  for (const k of stages.has('capacity') ? kinds : []) {
    for (const n of VIEWERS) {
      const r = await capacityRun(k, n, SECONDS).catch((err: Error) => err);
      if (r instanceof Error) {
        console.log(`  ${k.padEnd(7)} ${String(n).padStart(4)} viewers: failed (${r.message}): saturated below ${n} viewers`);
        continue;
      }
      console.log(`  ${k.padEnd(7)} ${String(n).padStart(4)} viewers: CPU ${fmt(r.cpuPct, 1)}% (viewers ${fmt(r.viewerCpuPct, 0)}%)  p50 ${fmt(r.p50)} ms  p99 ${fmt(r.p99)} ms  gaps ${r.gaps}  -> ${r.p99 > SATURATED_P99_MS ? `saturated (p99 > ${SATURATED_P99_MS} ms): fewer than ${n} viewers/core` : `~${fmt(100 / r.cpuPerViewerPct, 0)} viewers/core`}`);
    }
  }
}

// ---------------------------------------------------------------- viewer side

async function viewerProcess(): Promise<void> {
  const spec = await new Promise<ViewerSpec>((r) => process.once('message', (m) => r(m as ViewerSpec)));
  const report: ViewerReport = { received: 0, gaps: 0, latenciesMs: [], firstAt: 0, lastAt: 0, cpuMs: 0 };
  let cpu0 = process.cpuUsage();
  let finished = 0;
  const lastSeq: number[] = [];
  const done: boolean[] = [];
  // A measured viewer that the server closes before the last event fails the run (it would
  // otherwise wait forever for events that never come).
  const onClosed = (i: number, why: string): void => {
    if (done[i]) return;
    process.send?.({ op: 'failed', message: `viewer ${i} was closed before event ${spec.expect} (${why})` }, () => process.exit(0));
  };
  const onMessage = (i: number, msg: BenchMessage): void => {
    const t = now();
    if (msg.seq !== (lastSeq[i] ?? 0) + 1 && lastSeq[i] !== undefined) report.gaps += 1;
    lastSeq[i] = msg.seq;
    report.received += 1;
    if (report.firstAt === 0) report.firstAt = t;
    report.lastAt = t;
    if (report.received % spec.sampleEvery === 0) report.latenciesMs.push(t - msg.data.t);
    if (msg.seq === spec.expect) {
      done[i] = true;
      finished += 1;
      if (finished === spec.viewers) {
        const cpu = process.cpuUsage(cpu0);
        report.cpuMs = (cpu.user + cpu.system) / 1000;
        process.send?.({ op: 'report', report }, () => process.exit(0));
      }
    }
  };
  const opens: Promise<void>[] = [];
  for (let i = 0; i < spec.viewers; i += 1) {
    if (spec.kind === 'hub-wt') {
      opens.push(openWtViewer(spec.url, (msg) => onMessage(i, msg), (why) => onClosed(i, why)));
      continue;
    }
    const ws = new WebSocket(spec.url, { perMessageDeflate: false });
    ws.on('message', (data) => onMessage(i, JSON.parse(data.toString()) as BenchMessage));
    ws.on('close', (code, reason) => onClosed(i, `WebSocket close ${code} ${reason.toString()}`));
    opens.push(new Promise((r, j) => {
      ws.once('open', () => r());
      ws.once('error', j);
    }));
  }
  // Viewers that connect and then never read again (they are not counted in the report).
  for (let i = 0; i < spec.paused; i += 1) {
    if (spec.kind === 'hub-wt') {
      const u = new URL(spec.url);
      opens.push(LeanWtViewer.open(Number(u.port), `${u.pathname}${u.search}`, 1, undefined, { streamWindow: 16 * 1024 }).then((v) => v.pause()));
      continue;
    }
    const ws = new WebSocket(spec.url, { perMessageDeflate: false });
    opens.push(new Promise((r, j) => {
      ws.once('open', () => {
        // Stop reading the TCP socket: the kernel buffers fill, then the server's.
        (ws as unknown as { _socket: { pause(): void } })._socket.pause();
        r();
      });
      ws.once('error', j);
    }));
  }
  await Promise.all(opens);
  cpu0 = process.cpuUsage();
  process.send?.({ op: 'ready' });
}

// ---------------------------------------------------------------- WebTransport

/** The gateway's WebTransport server (self-signed certificate), sessions wired by the plugin. */
async function startWtServer(): Promise<WebTransportServer> {
  const wt = new WebTransportServer({
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger(),
    authorize: createWebTransportAuthorizer({ streamExists: (id) => id === STREAM }),
  });
  await wt.start();
  return wt;
}

/** A Node viewer over real QUIC (quiche driven directly, as the load test's fleet); one stream: channels=text. */
async function openWtViewer(url: string, onMessage: (msg: BenchMessage) => void, onClosed: (why: string) => void): Promise<void> {
  const u = new URL(url);
  const v = await LeanWtViewer.open(Number(u.port), `${u.pathname}${u.search}`, 1, (e) => onMessage(e as unknown as BenchMessage));
  void v.closed.then((info) => onClosed(info ? `session closed ${info.code} ${info.reason}` : 'connection lost'));
}

// Last, so every const above is initialised before either role runs.
if (process.argv.includes('--viewers')) await viewerProcess();
else await main();
