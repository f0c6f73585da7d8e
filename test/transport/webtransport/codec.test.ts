import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CapsuleReader, CapsuleType, decodeCloseSession, encodeCloseSession } from '../../../src/transport/webtransport/capsule.js';
import { decodeDatagram, encodeDatagram } from '../../../src/transport/webtransport/datagram.js';
import { H3, H3Error, http3CodeToWebTransport, webTransportCodeToHttp3 } from '../../../src/transport/webtransport/errors.js';
import { FrameReader, FrameType, decodeGoaway, encodeFrame, encodeGoaway } from '../../../src/transport/webtransport/frames.js';
import { SettingId, decodeSettings, encodeSettings, serverSettings } from '../../../src/transport/webtransport/settings.js';
import { encodeVarint, readVarint } from '../../../src/transport/webtransport/varint.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('QUIC varints (RFC 9000 §16, Appendix A.1 examples)', () => {
  it.each([
    // RFC 9000 A.1's 151288809941952652 is above 2^53; as a double it is this value.
    ['c2197c5eff14e88c', Number(151288809941952652n)],
    ['9d7f3e7d', 494878333],
    ['7bbd', 15293],
    ['25', 37],
    ['4025', 37], // non-minimal encodings are valid
  ])('decodes %s as %d', (bytes, value) => {
    expect(readVarint(hex(bytes))).toEqual({ value, length: bytes.length / 2 });
  });

  it('encodes in the shortest form', () => {
    expect(toHex(encodeVarint(37))).toBe('25');
    expect(toHex(encodeVarint(15293))).toBe('7bbd');
    expect(toHex(encodeVarint(494878333))).toBe('9d7f3e7d');
    expect(toHex(encodeVarint(2 ** 40 + 5))).toBe('c000010000000005');
  });

  it('reports truncation instead of guessing', () => {
    expect(readVarint(hex('9d7f3e'))).toBeNull();
    expect(readVarint(hex('c2197c5eff14e8'))).toBeNull();
    expect(readVarint(new Uint8Array(0))).toBeNull();
  });

  it('rejects values it cannot encode', () => {
    expect(() => encodeVarint(-1)).toThrow(RangeError);
    expect(() => encodeVarint(2 ** 62)).toThrow(RangeError);
    expect(() => encodeVarint(1.5)).toThrow(RangeError);
  });

  it('round-trips every safe integer below 2^53', () => {
    fc.assert(fc.property(fc.maxSafeNat(), (n) => readVarint(encodeVarint(n))?.value === n));
  });
});

