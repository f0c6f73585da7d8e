/**
 * The error catalogue: every error a user can see has a stable code, an HTTP status
 * and a message that says what happened (fastify's lib/errors.js is the model).
 */
export const ERROR_CATALOGUE = {
  NOT_FOUND: { status: 404, message: 'not found' },
  STREAM_NOT_FOUND: { status: 404, message: 'no such stream' },
  STREAM_EXISTS: { status: 409, message: 'a stream with this id is already running' },
  UNAUTHORIZED: { status: 401, message: 'missing or invalid credentials' },
  FORBIDDEN: { status: 403, message: 'not allowed' },
  BAD_REQUEST: { status: 400, message: 'bad request' },
  PUBLISH_KEY_INVALID: { status: 403, message: 'wrong or missing publish key' },
  PROTOCOL_ERROR: { status: 400, message: 'malformed protocol data' },
  DECODER_FAILED: { status: 500, message: 'decoder failed' },
  SYSTEM_DEPENDENCY_MISSING: { status: 500, message: 'a required program is missing' },
  INVALID_INPUT: { status: 400, message: 'invalid input' },
  OVERLOADED: { status: 503, message: 'overloaded' },
  INTERNAL: { status: 500, message: 'internal error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export class MidstreamError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? ERROR_CATALOGUE[code].message, options);
    this.name = 'MidstreamError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
  }

  toJSON(): { error: { code: ErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
