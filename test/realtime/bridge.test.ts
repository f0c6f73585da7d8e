import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RestartBackoff } from '../../src/media/backoff.js';
import { silentLogger } from '../../src/media/logger.js';
import { BoundedQueue } from '../../src/media/queue.js';
import type { AnalysisEvent, AudioFrame, TextToken } from '../../src/media/types.js';
import { RealtimeBridge, realtimeFromEnv, type RealtimeConfig } from '../../src/realtime/bridge.js';
import { MockRealtimeServer } from './mock-realtime-server.js';

const RATE = 48_000;
const BLOCK = 960; // 20 ms

/** 20 ms blocks of 48 kHz mono: a 440 Hz tone where `loud(tMs)` holds, silence elsewhere. */
function frames(fromPts: number, ms: number, loud: (tMs: number) => boolean, startIndex = 0): AudioFrame[] {
  const out: AudioFrame[] = [];
  for (let b = 0; b < ms / 20; b += 1) {
    const samples = new Int16Array(BLOCK);
    for (let i = 0; i < BLOCK; i += 1) {
      const t = b * 20 + (i * 1000) / RATE;
      samples[i] = loud(t) ? Math.round(8000 * Math.sin((2 * Math.PI * 440 * (b * BLOCK + i)) / RATE)) : 0;
    }
    out.push({ kind: 'audio', streamId: 's', pts: fromPts + b * 20, index: startIndex + b, sampleRate: RATE, channels: 1, format: 's16', samples });
  }
  return out;
}

class Collector {
  readonly events: AnalysisEvent[] = [];
  readonly tokens: { token: TextToken; final: boolean }[] = [];
  private readonly waiters = new Set<() => void>();
  readonly output = {
    publish: (e: AnalysisEvent): void => {
      this.events.push(e);
      for (const w of [...this.waiters]) w();
    },
    text: (token: TextToken, final: boolean): void => {
      this.tokens.push({ token, final });
    },
  };
  of(type: string): AnalysisEvent[] {
    return this.events.filter((e) => e.channel === 'transcript' && e.type === type);
  }
  until(check: () => boolean, ms: number, what: string): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        this.waiters.delete(w);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(new Error(`timed out waiting for ${what}; events: ${JSON.stringify(this.events.map((e) => `${e.channel}/${e.type}`))}`));
      }, ms);
      this.waiters.add(w);
    });
  }
}

