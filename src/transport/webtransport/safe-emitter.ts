import { EventEmitter } from 'node:events';
import type { Logger } from '../../media/logger.js';

type EventMap = Record<string, unknown[]>;

// Typed listener signatures, merged into the class below.
export interface SafeEmitter<T extends EventMap> {
  on<E extends keyof T & string>(event: E, listener: (...args: T[E]) => void): this;
  once<E extends keyof T & string>(event: E, listener: (...args: T[E]) => void): this;
  off<E extends keyof T & string>(event: E, listener: (...args: T[E]) => void): this;
}

/**
 * An EventEmitter whose listener exceptions are logged instead of thrown into the protocol
 * code that emitted (one misbehaving listener must not tear down a connection).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class SafeEmitter<T extends EventMap> extends EventEmitter {
  constructor(protected readonly logger: Logger) {
    super();
  }

  protected safeEmit<E extends keyof T & string>(event: E, ...args: T[E]): void {
    for (const listener of this.listeners(event)) {
      try {
        (listener as (...a: T[E]) => void)(...args);
      } catch (err) {
        this.logger.error({ err, event }, 'WebTransport event listener threw');
      }
    }
  }
}
