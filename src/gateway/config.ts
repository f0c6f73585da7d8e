import { randomBytes } from 'node:crypto';
import type { RealtimeConfig } from '../realtime/config.js';

export interface GatewayConfig {
  host: string;
  httpPort: number;
  rtmpPort: number;
  /** WebTransport (HTTP/3 over QUIC, UDP) port. */
  wtPort: number;
  /** Keys any of which may publish any stream id. */
  publishKeys: string[];
  /** Bearer token for admin routes (DELETE /api/streams/:id). */
  adminToken: string;
  dataDir: string;
  demo: boolean;
  tlsCert?: string;
  tlsKey?: string;
  /** HLS streams to pull from the start (`--pull id=url`). */
  pulls?: { id: string; url: string }[];
  /** OpenAI Realtime transcription of every stream's audio; off when absent (no OPENAI_API_KEY). */
  realtime?: RealtimeConfig;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  httpPort: 8080,
  rtmpPort: 1935,
  wtPort: 4433,
  dataDir: './data',
} as const;

/** A random URL-safe secret (publish keys, admin tokens). */
export function generateSecret(bytes = 18): string {
  return randomBytes(bytes).toString('base64url');
}

/** Constant-time-ish comparison of secrets, so timing does not reveal a prefix. */
export function secretEquals(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
