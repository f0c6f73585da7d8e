import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { generateSelfSigned, MAX_HASHED_CERT_VALIDITY_MS } from '../../../src/transport/webtransport/certificate.js';
import { startTestServer } from './helpers/server-fixture.js';
import { readAll, WtTestClient } from './helpers/wt-client.js';

const DAY = 24 * 3600 * 1000;

describe('self-signed certificates for serverCertificateHashes', () => {
  it('are ECDSA P-256, valid for at most 14 days, and hashed over their DER', async () => {
    const now = Date.UTC(2026, 10, 25);
    const cert = await generateSelfSigned(now, 30 * DAY);
    const parsed = new x509.X509Certificate(cert.certPem);
    expect(parsed.publicKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    expect(parsed.notAfter.getTime() - parsed.notBefore.getTime()).toBeLessThanOrEqual(MAX_HASHED_CERT_VALIDITY_MS);
    expect(parsed.notBefore.getTime()).toBeLessThanOrEqual(now);
    expect(await parsed.verify({ publicKey: parsed.publicKey, signatureOnly: true }, webcrypto as unknown as Crypto)).toBe(true);
    const digest = Buffer.from(await webcrypto.subtle.digest('SHA-256', parsed.rawData)).toString('base64');
    expect(cert.sha256).toBe(digest);
    expect(cert.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('rotate before expiry on the injected schedule; new connections get the new one, open sessions keep working', async () => {
    const scheduled: { fn: () => void; delayMs: number }[] = [];
    let rescheduled: () => void = () => undefined;
    const now = Date.now();
    const { server, sessions } = await startTestServer({
      certificateLifetime: {
        validityMs: 10 * DAY,
        renewBeforeExpiryMs: 3 * DAY,
        now: () => now,
        schedule: (fn, delayMs) => {
          scheduled.push({ fn, delayMs });
          rescheduled();
          return () => undefined;
        },
      },
    });
    const before = await WtTestClient.connect({ host: '127.0.0.1', port: server.port });
    const after: WtTestClient[] = [];
    try {
      // First renewal is due 3 days before notAfter (notBefore is 1 minute in the past).
      expect(scheduled).toHaveLength(1);
      expect(scheduled[0]!.delayMs).toBe(7 * DAY - 60_000);
      const [oldHash] = server.certificateHashes();
      expect(await before.serverCertificateSha256()).toBe(oldHash!.value);
      const oldSession = await before.openSession('localhost', '/ok/before');
      const serverOld = await sessions.next();

      // The timer fires: a new certificate, and the next renewal scheduled.
      const renewed = new Promise<void>((resolve) => (rescheduled = resolve));
      scheduled[0]!.fn();
      await renewed;
      const hashes = server.certificateHashes();
      expect(hashes).toHaveLength(2);
      expect(hashes[1]).toEqual(oldHash);
      expect(hashes[0]!.value).not.toBe(oldHash!.value);

      const fresh = await WtTestClient.connect({ host: '127.0.0.1', port: server.port });
      after.push(fresh);
      expect(await fresh.serverCertificateSha256()).toBe(hashes[0]!.value);
      await fresh.openSession('localhost', '/ok/after');

      // The session opened before the rotation is still alive.
      const stream = await serverOld.openUni();
      await stream.write(new TextEncoder().encode('still here'));
      await stream.close();
      expect(new TextDecoder().decode(await readAll(await oldSession.uniStreams.next()))).toBe('still here');
      expect(serverOld.closed).toBe(false);
    } finally {
      await Promise.all([before.close(), ...after.map((c) => c.close())]);
      await server.close();
    }
  });

  it('serve a given certificate (--tls-cert/--tls-key) as is, without rotation', async () => {
    const given = await generateSelfSigned(Date.now(), 5 * DAY);
    const { server } = await startTestServer({ certificate: { certPem: given.certPem, keyPem: given.keyPem } });
    const client = await WtTestClient.connect({ host: '127.0.0.1', port: server.port });
    try {
      expect(server.certificateHashes()).toEqual([{ algorithm: 'sha-256', value: given.sha256 }]);
      expect(await client.serverCertificateSha256()).toBe(given.sha256);
      await expect(server.rotateCertificate()).rejects.toThrow(/self-signed/);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
