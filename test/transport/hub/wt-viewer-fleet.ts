/**
 * A fleet of WebTransport viewers in a child process (fork with `--import tsx`), so a load
 * test's viewers don't share the server's event loop, as real viewers wouldn't.
 *
 * IPC: parent → {port, path, viewers, streams}; child → {op:'ready'}; parent → {op:'expect',
 * counts}; child → {op:'delivered', gaps, lost, short, latencyMs} once every viewer has `counts`
 * (or a session was lost); parent → {op:'await-close'}; child → {op:'closed', codes}.
 * latencyMs: p50/p99 of (receipt − the event's `ts`) over every event received, a figure to
 * print (same host clock), not to assert on.
 */
import type { Channel } from '../../../src/media/types.js';
import { LeanWtViewer as WtViewer } from './lean-wt-viewer.js';

interface Start { port: number; path: string; viewers: number; streams: number }
type Command = { op: 'expect'; counts: Partial<Record<Channel, number>> } | { op: 'await-close' };

const send = (msg: unknown): void => void process.send?.(msg);

const start = await new Promise<Start>((resolve) => process.once('message', (m) => resolve(m as Start)));
const viewers: WtViewer[] = [];
const latencies: number[] = [];
const onEvent = (e: { ts: number }): void => void latencies.push(Date.now() - e.ts);
for (let i = 0; i < start.viewers; i += 20) {
  const batch = Array.from({ length: Math.min(20, start.viewers - i) }, () => WtViewer.open(start.port, start.path, start.streams, onEvent));
  viewers.push(...(await Promise.all(batch)));
}
let lost = 0;
const lostHow: string[] = [];
let ending = false;
for (const v of viewers) {
  void v.closed.then((info) => {
    if (ending) return;
    lost += 1;
    lostHow.push(info ? `session closed: ${info.code} ${info.reason}` : 'connection lost or session reset');
    // Waiters are checked on packets; a lost viewer gets none, so wake everyone to notice.
    for (const w of viewers) w.recheck();
  });
}
send({ op: 'ready' });

process.on('message', (m) => {
  const cmd = m as Command;
  if (cmd.op === 'expect') {
    const channels = Object.keys(cmd.counts) as Channel[];
    const done = Promise.all(viewers.map((v) => v.until(() => lost > 0 || channels.every((c) => v.last[c] === cmd.counts[c]))));
    void done.then(() => {
      const gaps = viewers.flatMap((v) => v.gaps.filter((g) => !g.startsWith('video:') && !g.startsWith('audio:')));
      const short = viewers.filter((v) => !channels.every((c) => v.counts[c] === cmd.counts[c])).length;
      const sorted = latencies.sort((a, b) => a - b);
      const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
      send({ op: 'delivered', gaps, lost, lostHow, short, latencyMs: { p50: at(0.5), p99: at(0.99), events: sorted.length } });
    });
  } else {
    ending = true;
    void Promise.all(viewers.map((v) => v.closed)).then((closes) => {
      send({ op: 'closed', codes: closes.map((c) => c?.code ?? null) });
      void Promise.all(viewers.map((v) => v.close())).finally(() => process.exit(0));
    });
  }
});
