import type { RejectionCode } from '../errors.ts';

/**
 * Thrown by a handler when a record is sound but something it depends on is
 * not there yet (the ingest guard has not verified the event). The runner
 * tries it again with the usual backoff without spending the record's tries,
 * for up to `notReadyTimeoutMs` from the first try; then the record is
 * dead-lettered with `code`. The partition waits meanwhile: later records of
 * one patient stay behind the one they may depend on.
 */
export class NotReadyError extends Error {
  readonly code: RejectionCode;
  constructor(code: RejectionCode, message: string) {
    super(message);
    this.name = 'NotReadyError';
    this.code = code;
  }
}

export function isNotReady(error: unknown): error is NotReadyError {
  return error instanceof NotReadyError;
}
