/**
 * Restart delays for a supervised process: exponential from `initialMs` up to `maxMs`,
 * starting afresh after a run that lasted `healthyMs` (a crash after a long healthy run is
 * not part of the same crash loop).
 */
export class RestartBackoff {
  private failures = 0;

  constructor(
    readonly initialMs: number,
    readonly maxMs: number,
    readonly healthyMs = 10_000,
  ) {}

  /** The delay before the next start, given how long the run that just ended lasted. */
  next(ranMs: number): number {
    this.failures = ranMs >= this.healthyMs ? 1 : this.failures + 1;
    return Math.min(this.maxMs, this.initialMs * 2 ** (this.failures - 1));
  }
}
