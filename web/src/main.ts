// The viewer: live picture (HLS) with the gateway's analysis drawn over and beside it.
import { connectAnalysis, type AnalysisConnection, type WireEvent } from './client/index.js';
import { Sparkline } from './viewer/sparkline.js';

interface HlsLike {
  loadSource(url: string): void;
  attachMedia(media: HTMLMediaElement): void;
  destroy(): void;
  on(event: string, cb: (...args: unknown[]) => void): void;
  readonly playingDate: Date | null;
}
interface HlsStatic {
  new (config?: Record<string, unknown>): HlsLike;
  isSupported(): boolean;
  readonly Events: Record<string, string>;
}

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`viewer page lacks #${id}`);
  return el as T;
};

const els = {
  stream: $<HTMLSelectElement>('stream'),
  conn: $('conn'), dot: $('conn-dot'), transport: $('transport'), latency: $('latency'),
  video: $<HTMLVideoElement>('video'), nopic: $('nopic'), badges: $('badges'), cut: $('cut'), meta: $('meta'),
  temporal: $('temporal'), alerts: $<HTMLOListElement>('alerts'), alertCount: $('alert-count'), text: $('text'),
  vMotion: $('v-motion'), vLuma: $('v-luma'), vAudio: $('v-audio'),
};

const charts = {
  motion: new Sparkline($<HTMLCanvasElement>('c-motion'), { color: '#58a6ff', min: 0 }),
  luma: new Sparkline($<HTMLCanvasElement>('c-luma'), { color: '#e3b341', min: 0, max: 255 }),
  audio: new Sparkline($<HTMLCanvasElement>('c-audio'), { color: '#3fb950', min: -80, max: 0, bandColor: 'rgba(163,113,247,.25)' }),
};

/** Overlay flags set by segment events (start/end), shown on the picture. */
const flags = new Set<string>();
let connection: AnalysisConnection | null = null;
let hls: HlsLike | null = null;
let alertCount = 0;
const textItems = new Map<string, HTMLElement>();

