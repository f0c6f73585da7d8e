import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../../src/media/logger.js';
import { waitForEvent } from './wait.js';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A real pino logger whose lines a test can read and wait for. */
export class LogCapture extends EventEmitter {
  readonly lines: LogLine[] = [];
  readonly logger: Logger;

  constructor(level = 'debug') {
    super();
    const sink = new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        for (const text of chunk.toString().split('\n')) {
          if (text.trim() === '') continue;
          const line = JSON.parse(text) as LogLine;
          this.lines.push(line);
          this.emit('line', line);
        }
        cb();
      },
    });
    this.logger = pino({ level }, sink);
  }

  find(predicate: (line: LogLine) => boolean): LogLine | undefined {
    return this.lines.find(predicate);
  }

  /** Waits for a line (already logged or still to come). */
  async waitFor(predicate: (line: LogLine) => boolean, ms: number, what: string): Promise<LogLine> {
    const seen = this.find(predicate);
    if (seen) return seen;
    return waitForEvent<LogLine>(this, 'line', predicate, ms, what);
  }
}
