// The viewer: a stream's live picture (HLS) with the gateway's analysis drawn over and beside it.
//
// Two clocks: charts and lists follow the analysis events as they arrive (real time, seconds
// ahead of the picture); what is drawn on the picture (badges, scene-cut flash, the end) waits
// for the picture to reach it (PictureSync, keyed by the events' gateway wall clock `ts`).
import { connectAnalysis, type AnalysisConnection, type AnalysisStatus, type SinceMap, type WireEvent } from './client/index.js';
import { edgeOf, num, str } from './viewer/data.js';
import { clock, dbfs, duration, fixed } from './viewer/format.js';
import { AlertsPanel, TemporalPanel, TextPanel } from './viewer/panels.js';
import { Picture, type PictureDelay, type PictureState } from './viewer/picture.js';
import { PictureSync } from './viewer/picture-sync.js';
import { Sparkline } from './viewer/sparkline.js';

interface StreamInfo {
  readonly id: string;
  readonly state: 'starting' | 'live' | 'ended';
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly video?: { codec: string; width: number; height: number; fps: number } | null;
}

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`viewer page lacks #${id}`);
  return el as T;
};

const els = {
  stream: $<HTMLSelectElement>('stream'),
  conn: $('conn'), dot: $('conn-dot'), transport: $('transport'), latency: $('latency'), delay: $('delay'),
  video: $<HTMLVideoElement>('video'), sound: $<HTMLButtonElement>('sound'), nopic: $('nopic'), badges: $('badges'), cut: $('cut'), meta: $('meta'), ended: $('ended'),
  vMotion: $('v-motion'), vLuma: $('v-luma'), vAudio: $('v-audio'),
  emptyTitle: $('empty-title'), emptyLead: $('empty-lead'), emptyServer: $('empty-server'), emptyKey: $('empty-key'), emptyFfmpeg: $('empty-ffmpeg'),
};

const charts = {
  motion: new Sparkline($<HTMLCanvasElement>('c-motion'), { color: '#58a6ff', min: 0, bands: { frozen: 'rgba(121,192,255,.22)' }, formatAxis: (v) => fixed(v, 0) }),
  luma: new Sparkline($<HTMLCanvasElement>('c-luma'), { color: '#e3b341', min: 0, max: 255, bands: { black: 'rgba(139,148,158,.28)' } }),
  audio: new Sparkline($<HTMLCanvasElement>('c-audio'), {
    color: '#3fb950', min: -80, max: 0, formatAxis: (v) => `${fixed(v, 0)} dB`,
    bands: { voice: 'rgba(163,113,247,.30)', silence: 'rgba(210,153,34,.22)' },
  }),
};

const alerts = new AlertsPanel($<HTMLOListElement>('alerts'), $('alert-count'), $('alerts-empty'));
const temporal = new TemporalPanel($('temporal'), $('temporal-empty'));
const text = new TextPanel($('text'), $('text-empty'));
const sync = new PictureSync();
const picture = new Picture(els.video, onPictureState);

/** What the picture shows now (after PictureSync). */
const overlay = { flags: new Set<string>(), live: false, ended: null as { at: number; reason: string | undefined } | null };
/** The run being watched: its id and start time (a stream id published again is a new run). */
let watching: { id: string; startedAt: string } | null = null;
let connection: AnalysisConnection | null = null;
let generation = 0;
let connState: AnalysisStatus['state'] | 'idle' = 'idle';
/** Newest event `ts` (gateway clock) seen. */
let lastEventTs = 0;
/**
 * The gateway's clock minus ours (ms), from events' `ts` as they arrive: the largest recent
 * `ts − now` (arrival latency only makes it smaller), decaying so a stale maximum fades.
 */
let clockOffsetMs: number | null = null;
let lastOffsetAt = 0;
const gatewayNow = (): number => Date.now() + (clockOffsetMs ?? 0);
/** Latest readings, written to the page a few times a second so they can be read. */
const readings = { motion: null as number | null, luma: null as number | null, rms: null as number | null, peak: null as number | null, latencyMs: null as number | null };

