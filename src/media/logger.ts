import { pino, type Logger as PinoLogger, type LoggerOptions } from 'pino';

/** The logger every component receives (pino's; components log objects with a `msg`). */
export type Logger = PinoLogger;

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino({ level: process.env['LOG_LEVEL'] ?? 'info', ...options });
}

/** A logger that drops everything (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
