import { generateSelfSigned, type ServerCertificate } from './certificate.js';
import type { CertificateLifetime } from './types.js';

const DAY_MS = 24 * 3600 * 1000;

function defaultSchedule(fn: () => void, delayMs: number): () => void {
  // setTimeout caps at 2^31-1 ms (~24.8 days); our delays are days at most.
  const timer = setTimeout(fn, Math.min(delayMs, 2 ** 31 - 1));
  timer.unref();
  return () => clearTimeout(timer);
}

/**
 * Keeps a self-signed certificate fresh: makes one, and `renewBeforeExpiryMs` before it
 * expires makes the next and hands it to `onRenew` (the server gives it to new
 * connections; open ones keep theirs). The previous certificate is kept while it is still
 * valid so that a page holding its hash can still connect.
 */
export class CertificateRotator {
  private current: ServerCertificate | undefined;
  private previous: ServerCertificate | undefined;
  private cancel: (() => void) | undefined;
  private stopped = false;
  private readonly validityMs: number;
  private readonly renewBeforeMs: number;
  private readonly now: () => number;
  private readonly schedule: (fn: () => void, delayMs: number) => () => void;

  constructor(
    lifetime: CertificateLifetime,
    private readonly onRenew: (cert: ServerCertificate) => void,
    private readonly onError: (err: unknown) => void,
  ) {
    this.validityMs = lifetime.validityMs ?? 13 * DAY_MS;
    this.renewBeforeMs = Math.min(lifetime.renewBeforeExpiryMs ?? 6 * DAY_MS, this.validityMs / 2);
    this.now = lifetime.now ?? Date.now;
    this.schedule = lifetime.schedule ?? defaultSchedule;
  }

  async start(): Promise<ServerCertificate> {
    this.current = await generateSelfSigned(this.now(), this.validityMs);
    this.scheduleNext();
    return this.current;
  }

  /** Makes the next certificate now (also what the timer does). */
  async rotate(): Promise<ServerCertificate> {
    const next = await generateSelfSigned(this.now(), this.validityMs);
    if (this.stopped) return next;
    this.previous = this.current;
    this.current = next;
    this.onRenew(next);
    this.scheduleNext();
    return next;
  }

  /** Certificates a client may be presented or may hold a hash of, newest first. */
  valid(): ServerCertificate[] {
    const now = this.now();
    return [this.current, this.previous].filter((c): c is ServerCertificate => c !== undefined && c.notAfter.getTime() > now);
  }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
  }

  private scheduleNext(): void {
    this.cancel?.();
    if (!this.current) return;
    const delay = Math.max(0, this.current.notAfter.getTime() - this.renewBeforeMs - this.now());
    this.cancel = this.schedule(() => {
      this.rotate().catch(this.onError);
    }, delay);
  }
}