const BADGES: readonly (readonly [string, string])[] = [
  ['live', 'LIVE'], ['ended', 'ENDED'], ['black', 'BLACK'], ['frozen', 'FROZEN'], ['silence', 'SILENCE'], ['clipping', 'CLIPPING'], ['voice', 'VOICE'],
];

function renderBadges(): void {
  const on = (k: string): boolean => (k === 'live' ? overlay.live && !overlay.ended : k === 'ended' ? overlay.ended !== null : overlay.flags.has(k));
  els.badges.replaceChildren(...BADGES.filter(([k]) => on(k)).map(([k, label]) => {
    const b = document.createElement('span');
    b.className = `badge ${k}`;
    b.textContent = label;
    return b;
  }));
}

function setFlag(name: string, on: boolean): void {
  if (on === overlay.flags.has(name)) return;
  if (on) overlay.flags.add(name);
  else overlay.flags.delete(name);
  renderBadges();
}

function flashCut(): void {
  els.cut.classList.add('on');
  requestAnimationFrame(() => requestAnimationFrame(() => els.cut.classList.remove('on')));
}

function showEnded(at: number, reason: string | undefined): void {
  overlay.ended = { at, reason };
  // Nothing is black, frozen or silent any more: there is no live media to be so.
  overlay.flags.clear();
  const title = document.createElement('strong');
  title.textContent = `Stream ended at ${clock(at)}`;
  const detail = document.createElement('span');
  // The gateway's reason reads "the stream has ended[: why]"; the why is what is news here.
  const why = reason?.replace(/^the stream has ended:?\s*/i, '');
  detail.textContent = `${why ? `${why[0]?.toUpperCase() ?? ''}${why.slice(1)}. ` : ''}This page picks the stream up again if it is republished under the same id.`;
  els.ended.replaceChildren(title, detail);
  els.ended.hidden = false;
  renderBadges();
}

/** Segment events: a chart band (real time, media pts) and a picture badge (when the picture gets there). */
function onSegment(e: WireEvent, flag: string, chart: Sparkline | null): void {
  const edge = edgeOf(e.data);
  if (edge === null) return;
  if (chart) {
    if (edge === 'start') chart.bandStart(flag, e.pts);
    else chart.bandEnd(flag, e.pts, num(e.data, 'startPts') ?? undefined);
  }
  sync.schedule(liveMoment(e), () => setFlag(flag, edge === 'start'));
}

/**
 * When the media an event is about was live at the gateway (gateway clock, ms). `ts` is when
 * the event was made, which lags the media by however far the analysis is behind (seconds
 * when a decoder starts or the machine is busy). Media time (`pts`) and wall clock advance
 * together, so the smallest `ts − pts` seen, from an event made with the least lag, maps media
 * time to when it was live. It rises slowly (10 ms/s) to follow a drifting publisher clock, and
 * restarts when the media clock jumps (a publisher that reconnected and restarted its timestamps).
 */
let mediaToLiveMs: number | null = null;
let mediaToLiveAt = 0;
let lastLiveMoment = 0;
function liveMoment(e: WireEvent): number {
  if (e.channel !== 'video' && e.channel !== 'audio') return e.ts;
  const now = Date.now();
  const sample = e.ts - e.pts;
  const current = mediaToLiveMs === null ? null : mediaToLiveMs + (now - mediaToLiveAt) / 100;
  mediaToLiveMs = current === null || sample < current || sample - current > 30_000 ? sample : current;
  mediaToLiveAt = now;
  lastLiveMoment = Math.max(lastLiveMoment, e.pts + mediaToLiveMs);
  return e.pts + mediaToLiveMs;
}

