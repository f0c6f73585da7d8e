/**
 * The wire format as the browser sees it (docs/wire-format.md). Mirrors src/media/types.ts:
 * the browser build (tsconfig.web.json, rootDir web/src) cannot import from src/.
 */
export const CHANNELS = ['video', 'audio', 'transcript', 'text', 'temporal', 'alerts'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface WireEvent {
  readonly channel: Channel;
  readonly seq: number;
  readonly pts: number;
  readonly ts: number;
  readonly type: string;
  readonly data: unknown;
}

/** The error body the gateway sends before closing (same shape as its HTTP errors). */
export interface WireError {
  readonly error: { readonly code: string; readonly message: string };
}

export type SinceMap = Partial<Record<Channel, number>>;

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}

/** Checks the envelope strictly: a message that fails this is dropped and reported, never delivered. */
export function isWireEvent(value: unknown): value is WireEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return isChannel(v['channel']) && Number.isInteger(v['seq']) && typeof v['pts'] === 'number'
    && typeof v['ts'] === 'number' && typeof v['type'] === 'string' && 'data' in v;
}

export function isWireError(value: unknown): value is WireError {
  if (typeof value !== 'object' || value === null) return false;
  const e = (value as Record<string, unknown>)['error'];
  return typeof e === 'object' && e !== null && typeof (e as Record<string, unknown>)['code'] === 'string';
}

export function formatSince(since: SinceMap): string {
  return CHANNELS.filter((c) => since[c] !== undefined).map((c) => `${c}:${since[c]}`).join(',');
}
