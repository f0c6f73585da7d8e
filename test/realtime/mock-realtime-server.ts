import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { generateSelfSigned } from '../../src/transport/webtransport/certificate.js';

/**
 * A local stand-in for the OpenAI Realtime service, speaking the GA protocol over TLS
 * (the openai client always dials wss://): `session.created` on connect, `session.updated`
 * for a `session.update` that names its `type` (an `error` otherwise, as the real service
 * rejects beta-shaped updates), and for `input_audio_buffer.append` an energy-based server
 * VAD on the 24 kHz PCM16 it receives: `speech_started` / `speech_stopped` / `committed`,
 * then the next scripted transcript as `conversation.item.input_audio_transcription.delta`
 * events (one per word) and `.completed`. It also measures each speech turn's pitch by zero
 * crossings at 24 kHz, so a test can tell the audio arrived at the right rate.
 */
export interface MockTurn {
  itemId: string;
  startMs: number;
  endMs: number;
  /** Zero-crossing frequency of the turn's audio, read as 24 kHz samples. */
  hz: number;
}

export interface MockConnection {
  socket: WebSocket;
  authorization: string | undefined;
  url: string;
  sessionUpdates: unknown[];
  appendedSamples: number;
  commits: number;
}

const RATE = 24_000;
const WINDOW = 480; // 20 ms
const SPEECH_RMS = 1000;
const HANGOVER_WINDOWS = 15; // 300 ms of quiet ends a turn
const HYSTERESIS = 500;

export class MockRealtimeServer {
  readonly connections: MockConnection[] = [];
  readonly turns: MockTurn[] = [];
  /** Transcripts handed out in order, one per turn; then "turn N". */
  readonly script: string[] = [];
  /** The model's answers, one per turn, when the session lets it answer (`create_response`). */
  readonly answers: string[] = [];
  private server: Server | null = null;
  private wss: WebSocketServer | null = null;
  private certPem = '';
  private eventSeq = 0;
  private itemSeq = 0;
  private readonly listeners = new Set<() => void>();

  async start(): Promise<void> {
    const cert = await generateSelfSigned(Date.now(), 24 * 3600_000);
    this.certPem = cert.certPem;
    this.server = createServer({ cert: cert.certPem, key: cert.keyPem });
    this.wss = new WebSocketServer({ noServer: true });
    // Only the Realtime socket is served here; any other API call gets a 404 at once.
    this.server.on('request', (_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not served by the mock"}}'));
    this.server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/v1/realtime')) {
        socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
        return;
      }
      this.wss?.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req.headers.authorization, req.url ?? ''));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  /** The API base URL to give the openai client, and the CA it must trust. */
  get baseURL(): string {
    return `https://127.0.0.1:${(this.server?.address() as AddressInfo).port}/v1`;
  }

  get ca(): string {
    return this.certPem;
  }

