/** A scrolling time-series chart on a canvas: the last `windowMs` of media time. */
export class Sparkline {
  private readonly points: { t: number; v: number }[] = [];
  private readonly bands: { from: number; to: number | null }[] = [];
  private readonly ctx: CanvasRenderingContext2D | null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly opts: { color: string; min?: number; max?: number; windowMs?: number; bandColor?: string },
  ) {
    this.ctx = canvas.getContext('2d');
  }

  push(t: number, v: number): void {
    this.points.push({ t, v });
    const horizon = t - (this.opts.windowMs ?? 20_000);
    while ((this.points[0]?.t ?? Infinity) < horizon) this.points.shift();
    while (this.bands.length > 0 && (this.bands[0]?.to ?? Infinity) < horizon) this.bands.shift();
  }

  /** Shaded spans (e.g. voice activity). */
  bandStart(t: number): void {
    this.bands.push({ from: t, to: null });
  }

  bandEnd(t: number): void {
    const open = this.bands.find((b) => b.to === null);
    if (open) open.to = t;
  }

  draw(): void {
    const { canvas, ctx } = this;
    if (!ctx) return;
    const dpr = globalThis.devicePixelRatio || 1;
    const w = canvas.clientWidth * dpr;
    const h = canvas.clientHeight * dpr;
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    ctx.clearRect(0, 0, w, h);
    const last = this.points[this.points.length - 1];
    if (!last) return;
    const windowMs = this.opts.windowMs ?? 20_000;
    const t0 = last.t - windowMs;
    const values = this.points.map((p) => p.v);
    const min = this.opts.min ?? Math.min(...values);
    const max = this.opts.max ?? Math.max(...values, min + 1e-9);
    const x = (t: number) => ((t - t0) / windowMs) * w;
    const y = (v: number) => h - ((Math.min(max, Math.max(min, v)) - min) / (max - min || 1)) * (h - 4 * dpr) - 2 * dpr;
    if (this.opts.bandColor) {
      ctx.fillStyle = this.opts.bandColor;
      for (const b of this.bands) ctx.fillRect(x(b.from), 0, x(b.to ?? last.t) - x(b.from), h);
    }
    ctx.strokeStyle = 'rgba(139,148,158,.25)';
    ctx.lineWidth = dpr;
    ctx.beginPath();
    ctx.moveTo(0, h - dpr);
    ctx.lineTo(w, h - dpr);
    ctx.stroke();
    ctx.strokeStyle = this.opts.color;
    ctx.lineWidth = 1.5 * dpr;
    ctx.beginPath();
    this.points.forEach((p, i) => (i === 0 ? ctx.moveTo(x(p.t), y(p.v)) : ctx.lineTo(x(p.t), y(p.v))));
    ctx.stroke();
  }
}
