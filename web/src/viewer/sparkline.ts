export interface SparklineOptions {
  readonly color: string;
  /**
   * Fixed scale; when absent the scale follows the data in view, up to a little above its
   * 95th percentile, so a single spike (a cut) does not flatten everything else: it is clipped.
   */
  readonly min?: number;
  readonly max?: number;
  readonly windowMs?: number;
  /** Colours of shaded spans by kind (e.g. `voice`, `silence`, `black`). */
  readonly bands?: Readonly<Record<string, string>>;
  /** How the scale's ends are labelled (default: the number). */
  formatAxis?(v: number): string;
}

interface Band { readonly kind: string; readonly from: number; to: number | null }

/** A scrolling time-series chart on a canvas: the last `windowMs` of media time, newest on the right. */
export class Sparkline {
  private readonly points: { t: number; v: number }[] = [];
  private readonly bands: Band[] = [];
  private readonly ctx: CanvasRenderingContext2D | null;
  private dirty = true;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly opts: SparklineOptions) {
    this.ctx = canvas.getContext('2d');
  }

  private get windowMs(): number {
    return this.opts.windowMs ?? 20_000;
  }

  push(t: number, v: number): void {
    this.points.push({ t, v });
    const horizon = t - this.windowMs;
    while ((this.points[0]?.t ?? Infinity) < horizon) this.points.shift();
    while (this.bands.length > 0 && (this.bands[0]?.to ?? Infinity) < horizon) this.bands.shift();
    this.dirty = true;
  }

  /** Starts a shaded span of `kind` at media time `t` (ignored if one is open). */
  bandStart(kind: string, t: number): void {
    if (this.bands.some((b) => b.kind === kind && b.to === null)) return;
    this.bands.push({ kind, from: t, to: null });
    this.dirty = true;
  }

  bandEnd(kind: string, t: number, startT?: number): void {
    const open = this.bands.find((b) => b.kind === kind && b.to === null);
    if (open) open.to = t;
    else if (startT !== undefined) this.bands.push({ kind, from: startT, to: t }); // joined mid-span
    this.dirty = true;
  }

  reset(): void {
    this.points.length = 0;
    this.bands.length = 0;
    this.dirty = true;
  }

  /** Redraws when something changed or the canvas was resized. */
  draw(): void {
    const { canvas, ctx } = this;
    if (!ctx) return;
    const dpr = globalThis.devicePixelRatio || 1;
    const w = Math.round(canvas.clientWidth * dpr);
    const h = Math.round(canvas.clientHeight * dpr);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
      this.dirty = true;
    }
    if (!this.dirty || w === 0 || h === 0) return;
    this.dirty = false;
    ctx.clearRect(0, 0, w, h);
    const last = this.points[this.points.length - 1];
    if (!last) return;
    const t0 = last.t - this.windowMs;
    const sorted = this.points.map((p) => p.v).sort((a, b) => a - b);
    const lo = sorted[0] ?? 0;
    const p95 = sorted[Math.floor(0.95 * (sorted.length - 1))] ?? lo;
    const min = this.opts.min ?? lo;
    const max = this.opts.max ?? niceCeil(Math.max(p95 * 1.25, min + 1e-9));
    const pad = 3 * dpr;
    const x = (t: number) => ((t - t0) / this.windowMs) * w;
    const y = (v: number) => h - pad - ((Math.min(max, Math.max(min, v)) - min) / (max - min || 1)) * (h - 2 * pad);
    for (const b of this.bands) {
      const color = this.opts.bands?.[b.kind];
      if (!color) continue;
      ctx.fillStyle = color;
      const from = Math.max(0, x(b.from));
      ctx.fillRect(from, 0, Math.max(dpr, x(b.to ?? last.t) - from), h);
    }
    ctx.strokeStyle = 'rgba(139,148,158,.25)';
    ctx.lineWidth = dpr;
    ctx.beginPath();
    for (const v of [min, max]) {
      ctx.moveTo(0, Math.round(y(v)) + 0.5);
      ctx.lineTo(w, Math.round(y(v)) + 0.5);
    }
    ctx.stroke();
    ctx.strokeStyle = this.opts.color;
    ctx.lineWidth = 1.5 * dpr;
    ctx.lineJoin = 'round';
    ctx.beginPath();
    this.points.forEach((p, i) => (i === 0 ? ctx.moveTo(x(p.t), y(p.v)) : ctx.lineTo(x(p.t), y(p.v))));
    ctx.stroke();
    // scale labels at the left edge, over the oldest (least interesting) data
    const fmt = this.opts.formatAxis ?? ((v: number) => String(v));
    ctx.fillStyle = 'rgba(201,209,217,.75)';
    ctx.font = `${10 * dpr}px ui-monospace, "DejaVu Sans Mono", monospace`;
    ctx.textBaseline = 'top';
    ctx.fillText(fmt(max), 2 * dpr, pad);
    ctx.textBaseline = 'bottom';
    ctx.fillText(fmt(min), 2 * dpr, h - pad);
  }
}

/** 1, 2, 5 × 10^n at or above v: a scale that does not jitter with every new maximum. */
function niceCeil(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