function onEvent(e: WireEvent): void {
  lastEventTs = Math.max(lastEventTs, e.ts);
  if (e.channel === 'video' && e.type === 'frame') liveMoment(e); // keeps the mapping current
  const now = Date.now();
  const decayed = clockOffsetMs === null ? -Infinity : clockOffsetMs - (now - lastOffsetAt) / 100; // 10 ms per s
  clockOffsetMs = Math.max(decayed, e.ts - now);
  lastOffsetAt = now;
  if (!overlay.live) {
    overlay.live = true; // the stream is live now; not a moment of the picture
    renderBadges();
  }
  if (e.channel === 'video') {
    if (e.type === 'frame') {
      readings.latencyMs = Math.max(0, Date.now() - e.ts);
      const motion = num(e.data, 'motion');
      const luma = num(e.data, 'meanLuma');
      if (motion !== null) charts.motion.push(e.pts, motion);
      if (luma !== null) charts.luma.push(e.pts, luma);
      readings.motion = motion ?? readings.motion;
      readings.luma = luma ?? readings.luma;
    } else if (e.type === 'scene_cut') sync.schedule(liveMoment(e), flashCut);
    else if (e.type === 'black') onSegment(e, 'black', charts.luma);
    else if (e.type === 'frozen') onSegment(e, 'frozen', charts.motion);
  } else if (e.channel === 'audio') {
    if (e.type === 'level') {
      const rms = num(e.data, 'rmsDbfs');
      if (rms !== null) charts.audio.push(e.pts, Math.max(-80, rms));
      readings.rms = rms ?? readings.rms;
      readings.peak = num(e.data, 'peakDbfs') ?? readings.peak;
    } else if (e.type === 'silence') onSegment(e, 'silence', charts.audio);
    else if (e.type === 'vad') onSegment(e, 'voice', charts.audio);
    else if (e.type === 'clipping') onSegment(e, 'clipping', null);
  } else if (e.channel === 'temporal' && e.type === 'attractor') temporal.show(e);
  else if (e.channel === 'alerts' && e.type === 'alert') alerts.add(e);
  else if (e.channel === 'text') text.add(e);
  else if (e.channel === 'transcript') onTranscript(e);
}

/** The Realtime session's state and the server VAD's speech edges, next to the Text title. */
function onTranscript(e: WireEvent): void {
  const chip = $('rt-state');
  if (e.type === 'status') {
    const state = str(e.data, 'state');
    chip.hidden = false;
    chip.textContent = state === 'connected' ? 'Realtime' : 'Realtime: reconnecting…';
    chip.title = str(e.data, 'reason') ?? 'OpenAI Realtime transcription';
    chip.dataset['state'] = state ?? '';
  } else if (e.type === 'speech') {
    chip.hidden = false;
    chip.textContent = str(e.data, 'state') === 'start' ? 'Realtime · speaking' : 'Realtime';
  }
}

const CONN_TEXT: Record<AnalysisStatus['state'] | 'idle', string> = {
  idle: 'not connected', connecting: 'connecting…', open: 'connected', reconnecting: 'reconnecting…', ended: 'stream ended', closed: 'closed',
};

function onStatus(s: AnalysisStatus | { state: 'idle'; transport: null; reason?: string }): void {
  connState = s.state;
  els.conn.dataset['state'] = s.state;
  els.conn.textContent = CONN_TEXT[s.state];
  els.conn.title = s.reason ?? '';
  els.dot.className = `dot ${s.state === 'open' ? 'open' : s.state === 'reconnecting' ? 'warn' : s.state === 'ended' || s.state === 'closed' ? 'off' : ''}`;
  els.transport.textContent = s.transport === 'webtransport' ? 'WebTransport · HTTP/3' : s.transport === 'websocket' ? 'WebSocket' : '';
  els.transport.title = s.transport === 'websocket' && s.reason ? s.reason : '';
  if (s.state === 'ended') {
    const { reason } = s;
    const at = Date.now();
    // The end is shown on the picture once the picture has played what came before it.
    sync.schedule(lastLiveMoment || gatewayNow(), () => showEnded(at, reason));
  }
}

function onPictureState(state: PictureState, detail?: string): void {
  if (state === 'playing') els.nopic.hidden = true;
  else if (state !== 'waiting') els.nopic.hidden = false;
  if (state === 'loading') els.nopic.textContent = 'Waiting for the picture… (the first HLS segments take a second or two)';
  else if (state === 'failed') els.nopic.textContent = `No picture: ${detail ?? 'the player stopped'}. The analysis goes on.`;
}

