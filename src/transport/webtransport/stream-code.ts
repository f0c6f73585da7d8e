import { H3 } from './errors.js';

/**
 * The reason we pass to QUICStream cancel/abort, carrying the HTTP/3 error code to put in
 * RESET_STREAM / STOP_SENDING; the server's reasonToCode reads it back.
 */
export class StreamCode {
  constructor(readonly code: number) {}
}

export function reasonToCode(_type: 'read' | 'write', reason?: unknown): number {
  if (reason instanceof StreamCode) return reason.code;
  // The library's own reasons (connection stopping, errors): the request was cancelled.
  return reason === undefined ? H3.NO_ERROR : H3.REQUEST_CANCELLED;
}

export function codeToReason(_type: 'read' | 'write', code: number): StreamCode {
  return new StreamCode(code);
}
