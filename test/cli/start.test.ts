import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { EventEmitter } from 'node:events';
import { waitForEvent, withTimeout } from '../helpers/wait.js';
import type { StreamView } from '../../src/media/stream-registry.js';

/**
 * What a new user does: `npm start`, then opens the printed URL. Ports are set to 0 so the
 * test never collides with anything else on the machine; everything else is the real script.
 */
let child: ChildProcess | null = null;

afterAll(() => {
  try {
    if (child?.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
});

describe('npm start', () => {
  it('serves /healthz, lists the demo stream as live with frames counting, and stops cleanly on Ctrl-C', { timeout: 120_000 }, async () => {
    child = spawn('npm', ['start', '--silent', '--', '--http-port', '0', '--rtmp-port', '0', '--wt-port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so the test can press Ctrl-C like a user
    });
    const lines = new EventEmitter();
    const seen: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (line) => {
      seen.push(line);
      lines.emit('line', line);
    });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child?.on('exit', (code, signal) => resolve({ code, signal })));
    // A line may have come while the test awaited something else: look at those seen so far
    // first, then (in the same tick, so none slips between) wait for the next ones.
    const waitLine = (pred: (line: string) => boolean, ms: number, what: string): Promise<string> => {
      const already = seen.find(pred);
      return already !== undefined ? Promise.resolve(already) : waitForEvent<string>(lines, 'line', pred, ms, what);
    };

    const viewerLine = await waitLine((l) => l.includes('Viewer:'), 60_000, 'the banner');
    const port = /127\.0\.0\.1:(\d+)\//.exec(viewerLine)?.[1];
    expect(port).toBeDefined();
    expect(seen.join('\n') + viewerLine).toContain('Stream Key <streamId>?key=');
    const base = `http://127.0.0.1:${port}`;

    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    await waitLine((l) => l.includes('"streamId":"demo"') && l.includes('"msg":"stream live"'), 60_000, 'the demo stream to go live');

    const first = ((await (await fetch(`${base}/api/streams`)).json()) as StreamView[]).find((s) => s.id === 'demo');
    expect(first?.state).toBe('live');
    expect(first?.video).toMatchObject({ codec: 'h264', width: 640, height: 360 });
    // Frames keep counting: poll the API (a condition with a deadline, not a fixed wait).
    const grew = await withTimeout((async () => {
      for (;;) {
        const now = ((await (await fetch(`${base}/api/streams/demo`)).json()) as StreamView);
        if (now.stats.videoFrames > (first?.stats.videoFrames ?? 0) && now.stats.audioFrames > (first?.stats.audioFrames ?? 0)) return now;
        await new Promise((r) => setImmediate(r));
      }
    })(), 20_000, 'frame counters to grow');
    expect(grew.stats.videoFrames).toBeGreaterThan(first?.stats.videoFrames ?? 0);

    // Ctrl-C in a terminal signals the whole foreground process group.
    process.kill(-(child.pid ?? 0), 'SIGINT');
    await waitLine((l) => l.includes('"msg":"gateway closed"'), 15_000, 'the gateway to close');
    // npm re-raises the signal its script got; the gateway itself closed cleanly above.
    const end = await withTimeout(exited, 15_000, 'npm to exit');
    expect(end.code === 0 || end.signal === 'SIGINT').toBe(true);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
