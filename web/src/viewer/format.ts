/** Numbers as a person reads them: fixed decimals, a real minus sign, units. */

const MINUS = '\u2212';

export function fixed(v: number, digits: number): string {
  const s = Math.abs(v).toFixed(digits);
  // -0.0 reads as 0.0
  return v < 0 && Number(s) !== 0 ? `${MINUS}${s}` : s;
}

export function dbfs(v: number): string {
  return v <= -120 ? `${MINUS}∞ dBFS` : `${fixed(v, 1)} dBFS`;
}

/** A duration in ms: "850 ms", "4.2 s", "3 min 05 s". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** Media time (pts, ms) as m:ss.s */
export function mediaTime(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  const m = Math.floor(s / 60);
  return `${m}:${(s - m * 60).toFixed(1).padStart(4, '0')}`;
}

export function clock(ts: number): string {
  return new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function percent(v: number): string {
  return `${Math.round(v * 100)} %`;
}
