import { type LogEntry, logLevel } from 'kafkajs';
import type { Logger } from 'pino';

/**
 * kafkajs's log lines into the hub's pino logger. kafkajs reports a
 * rebalance or a reconnect as an error although the client recovers by
 * itself, so its errors are logged as warnings; its info lines as debug.
 */
export function kafkaLogCreator(logger: Logger) {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...details } = log;
      if (level === logLevel.ERROR || level === logLevel.WARN) logger.warn(details, message);
      else logger.debug(details, message);
    };
}