describe('Realtime bridge (against a local server speaking the GA protocol)', () => {
  let server: MockRealtimeServer;
  let bridge: RealtimeBridge | null = null;
  let config: RealtimeConfig;

  beforeEach(async () => {
    server = new MockRealtimeServer();
    await server.start();
    config = { apiKey: 'sk-test-key', baseURL: server.baseURL, ca: server.ca, model: 'gpt-realtime', transcriptionModel: 'gpt-4o-transcribe', respond: false };
  });
  afterEach(async () => {
    bridge?.close();
    bridge = null;
    await server.close();
  });

  it('sends 24 kHz PCM16 after a GA session.update, and maps each transcript to the media time its speech began', async () => {
    const audio = new BoundedQueue<AudioFrame>(1000, 'drop-oldest');
    const out = new Collector();
    bridge = new RealtimeBridge({ streamId: 's', audio, config, output: out.output, logger: silentLogger() });
    server.script.push('my email is john.smith@example.com ', 'thank you');
    bridge.start();
    // Media time starts at 5 s; speech at 5.5–6.5 s and 7.5–8.1 s.
    for (const f of frames(5000, 4000, (t) => (t >= 500 && t < 1500) || (t >= 2500 && t < 3100))) audio.push(f);
    await out.until(() => out.of('done').length === 2, 10_000, 'two transcripts');

    const conn = server.connections[0];
    expect(conn?.authorization).toBe('Bearer sk-test-key');
    expect(conn?.url).toBe('/v1/realtime?model=gpt-realtime');
    expect(conn?.sessionUpdates[0]).toMatchObject({
      type: 'session.update',
      session: { type: 'realtime', audio: { input: { format: { type: 'audio/pcm', rate: 24_000 }, transcription: { model: 'gpt-4o-transcribe' }, turn_detection: { type: 'server_vad', create_response: false } } } },
    });
    // The server heard 440 Hz reading the samples as 24 kHz: the rate is right.
    expect(server.turns).toHaveLength(2);
    for (const t of server.turns) expect(Math.abs(t.hz - 440)).toBeLessThan(5);

    const done = out.of('done');
    expect(done.map((e) => (e.data as { text: string }).text)).toEqual(['my email is john.smith@example.com ', 'thank you']);
    // Speech began at 5.5 s and 7.5 s of media time (±1 VAD window and the filter delay).
    expect(Math.abs((done[0]?.pts ?? 0) - 5500)).toBeLessThanOrEqual(25);
    expect(Math.abs((done[1]?.pts ?? 0) - 7500)).toBeLessThanOrEqual(25);
    // Deltas concatenate to the transcript, carry the item's pts, and reach the analyzers too.
    const first = (done[0]?.data as { itemId: string }).itemId;
    const deltas = out.of('delta').filter((e) => (e.data as { itemId: string }).itemId === first);
    expect(deltas.map((e) => (e.data as { text: string }).text).join('')).toBe('my email is john.smith@example.com ');
    expect(deltas.every((e) => e.pts === done[0]?.pts)).toBe(true);
    const tokens = out.tokens.filter((t) => t.token.itemId === first);
    expect(tokens.map((t) => t.token.text).join('')).toBe('my email is john.smith@example.com ');
    expect(tokens.at(-1)?.final).toBe(true);
    expect(tokens.slice(0, -1).every((t) => !t.final && t.token.source === 'transcript')).toBe(true);
    expect(out.of('status').map((e) => (e.data as { state: string }).state)).toEqual(['connected']);
    expect(bridge.stats.droppedMs).toBe(0);
  });

  it('reconnects after the socket drops, says so, and goes on transcribing with the right media time', async () => {
    const audio = new BoundedQueue<AudioFrame>(1000, 'drop-oldest');
    const out = new Collector();
    bridge = new RealtimeBridge({ streamId: 's', audio, config, output: out.output, logger: silentLogger(), backoff: new RestartBackoff(50, 200) });
    server.script.push('first turn', 'second turn');
    bridge.start();
    for (const f of frames(0, 2000, (t) => t >= 500 && t < 1200)) audio.push(f);
    await out.until(() => out.of('done').length === 1, 10_000, 'the first transcript');

    server.dropAll();
    await out.until(() => out.of('status').filter((e) => (e.data as { state: string }).state === 'connected').length === 2, 10_000, 'a second session');
    expect(out.of('status').map((e) => (e.data as { state: string }).state)).toEqual(['connected', 'reconnecting', 'connected']);
    await server.waitFor(() => server.connections[1]?.sessionUpdates.length === 1, 10_000, 'the new session to be configured');
    expect(server.connections).toHaveLength(2);

    // Media goes on from 2 s; the new session's audio clock starts at 0 but its pts must not.
    for (const f of frames(2000, 2000, (t) => t >= 600 && t < 1300, 100)) audio.push(f);
    await out.until(() => out.of('done').length === 2, 10_000, 'the second transcript');
    const second = out.of('done')[1];
    expect((second?.data as { text: string }).text).toBe('second turn');
    expect(Math.abs((second?.pts ?? 0) - 2600)).toBeLessThanOrEqual(25);
  });

  it('turns a server error event into an alert and a log line, and keeps the session', async () => {
    const audio = new BoundedQueue<AudioFrame>(1000, 'drop-oldest');
    const out = new Collector();
    bridge = new RealtimeBridge({ streamId: 's', audio, config, output: out.output, logger: silentLogger() });
    bridge.start();
    await out.until(() => bridge?.connected === true, 10_000, 'the session to open');
    server.sendError('Rate limit reached', 'rate_limit_exceeded');
    await out.until(() => out.events.some((e) => e.channel === 'alerts'), 10_000, 'an alert');
    expect(out.events.find((e) => e.channel === 'alerts')?.data).toMatchObject({ source: 'realtime', severity: 'warn', message: 'Realtime API: Rate limit reached' });
    expect(bridge.stats.serverErrors).toBe(1);
    for (const f of frames(0, 1500, (t) => t >= 200 && t < 800)) audio.push(f);
    await out.until(() => out.of('done').length === 1, 10_000, 'a transcript after the error');
    expect(server.connections).toHaveLength(1);
  });

  it('keeps a bounded backlog while it cannot connect, and counts what it drops', async () => {
    await server.close();
    const audio = new BoundedQueue<AudioFrame>(1000, 'drop-oldest');
    const out = new Collector();
    bridge = new RealtimeBridge({ streamId: 's', audio, config, output: out.output, logger: silentLogger(), backlogMs: 1000, backoff: new RestartBackoff(20, 50) });
    bridge.start();
    for (const f of frames(0, 3000, () => true)) audio.push(f);
    // 3 s of audio, 1 s kept: the oldest 2 s go (less the filter's delay, in 100 ms chunks).
    await out.until(() => (bridge?.stats.droppedMs ?? 0) >= 1900, 10_000, 'the backlog to overflow');
    expect(bridge.stats.droppedMs).toBeLessThanOrEqual(2000);
    expect(out.of('status').some((e) => (e.data as { state: string }).state === 'reconnecting')).toBe(true);
    expect(bridge.stats.sentMs).toBe(0);
    server = new MockRealtimeServer();
    await server.start();
  });

  it('at the end of a stream commits the turn in progress and waits for its transcript', async () => {
    const audio = new BoundedQueue<AudioFrame>(1000, 'drop-oldest');
    const out = new Collector();
    bridge = new RealtimeBridge({ streamId: 's', audio, config, output: out.output, logger: silentLogger() });
    server.script.push('cut short');
    bridge.start();
    await out.until(() => bridge?.connected === true, 10_000, 'the session to open');
    // Speech from 0.5 s to the very end: the server's VAD never hears the silence after it.
    for (const f of frames(0, 1500, (t) => t >= 500)) audio.push(f);
    await out.until(() => out.of('speech').length === 1, 10_000, 'speech to start');
    expect(out.of('speech')[0]?.data).toMatchObject({ state: 'start' });
    expect(Math.abs((out.of('speech')[0]?.pts ?? 0) - 500)).toBeLessThanOrEqual(25);
    expect(out.of('done')).toHaveLength(0);
    await bridge.drain(10_000);
    expect(server.connections[0]?.commits).toBe(1);
    expect(out.of('done').map((e) => (e.data as { text: string }).text)).toEqual(['cut short']);
    expect(out.tokens.at(-1)?.final).toBe(true);
  });

  it('drains at once, without a commit, when no turn is open', async () => {
    const audio = new BoundedQueue<AudioFrame>(1000, 'drop-oldest');
    const out = new Collector();
    bridge = new RealtimeBridge({ streamId: 's', audio, config, output: out.output, logger: silentLogger() });
    bridge.start();
    await out.until(() => bridge?.connected === true, 10_000, 'the session to open');
    for (const f of frames(0, 1060, () => false)) audio.push(f);
    // 1.06 s at 24 kHz: ten full 100 ms appends; the last 60 ms are held.
    await server.waitFor(() => server.connections[0]?.appendedSamples === 24_000, 10_000, 'ten appends');
    await bridge.drain(60_000);
    // Closing after the drain: the server has seen everything the drain sent once it sees the close.
    const conn = server.connections[0];
    bridge.close();
    await server.waitFor(() => conn?.socket.readyState === conn?.socket.CLOSED, 10_000, 'the close');
    expect(conn?.commits).toBe(0);
    // What was held went out: 60 ms, three more of the server VAD's 20 ms windows.
    expect(conn?.appendedSamples).toBe(25_440);
  });

  it('with respond on, the model answers each turn in text: transcript events and analyzer text with source "response"', async () => {
    const audio = new BoundedQueue<AudioFrame>(1000, 'drop-oldest');
    const out = new Collector();
    bridge = new RealtimeBridge({ streamId: 's', audio, config: { ...config, respond: true, instructions: 'Answer briefly.' }, output: out.output, logger: silentLogger() });
    server.script.push('what is the time ');
    server.answers.push('It is noon. Call 415 555 0132 for more.');
    bridge.start();
    for (const f of frames(0, 1500, (t) => t >= 200 && t < 800)) audio.push(f);
    await out.until(() => out.of('done').length === 2, 10_000, 'the transcript and the answer');
    expect(server.connections[0]?.sessionUpdates[0]).toMatchObject({ session: { instructions: 'Answer briefly.', output_modalities: ['text'], audio: { input: { turn_detection: { create_response: true } } } } });
    const answer = out.of('done').find((e) => (e.data as { source: string }).source === 'response');
    expect((answer?.data as { text: string }).text).toBe('It is noon. Call 415 555 0132 for more.');
    const answerId = (answer?.data as { itemId: string }).itemId;
    const tokens = out.tokens.filter((t) => t.token.itemId === answerId);
    expect(tokens.every((t) => t.token.source === 'response')).toBe(true);
    expect(tokens.map((t) => t.token.text).join('')).toBe('It is noon. Call 415 555 0132 for more.');
    expect(tokens.at(-1)?.final).toBe(true);
  });

  it('gives up a connection that never opens, and one whose peer stops answering pings', async () => {
    // A TCP server that accepts and then says nothing: no TLS, no upgrade.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    let attempts = 0;
    silent.on('connection', () => (attempts += 1));
    try {
      const audio = new BoundedQueue<AudioFrame>(10, 'drop-oldest');
      const out = new Collector();
      const port = (silent.address() as net.AddressInfo).port;
      bridge = new RealtimeBridge({
        streamId: 's', audio, config: { ...config, baseURL: `https://127.0.0.1:${port}/v1` }, output: out.output, logger: silentLogger(),
        handshakeTimeoutMs: 200, backoff: new RestartBackoff(20, 50),
      });
      bridge.start();
      await out.until(() => out.of('status').length >= 2, 10_000, 'two failed attempts');
      expect(out.of('status').every((e) => (e.data as { state: string }).state === 'reconnecting')).toBe(true);
      expect(attempts).toBeGreaterThanOrEqual(2);
      bridge.close();
    } finally {
      silent.close();
    }

    // A session whose peer stops reading (no pongs): dropped and reopened. Client and server
    // share this event loop, so a stall of a whole ping interval can cost a session by itself:
    // the interval is not too short, and what is checked is the session paused here.
    const audio = new BoundedQueue<AudioFrame>(10, 'drop-oldest');
    const out = new Collector();
    bridge = new RealtimeBridge({ streamId: 's', audio, config, output: out.output, logger: silentLogger(), pingIntervalMs: 400, backoff: new RestartBackoff(20, 50) });
    bridge.start();
    await out.until(() => bridge?.connected === true, 10_000, 'the session to open');
    const states = (): string[] => out.of('status').map((e) => (e.data as { state: string }).state);
    const before = states().length;
    const opened = server.connections.length;
    // The connection the bridge is on now (the newest the server accepted).
    server.connections.at(-1)?.socket.pause();
    await out.until(() => {
      const after = states().slice(before);
      return after[0] === 'reconnecting' && after.includes('connected');
    }, 10_000, 'the paused session to be dropped and a new one to open');
    expect(server.connections.length).toBeGreaterThanOrEqual(opened + 1);
  });

  it('is configured from the environment only when OPENAI_API_KEY is set', () => {
    expect(realtimeFromEnv({})).toBeNull();
    expect(realtimeFromEnv({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'https://example.invalid/v1' })).toEqual({
      apiKey: 'k', baseURL: 'https://example.invalid/v1', model: 'gpt-realtime', transcriptionModel: 'gpt-4o-transcribe', respond: false,
    });
  });
});
