import type { EventEmitter } from 'node:events';

/** Rejects with a message naming what was awaited when `ms` pass first. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves with the first `event` payload that satisfies `predicate`. */
export function waitForEvent<T>(
  emitter: EventEmitter,
  event: string,
  predicate: (payload: T) => boolean,
  ms: number,
  what = `event "${event}"`,
): Promise<T> {
  let listener: ((payload: T) => void) | undefined;
  const p = new Promise<T>((resolve) => {
    listener = (payload: T) => {
      if (predicate(payload)) resolve(payload);
    };
    emitter.on(event, listener);
  });
  return withTimeout(p, ms, what).finally(() => {
    if (listener) emitter.off(event, listener);
  });
}
