import { webcrypto } from 'node:crypto';
import type { QUICServerCrypto } from '@matrixai/quic';

/**
 * The symmetric key and HMAC the QUIC server signs its retry/stateless tokens with
 * (QUICServer requires it); a fresh random key per server instance.
 */
export function serverTokenCrypto(): QUICServerCrypto {
  const key = webcrypto.getRandomValues(new Uint8Array(32)).buffer;
  const hmac = (k: ArrayBuffer) => webcrypto.subtle.importKey('raw', k, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  return {
    key,
    ops: {
      sign: async (k, data) => webcrypto.subtle.sign('HMAC', await hmac(k), data),
      verify: async (k, data, sig) => webcrypto.subtle.verify('HMAC', await hmac(k), sig, data),
    },
  };
}
