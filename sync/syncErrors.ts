import { type CodedError, defineErrors } from '../kernel/errors/defineErrors.ts';

/**
 * Coded errors of the sync engine (SYNC_ERR_...). Each code has a message
 * template, an HTTP status and a section in docs/errors.md saying how to
 * solve it; test/sync/syncErrors.unit.test.ts checks that every code is
 * documented there. They reach people through `GET /api/v1/sync`,
 * `nilecare sync status`, the dead-letter table and the logs.
 */
export const syncErrorCodes = {
  SYNC_ERR_KAFKA_UNREACHABLE: { status: 503, message: 'Kafka brokers %s could not be reached: %s' },
  SYNC_ERR_SEND_FAILED: { status: 503, message: 'Sending to Kafka failed (%s), retried after a backoff: %s' },
  SYNC_ERR_RECORD_REJECTED: {
    status: 422,
    message: 'Kafka refused event seq %s for good (%s): kept in the local dead-letter table',
  },
  SYNC_ERR_WATERMARK_AHEAD: {
    status: 500,
    message: 'The hub-acknowledged watermark may not pass an event Kafka has not acknowledged: %s',
  },
} as const;

export type SyncErrorCode = keyof typeof syncErrorCodes;

const syncErrors = defineErrors('SyncError', syncErrorCodes);
export const SyncError = syncErrors.Error;
export type SyncError = CodedError<SyncErrorCode>;
export const isSyncError = syncErrors.is;
