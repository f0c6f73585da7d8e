/** Reading fields of an event's `data` (typed `unknown` on the wire) without trusting its shape. */

export function num(data: unknown, ...keys: string[]): number | null {
  if (typeof data !== 'object' || data === null) return null;
  for (const k of keys) {
    const v = (data as Record<string, unknown>)[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

export function str(data: unknown, key: string): string | null {
  const v = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : null;
}

/** Segment events (`black`, `frozen`, `silence`, `vad`, `clipping`) carry `state: 'start' | 'end'`. */
export function edgeOf(data: unknown): 'start' | 'end' | null {
  const v = str(data, 'state');
  return v === 'start' || v === 'end' ? v : null;
}