  /** Resolves when `check` holds after some server-side change (connect, turn, message). */
  waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`mock Realtime server: timed out waiting for ${what}`));
      }, timeoutMs);
      const listener = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve();
      };
      this.listeners.add(listener);
    });
  }

  /** Drops every connection as a network failure would (no close handshake). */
  dropAll(): void {
    for (const c of this.connections) c.socket.terminate();
  }

  /** Sends a server `error` event on every open connection. */
  sendError(message: string, code = 'test_error'): void {
    for (const c of this.connections) this.send(c.socket, { type: 'error', error: { type: 'invalid_request_error', code, message, param: null, event_id: null } });
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket.terminate();
    this.wss?.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }

  private send(ws: WebSocket, event: Record<string, unknown>): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event_id: `event_${++this.eventSeq}`, ...event }));
  }

  private onConnection(ws: WebSocket, authorization: string | undefined, url: string): void {
    const conn: MockConnection = { socket: ws, authorization, url, sessionUpdates: [], appendedSamples: 0, commits: 0 };
    this.connections.push(conn);
    this.send(ws, { type: 'session.created', session: { type: 'realtime', object: 'realtime.session', id: `sess_${this.connections.length}` } });
    // VAD state of this connection
    let padding = 300;
    let createResponse = true; // the service's default for server_vad
    let window = new Int16Array(0);
    let inSpeech = false;
    let quiet = 0;
    /** Crossings, and where the first and last were, so partly loud windows do not skew the pitch. */
    let turn: { itemId: string; startMs: number; crossings: number; first: number; last: number; prev: number } | null = null;
    const endTurn = (endMs: number): void => {
      if (!turn) return;
      inSpeech = false;
      const done = turn;
      turn = null;
      const span = (done.last - done.first) / RATE;
      this.turns.push({ itemId: done.itemId, startMs: done.startMs, endMs, hz: span > 0 ? (done.crossings - 1) / 2 / span : 0 });
      this.send(ws, { type: 'input_audio_buffer.speech_stopped', audio_end_ms: Math.round(endMs), item_id: done.itemId });
      this.send(ws, { type: 'input_audio_buffer.committed', item_id: done.itemId, previous_item_id: null });
      const text = this.script.shift() ?? `turn ${this.turns.length}`;
      for (const w of text.split(/(?<= )/)) this.send(ws, { type: 'conversation.item.input_audio_transcription.delta', item_id: done.itemId, content_index: 0, delta: w });
      this.send(ws, { type: 'conversation.item.input_audio_transcription.completed', item_id: done.itemId, content_index: 0, transcript: text, usage: { type: 'duration', seconds: 1 } });
      if (createResponse) {
        // The model answers the turn in text (output_modalities ["text"]).
        const responseId = `resp_${done.itemId}`;
        const answerId = `item_answer_${done.itemId}`;
        const answer = this.answers.shift() ?? 'OK.';
        this.send(ws, { type: 'response.created', response: { id: responseId, object: 'realtime.response', status: 'in_progress' } });
        for (const w of answer.split(/(?<= )/)) this.send(ws, { type: 'response.output_text.delta', response_id: responseId, item_id: answerId, output_index: 0, content_index: 0, delta: w });
        this.send(ws, { type: 'response.output_text.done', response_id: responseId, item_id: answerId, output_index: 0, content_index: 0, text: answer });
        this.send(ws, { type: 'response.done', response: { id: responseId, object: 'realtime.response', status: 'completed' } });
      }
    };
    ws.on('message', (raw) => {
      let event: { type?: string; audio?: string; session?: { type?: string; audio?: { input?: { turn_detection?: { prefix_padding_ms?: number; create_response?: boolean } } } } };
      try {
        event = JSON.parse(raw.toString()) as typeof event;
      } catch {
        this.send(ws, { type: 'error', error: { type: 'invalid_request_error', code: 'invalid_json', message: 'not JSON' } });
        return;
      }
      if (event.type === 'session.update') {
        conn.sessionUpdates.push(event);
        padding = event.session?.audio?.input?.turn_detection?.prefix_padding_ms ?? padding;
        createResponse = event.session?.audio?.input?.turn_detection?.create_response ?? createResponse;
        if (!event.session?.type) this.send(ws, { type: 'error', error: { type: 'invalid_request_error', code: 'missing_required_parameter', message: "Missing required parameter: 'session.type'." } });
        else this.send(ws, { type: 'session.updated', session: event.session });
      } else if (event.type === 'input_audio_buffer.append' && typeof event.audio === 'string') {
        const bytes = Buffer.from(event.audio, 'base64');
        const samples = new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
        const merged = new Int16Array(window.length + samples.length);
        merged.set(window);
        merged.set(samples, window.length);
        let at = 0;
        for (; at + WINDOW <= merged.length; at += WINDOW) {
          const startSample = conn.appendedSamples;
          const block = merged.subarray(at, at + WINDOW);
          let e = 0;
          for (const v of block) e += v * v;
          const loud = Math.sqrt(e / WINDOW) > SPEECH_RMS;
          const ms = (startSample * 1000) / RATE;
          if (loud && !inSpeech) {
            inSpeech = true;
            turn = { itemId: `item_${++this.itemSeq}`, startMs: ms, crossings: 0, first: -1, last: -1, prev: 0 };
            // As the real service: the start includes the configured prefix padding (default 300 ms).
            this.send(ws, { type: 'input_audio_buffer.speech_started', audio_start_ms: Math.max(0, Math.round(ms - padding)), item_id: turn.itemId });
          }
          if (turn && loud) {
            // With hysteresis (±HYSTERESIS): the filter's ringing around a cut is not pitch.
            for (let i = 0; i < block.length; i += 1) {
              const v = block[i] ?? 0;
              const side = v > HYSTERESIS ? 1 : v < -HYSTERESIS ? -1 : turn.prev;
              if (turn.prev !== 0 && side !== turn.prev) {
                turn.crossings += 1;
                if (turn.first < 0) turn.first = startSample + i;
                turn.last = startSample + i;
              }
              turn.prev = side;
            }
          }
          quiet = loud ? 0 : quiet + 1;
          if (inSpeech && quiet >= HANGOVER_WINDOWS) endTurn(ms - (HANGOVER_WINDOWS - 1) * 20);
          conn.appendedSamples += WINDOW;
        }
        window = merged.slice(at);
      } else if (event.type === 'input_audio_buffer.commit') {
        conn.commits += 1;
        // A commit ends the turn in progress, as the real service transcribes what it holds.
        if (inSpeech) endTurn((conn.appendedSamples * 1000) / RATE);
        else this.send(ws, { type: 'error', error: { type: 'invalid_request_error', code: 'input_audio_buffer_commit_empty', message: 'buffer too small' } });
      }
      this.changed();
    });
    ws.on('close', () => this.changed());
    this.changed();
  }
}
