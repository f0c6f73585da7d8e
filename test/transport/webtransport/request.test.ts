import { describe, expect, it } from 'vitest';
import { H3 } from '../../../src/transport/webtransport/errors.js';
import { parseConnectRequest } from '../../../src/transport/webtransport/request.js';

type H = [string, string][];
const base: H = [
  [':method', 'CONNECT'],
  [':protocol', 'webtransport'],
  [':scheme', 'https'],
  [':authority', 'example.test:4433'],
  [':path', '/streams/cam1/analysis?since=text:3,alerts:1'],
  ['sec-webtransport-http3-draft02', '1'],
];
const without = (name: string): H => base.filter(([n]) => n !== name);
const replace = (name: string, value: string): H => base.map(([n, v]): [string, string] => [n, n === name ? value : v]);
const code = (headers: H): number | null => {
  try {
    parseConnectRequest(headers);
    return null;
  } catch (e) {
    return (e as { code: number }).code;
  }
};

describe('extended CONNECT validation (RFC 9220 §3, RFC 9114 §4)', () => {
  it('returns path, query, authority and the draft-02 marker', () => {
    const req = parseConnectRequest(base);
    expect(req.path).toBe('/streams/cam1/analysis');
    expect(req.query.get('since')).toBe('text:3,alerts:1');
    expect(req.authority).toBe('example.test:4433');
    expect(req.draft02).toBe(true);
    expect(parseConnectRequest(without('sec-webtransport-http3-draft02')).draft02).toBe(false);
  });

  it.each([
    ['no :method', without(':method')],
    ['no :scheme', without(':scheme')],
    ['no :authority', without(':authority')],
    ['no :path', without(':path')],
    ['an empty :path', replace(':path', '')],
    ['an absolute-form :path', replace(':path', 'https://elsewhere/x')],
    ['a network-path :path', replace(':path', '//elsewhere/x')],
    ['scheme http', replace(':scheme', 'http')],
    ['a duplicate pseudo-header', [...base.slice(0, 1), ...base]],
    ['an unknown pseudo-header', [[':unknown', 'x'], ...base] as H],
    ['a pseudo-header after a regular field', [...base, [':status', '200']] as H],
    ['an uppercase field name', [...base, ['Origin', 'x']] as H],
    [':protocol on GET', replace(':method', 'GET')],
  ])('%s is H3_MESSAGE_ERROR', (_name, headers) => {
    expect(code(headers)).toBe(H3.MESSAGE_ERROR);
  });

  it.each([
    ['another :protocol', replace(':protocol', 'connect-udp')],
    ['a plain GET', [[':method', 'GET'], [':scheme', 'https'], [':authority', 'a'], [':path', '/']] as H],
    ['classic CONNECT', [[':method', 'CONNECT'], [':authority', 'a:443']] as H],
  ])('%s is H3_REQUEST_REJECTED', (_name, headers) => {
    expect(code(headers)).toBe(H3.REQUEST_REJECTED);
  });
});