/** Longest the overlay waits for a picture that is still loading before it shows changes anyway. */
const MAX_HOLD_MS = 10_000;

/**
 * The gateway wall-clock time of the frame on screen, to release overlay changes against.
 * While the picture loads, changes wait (up to MAX_HOLD_MS) so the first frames are not shown
 * with the overlay of later ones; with no picture to wait for (failed, or drained after the
 * stream ended) they apply as they come.
 */
function pictureClock(now: number, delay: PictureDelay | null): number {
  if (connState === 'ended' && !picture.advancing()) return Infinity;
  if (delay !== null) return now - delay.ms;
  return picture.current === 'loading' ? now - MAX_HOLD_MS : Infinity;
}

let lastReadingsAt = 0;
function tick(now: number): void {
  const gwNow = gatewayNow();
  const delay = picture.delay(gwNow);
  sync.advance(pictureClock(gwNow, delay));
  charts.motion.draw();
  charts.luma.draw();
  charts.audio.draw();
  if (now - lastReadingsAt >= 250) {
    lastReadingsAt = now;
    if (readings.motion !== null) els.vMotion.textContent = fixed(readings.motion, 1);
    if (readings.luma !== null) els.vLuma.textContent = fixed(readings.luma, 0);
    if (readings.rms !== null) els.vAudio.textContent = `${dbfs(readings.rms)}${readings.peak !== null ? ` · peak ${fixed(readings.peak, 1)}` : ''}`;
    els.latency.textContent = readings.latencyMs === null ? '–' : duration(readings.latencyMs);
    // After the end the picture only drains; its distance to a source that stopped means nothing.
    const shown = delay !== null && !(connState === 'ended' && !picture.advancing()) ? delay : null;
    els.delay.textContent = shown === null ? '–' : duration(Math.max(0, shown.ms));
    els.delay.title = shown === null ? '' : `measured from ${shown.source === 'program-date-time' ? 'the segments\' program date time' : 'the distance to the playlist\'s live edge'}`;
    els.delay.dataset['source'] = shown?.source ?? '';
  }
}

function loop(now: number): void {
  tick(now);
  requestAnimationFrame(loop);
}

function resetView(): void {
  sync.clear();
  overlay.flags.clear();
  overlay.live = false;
  overlay.ended = null;
  els.ended.hidden = true;
  renderBadges();
  for (const c of Object.values(charts)) c.reset();
  alerts.reset();
  temporal.reset();
  text.reset();
  for (const k of ['motion', 'luma', 'rms', 'peak', 'latencyMs'] as const) readings[k] = null;
  for (const el of [els.vMotion, els.vLuma, els.vAudio]) el.textContent = '';
  lastEventTs = 0;
  lastLiveMoment = 0;
  mediaToLiveMs = null;
  clockOffsetMs = null;
}

/** Channels whose buffered past a new viewer asks for; the others start live. */
const HISTORY: SinceMap = { transcript: 0, text: 0, temporal: 0, alerts: 0 };

function watch(stream: StreamInfo): void {
  stopWatching();
  watching = { id: stream.id, startedAt: stream.startedAt };
  document.body.dataset['view'] = 'watching';
  history.replaceState(null, '', `?stream=${encodeURIComponent(stream.id)}`);
  document.title = `${stream.id} · MidStream viewer`;
  els.meta.textContent = stream.video ? `${stream.video.codec} ${stream.video.width}×${stream.video.height} · ${fixed(stream.video.fps, 0)} fps` : '';
  picture.load(stream.id);
  // Callbacks of an earlier connection (closing, or late) must not touch this one's view.
  const run = ++generation;
  connection = connectAnalysis({
    baseUrl: location.origin,
    streamId: stream.id,
    // Someone opening the page mid-stream sees what was said and flagged so far (everything the
    // gateway still buffers, docs/wire-format.md §Resume); the charts and badges start live.
    since: HISTORY,
    onEvent: (e) => {
      if (run === generation) onEvent(e);
    },
    onStatus: (s) => {
      if (run === generation) onStatus(s);
    },
  });
}

