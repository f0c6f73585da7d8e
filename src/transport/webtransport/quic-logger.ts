import MatrixLogger, { Handler, LogLevel } from '@matrixai/logger';
import type { Logger } from '../../media/logger.js';

/** Forwards @matrixai/quic's log lines to our pino logger at debug level (they are chatty). */
class PinoHandler extends Handler {
  constructor(private readonly logger: Logger) {
    super();
  }
  emit(output: string): void {
    this.logger.debug({ component: 'quic' }, output);
  }
}

/** The logger @matrixai/quic objects get: silent unless our logger wants debug. */
export function quicLogger(logger: Logger, name: string): MatrixLogger {
  const level = logger.isLevelEnabled('debug') ? LogLevel.DEBUG : LogLevel.SILENT;
  return new MatrixLogger(name, level, [new PinoHandler(logger)]);
}
