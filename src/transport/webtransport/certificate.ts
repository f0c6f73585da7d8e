import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { CertificatePem } from './types.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** Browsers take a certificate by hash only if it is valid for at most 14 days (W3C WebTransport §6.4). */
export const MAX_HASHED_CERT_VALIDITY_MS = 14 * 24 * 3600 * 1000;

export interface ServerCertificate extends CertificatePem {
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the DER certificate, base64: the value for serverCertificateHashes. */
  sha256: string;
}

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}

async function sha256Base64(der: ArrayBuffer): Promise<string> {
  return Buffer.from(await webcrypto.subtle.digest('SHA-256', der)).toString('base64');
}

/**
 * A self-signed ECDSA P-256 certificate for `serverCertificateHashes`: WebCrypto makes
 * the key, @peculiar/x509 the certificate. Valid from `nowMs` - 1 minute for `validityMs`
 * (clamped to the browsers' 14-day limit), named for localhost and the loopback addresses.
 */
export async function generateSelfSigned(nowMs: number, validityMs: number, hostNames: readonly string[] = []): Promise<ServerCertificate> {
  const keys = await webcrypto.subtle.generateKey(ECDSA_P256, true, ['sign', 'verify']);
  const notBefore = new Date(nowMs - 60_000);
  const notAfter = new Date(notBefore.getTime() + Math.min(validityMs, MAX_HASHED_CERT_VALIDITY_MS));
  const names: x509.JsonGeneralName[] = [
    { type: 'dns', value: 'localhost' },
    { type: 'ip', value: '127.0.0.1' },
    { type: 'ip', value: '::1' },
    ...hostNames.map((h): x509.JsonGeneralName => (/^[\d.]+$|:/.test(h) ? { type: 'ip', value: h } : { type: 'dns', value: h })),
  ];
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1'),
    name: 'CN=MidStream WebTransport',
    notBefore,
    notAfter,
    signingAlgorithm: ECDSA_P256,
    keys: keys as unknown as CryptoKeyPair,
    extensions: [
      new x509.SubjectAlternativeNameExtension(names),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    certPem: cert.toString('pem'),
    keyPem: pem('PRIVATE KEY', pkcs8),
    notBefore,
    notAfter,
    sha256: await sha256Base64(cert.rawData),
  };
}

/** Reads validity and hash from a given PEM certificate (--tls-cert/--tls-key). */
export async function describeCertificate(given: CertificatePem): Promise<ServerCertificate> {
  const cert = new x509.X509Certificate(given.certPem);
  return { ...given, notBefore: cert.notBefore, notAfter: cert.notAfter, sha256: await sha256Base64(cert.rawData) };
}