function stopWatching(): void {
  generation += 1; // before close(): its last status is not ours to show
  connection?.close();
  connection = null;
  onStatus({ state: 'idle', transport: null });
  picture.stop();
  watching = null;
  resetView();
}

function showEmpty(wanted: string | null): void {
  if (watching !== null || connection !== null) stopWatching();
  document.body.dataset['view'] = 'empty';
  const host = location.hostname || 'HOST';
  const id = wanted ?? 'mystream';
  els.emptyTitle.textContent = wanted ? `Waiting for stream “${wanted}”` : 'No stream is live yet';
  const show = (server: string) => {
    els.emptyServer.textContent = server;
    els.emptyKey.textContent = `${id}?key=<publishKey>`;
    els.emptyFfmpeg.textContent = `ffmpeg -re -i input.mp4 -c:v libx264 -preset veryfast -tune zerolatency -g 60 \\\n  -c:a aac -ar 48000 -f flv "${server}/${id}?key=<publishKey>"`;
  };
  show(`rtmp://${host}:1935/live`);
  // The gateway knows its real RTMP port.
  void fetch('/api/ingest').then((r) => r.json() as Promise<{ rtmp?: { url?: string } }>).then((info) => {
    if (typeof info.rtmp?.url === 'string') show(info.rtmp.url);
  }).catch(() => undefined);
}

let pickerSignature = '';
function fillPicker(streams: readonly StreamInfo[], selected: string | null): void {
  // Rebuilding the options under an open dropdown would close it: only when something changed.
  const signature = JSON.stringify([streams.map((s) => [s.id, s.state]), selected]);
  if (signature === pickerSignature) return;
  pickerSignature = signature;
  const options = streams.map((s) => {
    const o = document.createElement('option');
    o.value = s.id;
    o.textContent = `${s.id} · ${s.state}`;
    return o;
  });
  if (selected !== null && !streams.some((s) => s.id === selected)) {
    const o = document.createElement('option');
    o.value = selected;
    o.textContent = `${selected} · waiting`;
    options.unshift(o);
  }
  if (options.length === 0) {
    const none = document.createElement('option');
    none.value = '';
    none.textContent = 'none yet';
    options.push(none);
  }
  els.stream.replaceChildren(...options);
  els.stream.disabled = streams.length === 0 && selected === null;
  if (selected !== null) els.stream.value = selected;
}

/** The stream the page should show: the one in the URL if any, else a live one. */
async function refreshStreams(): Promise<void> {
  let streams: StreamInfo[];
  try {
    const res = await fetch('/api/streams');
    if (!res.ok) throw new Error(`status ${res.status}`);
    streams = (await res.json()) as StreamInfo[];
  } catch {
    return; // the gateway is away; the connection status says so
  }
  const wanted = new URLSearchParams(location.search).get('stream');
  const chosen = wanted !== null
    ? streams.find((s) => s.id === wanted)
    : streams.find((s) => s.state === 'live') ?? streams.find((s) => s.state === 'starting');
  fillPicker(streams, chosen?.id ?? wanted);
  if (!chosen) {
    showEmpty(wanted);
    return;
  }
  // A new run of the stream (or a first one): watch it from the start.
  if (watching?.id !== chosen.id || watching.startedAt !== chosen.startedAt) watch(chosen);
}

// Autoplay needs a muted picture; sound is one click away.
els.sound.addEventListener('click', () => {
  els.video.muted = !els.video.muted;
  if (!els.video.muted) void els.video.play().catch(() => undefined);
});
els.video.addEventListener('volumechange', () => {
  els.sound.textContent = els.video.muted ? 'Unmute' : 'Mute';
});

els.stream.addEventListener('change', () => {
  history.replaceState(null, '', `?stream=${encodeURIComponent(els.stream.value)}`);
  stopWatching();
  void refreshStreams();
});

renderBadges();
requestAnimationFrame(loop);
// rAF stops in a background tab; keep the overlay state current there too.
setInterval(() => tick(performance.now()), 500);
void refreshStreams();
setInterval(() => void refreshStreams(), 3000);
