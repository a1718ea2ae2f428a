import type { Logger } from 'pino';
import type { SendFailure } from './sendErrors.ts';
import { SyncError } from './syncErrors.ts';
import type { SyncStore } from './syncStore.ts';
import type { SqliteDatabase } from '../gateway/pluginApi.ts';

export interface LinkStateDeps {
  db: SqliteDatabase;
  store: SyncStore;
  logger: Logger;
  /** ISO time from the gateway clock. */
  now: () => string;
  brokers: readonly string[];
}

/**
 * Whether the engine holds a working link to Kafka, as the state table,
 * the API and the logs say it: one log line per change, the last error with
 * its SYNC_ERR code each time a connection or a send fails.
 */
export function createLinkState({ db, store, logger, now, brokers }: LinkStateDeps) {
  let connected = false;

  function message(
    code: 'SYNC_ERR_KAFKA_UNREACHABLE' | 'SYNC_ERR_SEND_FAILED',
    failure: SendFailure,
  ): string {
    const detail = `${failure.code}: ${failure.message}`;
    return code === 'SYNC_ERR_KAFKA_UNREACHABLE'
      ? new SyncError(code, [brokers.join(','), detail]).message
      : new SyncError(code, [failure.code, failure.message]).message;
  }

  function set(
    up: boolean,
    failure?: { code: 'SYNC_ERR_KAFKA_UNREACHABLE' | 'SYNC_ERR_SEND_FAILED'; failure: SendFailure },
  ) {
    const at = now();
    const changed = up !== connected;
    connected = up;
    if (changed && up) logger.info({ event: 'sync_connected', brokers }, 'connected to Kafka');
    if (changed && !up)
      logger.warn(
        { event: 'sync_disconnected', code: failure?.failure.code },
        'Kafka unreachable; will retry',
      );
    if (!db.open) return;
    store.updateState({
      connected: up,
      heartbeatAt: at,
      ...(changed ? { connectedChangedAt: at } : {}),
      ...(failure
        ? { lastError: { code: failure.code, message: message(failure.code, failure.failure), at } }
        : {}),
    });
  }

  return {
    get connected(): boolean {
      return connected;
    },
    up: () => set(true),
    unreachable: (failure: SendFailure) => set(false, { code: 'SYNC_ERR_KAFKA_UNREACHABLE', failure }),
    sendFailed: (failure: SendFailure) => set(false, { code: 'SYNC_ERR_SEND_FAILED', failure }),
    /** A batch was acknowledged: connected, without another write (markDelivered wrote it). */
    acknowledged(): boolean {
      const changed = !connected;
      connected = true;
      if (changed) logger.info({ event: 'sync_connected', brokers }, 'connected to Kafka');
      return changed;
    },
  };
}
