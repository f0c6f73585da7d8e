/** The side panels: alerts, temporal dynamics, redacted text. Each owns its element. */
import type { WireEvent } from '../client/index.js';
import { num, str } from './data.js';
import { clock, fixed, mediaTime, percent } from './format.js';

const MAX_ALERTS = 200;

export class AlertsPanel {
  private count = 0;

  constructor(private readonly list: HTMLOListElement, private readonly counter: HTMLElement, private readonly empty: HTMLElement) {}

  add(e: WireEvent): void {
    this.count += 1;
    this.counter.textContent = String(this.count);
    this.empty.hidden = true;
    const severity = str(e.data, 'severity') ?? 'info';
    const li = document.createElement('li');
    li.className = `sev-${severity}`;
    const head = document.createElement('div');
    head.className = 'when';
    const sev = document.createElement('span');
    sev.className = 'sev';
    sev.textContent = severity;
    const time = document.createElement('time');
    time.dateTime = new Date(e.ts).toISOString();
    time.textContent = clock(e.ts);
    head.append(sev, ' ', time, ` · at ${mediaTime(e.pts)} · ${str(e.data, 'source') ?? e.channel}`);
    const body = document.createElement('div');
    body.className = 'msg';
    body.textContent = str(e.data, 'message') ?? `${e.type} ${JSON.stringify(e.data)}`;
    li.append(head, body);
    this.list.prepend(li);
    while (this.list.children.length > MAX_ALERTS) this.list.lastElementChild?.remove();
  }

  reset(): void {
    this.count = 0;
    this.counter.textContent = '';
    this.list.replaceChildren();
    this.empty.hidden = false;
  }
}

const CLASS_HELP: Record<string, string> = {
  fixed: 'settles to a constant',
  periodic: 'repeats with one period',
  quasiperiodic: 'several incommensurate rhythms',
  chaotic: 'deterministic, but nearby states diverge (λ > 0)',
  stochastic: 'noise-like: no deterministic structure found',
};

export class TemporalPanel {
  constructor(private readonly root: HTMLElement, private readonly empty: HTMLElement) {}

  show(e: WireEvent): void {
    const series = str(e.data, 'series') ?? 'series';
    let cell = [...this.root.querySelectorAll<HTMLElement>('.tcell')].find((c) => c.dataset['series'] === series);
    if (!cell) {
      this.empty.hidden = true;
      cell = document.createElement('div');
      cell.className = 'tcell';
      cell.dataset['series'] = series;
      this.root.append(cell);
    }
    const cls = str(e.data, 'class') ?? 'unknown';
    const lambda = num(e.data, 'lambda');
    const conf = num(e.data, 'confidence');
    const period = num(e.data, 'period');
    const name = document.createElement('div');
    name.className = 'series';
    name.textContent = series;
    const c = document.createElement('div');
    c.className = `cls ${cls}`;
    c.textContent = cls;
    c.title = CLASS_HELP[cls] ?? '';
    const help = document.createElement('div');
    help.className = 'help';
    help.textContent = CLASS_HELP[cls] ?? '';
    const d = document.createElement('div');
    d.className = 'mono figures';
    const parts = [`λ ${lambda === null ? '–' : `${fixed(lambda, 2)} /s`}`];
    if (period !== null) parts.push(`period ${fixed(period, 2)} s`);
    if (conf !== null) parts.push(`confidence ${percent(conf)}`);
    d.textContent = parts.join(' · ');
    cell.replaceChildren(name, c, help, d);
  }

  reset(): void {
    for (const c of this.root.querySelectorAll('.tcell')) c.remove();
    this.empty.hidden = false;
  }
}

export class TextPanel {
  private readonly items = new Map<string, HTMLElement>();

  constructor(private readonly root: HTMLElement, private readonly empty: HTMLElement) {}

  /** `redacted` output: appended to its item; [TYPE] placeholders become chips. */
  add(e: WireEvent): void {
    const item = str(e.data, 'itemId') ?? 'item';
    const chunk = str(e.data, 'output') ?? str(e.data, 'text');
    if (chunk === null || e.type !== 'redacted') return;
    this.empty.hidden = true;
    let el = this.items.get(item);
    if (!el) {
      el = document.createElement('p');
      const source = str(e.data, 'source');
      if (source) el.dataset['source'] = source;
      this.items.set(item, el);
      this.root.append(el);
    }
    for (const part of chunk.split(/(\[[A-Z_]+\])/)) {
      if (part === '') continue;
      if (/^\[[A-Z_]+\]$/.test(part)) {
        const span = document.createElement('span');
        span.className = 'redacted';
        span.textContent = part.slice(1, -1);
        span.title = `redacted: ${part.slice(1, -1)}`;
        el.append(span);
      } else el.append(document.createTextNode(part));
    }
    this.root.scrollTop = this.root.scrollHeight;
  }

  reset(): void {
    this.items.clear();
    for (const p of this.root.querySelectorAll('p')) p.remove();
    this.empty.hidden = false;
  }
}
