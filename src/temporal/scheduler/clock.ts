/** A source of time in milliseconds. Injected, so tests drive time themselves. */
export interface Clock {
  now(): number;
}

/** performance.now(): monotonic, in the browser and in Node.js alike. */
export const monotonicClock: Clock = { now: () => performance.now() };

/**
 * A clock that moves only when told to: tests build a load whose tasks "take" exactly the
 * time they advance, and check deadline behaviour without real timing.
 */
export class ManualClock implements Clock {
  private t: number;

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`time moves forward only, got ${ms}`);
    this.t += ms;
  }

  set(ms: number): void {
    if (!(ms >= this.t)) throw new RangeError(`time moves forward only: ${ms} < ${this.t}`);
    this.t = ms;
  }
}