describe('HTTP/3 frames (RFC 9114 §7)', () => {
  it('encodes type, length, payload', () => {
    expect(toHex(encodeFrame(FrameType.HEADERS, hex('0000d9')))).toBe('01030000d9');
    expect(toHex(encodeGoaway(8))).toBe('070108');
  });

  it('splits frames across arbitrary chunk boundaries', () => {
    const bytes = new Uint8Array([...encodeFrame(FrameType.HEADERS, hex('aabbcc')), ...encodeFrame(FrameType.DATA, hex('01'))]);
    const reader = new FrameReader(1024, () => false);
    const frames = [...bytes].flatMap((b) => reader.push(Uint8Array.of(b)));
    expect(frames.map((f) => [f.type, toHex(f.payload)])).toEqual([[1, 'aabbcc'], [0, '01']]);
    expect(reader.buffered).toBe(0);
  });

  it('skips frames of ignored types without buffering them, whatever their size', () => {
    const reserved = 0x1f * 7 + 0x21; // RFC 9114 §7.2.8 reserved type
    const big = encodeFrame(reserved, new Uint8Array(100_000));
    const reader = new FrameReader(16, (t) => t === reserved);
    expect(reader.push(big.subarray(0, 50_000))).toEqual([]);
    expect(reader.buffered).toBe(0);
    const rest = reader.push(new Uint8Array([...big.subarray(50_000), ...encodeFrame(FrameType.DATA, hex('07'))]));
    expect(rest.map((f) => toHex(f.payload))).toEqual(['07']);
  });

  it('refuses to buffer a frame larger than its limit (H3_EXCESSIVE_LOAD)', () => {
    const reader = new FrameReader(16, () => false);
    const err = (() => {
      try {
        reader.push(encodeFrame(FrameType.HEADERS, new Uint8Array(17)).subarray(0, 3));
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(H3Error);
    expect((err as H3Error).code).toBe(H3.EXCESSIVE_LOAD);
  });

  it('GOAWAY must be exactly one varint (H3_FRAME_ERROR)', () => {
    expect(decodeGoaway(hex('4010'))).toBe(16);
    expect(() => decodeGoaway(hex('0401'))).toThrow(expect.objectContaining({ code: H3.FRAME_ERROR }));
    expect(() => decodeGoaway(hex('40'))).toThrow(expect.objectContaining({ code: H3.FRAME_ERROR }));
  });
});

describe('SETTINGS (RFC 9114 §7.2.4)', () => {
  it('advertises draft-02 and current WebTransport, datagrams, extended CONNECT and no dynamic table', () => {
    const frame = encodeSettings(serverSettings({ maxSessions: 16, maxFieldSectionSize: 16384 }));
    const reader = new FrameReader(1024, () => false);
    const [f] = reader.push(frame);
    expect(f?.type).toBe(FrameType.SETTINGS);
    const s = decodeSettings(f!.payload);
    expect(s.get(SettingId.ENABLE_WEBTRANSPORT_DRAFT02)).toBe(1);
    expect(s.get(SettingId.WEBTRANSPORT_MAX_SESSIONS)).toBe(16);
    expect(s.get(SettingId.H3_DATAGRAM)).toBe(1);
    expect(s.get(SettingId.H3_DATAGRAM_DRAFT04)).toBe(1);
    expect(s.get(SettingId.ENABLE_CONNECT_PROTOCOL)).toBe(1);
    expect(s.get(SettingId.QPACK_MAX_TABLE_CAPACITY)).toBe(0);
    // 0x2b603742 is a 4-byte varint: 0b10 length bits, so its first byte is 0xab.
    expect(toHex(frame)).toContain('ab60374201');
  });

  it('keeps unknown (GREASE) identifiers and rejects HTTP/2 ones and duplicates', () => {
    expect(decodeSettings(hex('2101')).get(0x21)).toBe(1);
    expect(() => decodeSettings(hex('0201'))).toThrow(expect.objectContaining({ code: H3.SETTINGS_ERROR }));
    expect(() => decodeSettings(hex('06010602'))).toThrow(expect.objectContaining({ code: H3.SETTINGS_ERROR }));
  });

  it('treats a truncated varint in the payload as H3_FRAME_ERROR', () => {
    expect(() => decodeSettings(hex('0640'))).toThrow(expect.objectContaining({ code: H3.FRAME_ERROR }));
    expect(() => decodeSettings(hex('06'))).toThrow(expect.objectContaining({ code: H3.FRAME_ERROR }));
  });
});

describe('capsules and datagrams (RFC 9297, draft-ietf-webtrans-http3)', () => {
  it('encodes CLOSE_WEBTRANSPORT_SESSION as type 0x2843, 32-bit code, UTF-8 reason', () => {
    expect(toHex(encodeCloseSession(0x0102, 'ok'))).toBe('6843' + '06' + '00000102' + '6f6b');
    const [c] = new CapsuleReader(4096).push(encodeCloseSession(7, 'bye'));
    expect(c?.type).toBe(CapsuleType.CLOSE_WEBTRANSPORT_SESSION);
    expect(decodeCloseSession(c!.value)).toEqual({ code: 7, reason: 'bye' });
  });

  it('truncates the reason to 1024 bytes without splitting a character', () => {
    const [c] = new CapsuleReader(4096).push(encodeCloseSession(1, 'é'.repeat(600)));
    const { reason } = decodeCloseSession(c!.value);
    expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(1024);
    expect(reason).toBe('é'.repeat(512));
  });

  it('rejects a close capsule shorter than its error code', () => {
    expect(() => decodeCloseSession(hex('0001'))).toThrow(expect.objectContaining({ code: H3.MESSAGE_ERROR }));
  });

  it('prefixes datagrams with the quarter stream id', () => {
    expect(toHex(encodeDatagram(0, hex('aa')))).toBe('00aa');
    expect(toHex(encodeDatagram(400, hex('aa')))).toBe('4064aa');
    expect(decodeDatagram(hex('4064aa'))).toEqual({ sessionId: 400, payload: hex('aa') });
    expect(decodeDatagram(hex('40'))).toBeNull();
  });

  it('maps WebTransport error codes into the HTTP/3 space and back, skipping GREASE codepoints', () => {
    expect(webTransportCodeToHttp3(0)).toBe(0x52e4a40fa8db);
    expect(webTransportCodeToHttp3(0x1d)).toBe(0x52e4a40fa8db + 0x1d);
    expect(webTransportCodeToHttp3(0x1e)).toBe(0x52e4a40fa8db + 0x1e + 1);
    for (const code of [0, 1, 29, 30, 31, 1000, 0xffffffff]) {
      const h3 = webTransportCodeToHttp3(code);
      expect((h3 - 0x21) % 0x1f).not.toBe(0);
      expect(http3CodeToWebTransport(h3)).toBe(code);
    }
    expect(webTransportCodeToHttp3(0xffffffff)).toBe(0x52e5ac983162);
  });
});