function num(data: unknown, ...keys: string[]): number | null {
  if (typeof data !== 'object' || data === null) return null;
  for (const k of keys) {
    const v = (data as Record<string, unknown>)[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

function str(data: unknown, key: string): string | null {
  const v = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : null;
}

/** Segment events carry an edge: `start`/`end` (in `edge`, `phase` or `state`). */
function edgeOf(data: unknown): 'start' | 'end' | null {
  for (const k of ['edge', 'phase', 'state', 'event']) {
    const v = str(data, k);
    if (v === 'start' || v === 'end') return v;
  }
  if (typeof data === 'object' && data !== null) {
    const active = (data as Record<string, unknown>)['active'];
    if (typeof active === 'boolean') return active ? 'start' : 'end';
  }
  return null;
}

function renderBadges(): void {
  const labels: [string, string][] = [['live', 'LIVE'], ['black', 'BLACK'], ['frozen', 'FROZEN'], ['silence', 'SILENCE'], ['voice', 'VOICE']];
  els.badges.replaceChildren(...labels.filter(([k]) => k === 'live' || flags.has(k)).map(([k, label]) => {
    const b = document.createElement('span');
    b.className = `badge ${k}`;
    b.textContent = label;
    return b;
  }));
}

function setFlag(name: string, on: boolean): void {
  if (on) flags.add(name);
  else flags.delete(name);
  renderBadges();
}

function addAlert(e: WireEvent): void {
  alertCount += 1;
  els.alertCount.textContent = String(alertCount);
  const li = document.createElement('li');
  const severity = str(e.data, 'severity');
  if (severity === 'high' || severity === 'critical') li.className = 'high';
  const message = str(e.data, 'message') ?? `${e.type} ${JSON.stringify(e.data)}`;
  const when = document.createElement('div');
  when.className = 'when';
  when.textContent = `${new Date(e.ts).toLocaleTimeString()} · media ${(e.pts / 1000).toFixed(2)} s · ${str(e.data, 'source') ?? e.channel}`;
  const body = document.createElement('div');
  body.textContent = message;
  li.append(when, body);
  els.alerts.prepend(li);
  while (els.alerts.children.length > 200) els.alerts.lastElementChild?.remove();
}

function renderTemporal(e: WireEvent): void {
  const series = str(e.data, 'series') ?? 'series';
  let cell = els.temporal.querySelector<HTMLElement>(`[data-series="${series}"]`);
  if (!cell) {
    els.temporal.querySelector('.muted')?.remove();
    cell = document.createElement('div');
    cell.className = 'tcell';
    cell.dataset['series'] = series;
    els.temporal.append(cell);
  }
  const cls = str(e.data, 'class') ?? '?';
  const lambda = num(e.data, 'lambda');
  const conf = num(e.data, 'confidence');
  cell.innerHTML = '';
  const s = document.createElement('div');
  s.className = 'series';
  s.textContent = series;
  const c = document.createElement('div');
  c.className = `cls ${cls}`;
  c.textContent = cls;
  const d = document.createElement('div');
  d.className = 'mono muted';
  d.textContent = `λ ${lambda === null ? '–' : lambda.toFixed(3)}/s · conf ${conf === null ? '–' : conf.toFixed(2)}`;
  cell.append(s, c, d);
}

function renderText(e: WireEvent): void {
  const item = str(e.data, 'itemId') ?? 'item';
  const chunk = str(e.data, 'output') ?? str(e.data, 'text') ?? str(e.data, 'delta');
  if (chunk === null) return;
  els.text.querySelector('.muted')?.remove();
  let el = textItems.get(item);
  if (!el) {
    el = document.createElement('p');
    textItems.set(item, el);
    els.text.append(el);
  }
  // show [TYPE] placeholders as redaction chips
  for (const part of chunk.split(/(\[[A-Z_]+\])/)) {
    if (part === '') continue;
    if (/^\[[A-Z_]+\]$/.test(part)) {
      const span = document.createElement('span');
      span.className = 'redacted';
      span.textContent = part.slice(1, -1);
      el.append(span);
    } else el.append(document.createTextNode(part));
  }
  els.text.scrollTop = els.text.scrollHeight;
}

function onEvent(e: WireEvent): void {
  const latency = Date.now() - e.ts;
  if (e.channel === 'video' && e.type === 'frame') {
    els.latency.textContent = `${Math.max(0, latency)} ms`;
    const motion = num(e.data, 'motion');
    const luma = num(e.data, 'meanLuma');
    if (motion !== null) {
      charts.motion.push(e.pts, motion);
      els.vMotion.textContent = motion.toFixed(1);
    }
    if (luma !== null) {
      charts.luma.push(e.pts, luma);
      els.vLuma.textContent = luma.toFixed(0);
    }
    els.meta.textContent = `pts ${(e.pts / 1000).toFixed(2)} s`;
    return;
  }
  if (e.channel === 'video' && e.type === 'scene_cut') {
    els.cut.classList.add('on');
    requestAnimationFrame(() => requestAnimationFrame(() => els.cut.classList.remove('on')));
    return;
  }
  if (e.channel === 'video' && (e.type === 'black' || e.type === 'frozen')) {
    setFlag(e.type, edgeOf(e.data) === 'start');
    return;
  }
  if (e.channel === 'audio') {
    const level = num(e.data, 'rmsDbfs', 'rmsDb', 'rms');
    if (e.type === 'level' && level !== null) {
      charts.audio.push(e.pts, Math.max(-80, level));
      els.vAudio.textContent = `${level.toFixed(1)}`;
    } else if (e.type === 'silence') setFlag('silence', edgeOf(e.data) === 'start');
    else if (e.type === 'vad' || e.type === 'voice') {
      const on = edgeOf(e.data) === 'start';
      setFlag('voice', on);
      if (on) charts.audio.bandStart(e.pts);
      else charts.audio.bandEnd(e.pts);
    }
    return;
  }
  if (e.channel === 'temporal') renderTemporal(e);
  else if (e.channel === 'alerts') addAlert(e);
  else if (e.channel === 'text' || e.channel === 'transcript') renderText(e);
}

function startPicture(streamId: string): void {
  hls?.destroy();
  hls = null;
  const Hls = (globalThis as unknown as { Hls?: HlsStatic }).Hls;
  const url = `/hls/${encodeURIComponent(streamId)}/index.m3u8`;
  els.nopic.style.display = '';
  els.video.onplaying = () => {
    els.nopic.style.display = 'none';
  };
  if (Hls?.isSupported()) {
    const player = new Hls({ liveSyncDurationCount: 2, manifestLoadingMaxRetry: 30, manifestLoadingRetryDelay: 1000 });
    player.loadSource(url);
    player.attachMedia(els.video);
    hls = player;
  } else if (els.video.canPlayType('application/vnd.apple.mpegurl')) {
    els.video.src = url;
  } else {
    els.nopic.textContent = 'this browser cannot play HLS';
  }
  void els.video.play().catch(() => undefined);
}

function watch(streamId: string): void {
  connection?.close();
  flags.clear();
  renderBadges();
  history.replaceState(null, '', `?stream=${encodeURIComponent(streamId)}`);
  startPicture(streamId);
  connection = connectAnalysis({
    baseUrl: location.origin,
    streamId,
    onEvent,
    onStatus: (s) => {
      els.conn.textContent = s.reason ? `${s.state}: ${s.reason}` : s.state;
      els.dot.className = `dot ${s.state === 'open' ? 'open' : s.state === 'ended' || s.state === 'closed' ? 'bad' : ''}`;
      els.transport.textContent = s.transport === 'webtransport' ? 'WebTransport · HTTP/3' : s.transport === 'websocket' ? 'WebSocket' : '';
    },
  });
}

async function loadStreams(): Promise<void> {
  const res = await fetch('/api/streams');
  const streams = (await res.json()) as { id: string; state: string }[];
  const wanted = new URLSearchParams(location.search).get('stream');
  const current = els.stream.value || wanted;
  els.stream.replaceChildren(...streams.map((s) => {
    const o = document.createElement('option');
    o.value = s.id;
    o.textContent = `${s.id} (${s.state})`;
    return o;
  }));
  const pick = streams.find((s) => s.id === current) ?? streams.find((s) => s.state === 'live') ?? streams[0];
  if (pick && pick.id !== els.stream.dataset['watching']) {
    els.stream.value = pick.id;
    els.stream.dataset['watching'] = pick.id;
    watch(pick.id);
  } else if (pick) els.stream.value = pick.id;
}

els.stream.addEventListener('change', () => {
  els.stream.dataset['watching'] = els.stream.value;
  watch(els.stream.value);
});
function frame(): void {
  charts.motion.draw();
  charts.luma.draw();
  charts.audio.draw();
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);
renderBadges();
void loadStreams();
setInterval(() => void loadStreams(), 5000);
