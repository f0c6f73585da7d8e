import { H3, H3Error } from './errors.js';
import type { HeaderList } from './qpack.js';

/** An extended CONNECT for WebTransport (RFC 9220 §3, draft-ietf-webtrans-http3 §3.2). */
export interface ConnectRequest {
  authority: string;
  path: string;
  query: URLSearchParams;
  /** The client speaks draft-02 (header `sec-webtransport-http3-draft02: 1`). */
  draft02: boolean;
}

const PSEUDO = new Set([':method', ':scheme', ':authority', ':path', ':protocol']);

function malformed(message: string): never {
  // RFC 9114 §4.1.2: a malformed request is a stream error of type H3_MESSAGE_ERROR.
  throw new H3Error(H3.MESSAGE_ERROR, 'stream', message);
}

/**
 * Validates a request header section and returns it as a WebTransport CONNECT. Malformed
 * messages (RFC 9114 §4.1.2, §4.3.1) throw H3_MESSAGE_ERROR; well-formed requests this
 * server does not serve (other methods, other :protocol values) throw H3_REQUEST_REJECTED,
 * which tells the client no application processing happened (RFC 9114 §8.1).
 */
export function parseConnectRequest(headers: HeaderList): ConnectRequest {
  const pseudo = new Map<string, string>();
  let regularSeen = false;
  let draft02 = false;
  for (const [name, value] of headers) {
    if (name !== name.toLowerCase()) malformed(`uppercase field name ${name}`);
    if (name.startsWith(':')) {
      if (regularSeen) malformed(`pseudo-header ${name} after regular fields`);
      if (!PSEUDO.has(name)) malformed(`unknown pseudo-header ${name}`);
      if (pseudo.has(name)) malformed(`duplicate ${name}`);
      pseudo.set(name, value);
    } else {
      regularSeen = true;
      if (name === 'sec-webtransport-http3-draft02' && value === '1') draft02 = true;
    }
  }
  const method = pseudo.get(':method');
  if (method === undefined) malformed('missing :method');
  const protocol = pseudo.get(':protocol');
  if (protocol !== undefined && method !== 'CONNECT') malformed(':protocol on a non-CONNECT request');
  if (method !== 'CONNECT' || protocol === undefined) {
    throw new H3Error(H3.REQUEST_REJECTED, 'stream', `only extended CONNECT is served, got ${method}`);
  }
  const scheme = pseudo.get(':scheme');
  const authority = pseudo.get(':authority');
  const target = pseudo.get(':path');
  // RFC 9220 §3: an extended CONNECT carries :scheme, :path and :authority.
  if (scheme === undefined || authority === undefined || target === undefined || target === '') {
    malformed('extended CONNECT without :scheme, :authority or :path');
  }
  if (protocol !== 'webtransport') throw new H3Error(H3.REQUEST_REJECTED, 'stream', `unsupported :protocol ${protocol}`);
  if (scheme !== 'https') malformed(`WebTransport needs :scheme https, got ${scheme}`);
  // RFC 9114 §4.3.1: :path is origin-form here ("/" and a path, optionally a query).
  if (!target.startsWith('/') || target.startsWith('//')) malformed(`:path must be origin-form, got ${target.slice(0, 100)}`);
  let url: URL;
  try {
    url = new URL(target, 'https://host');
  } catch {
    malformed('unparseable :path');
  }
  return { authority, path: url.pathname, query: url.searchParams, draft02 };
}
