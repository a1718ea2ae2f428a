import pino, { type Logger } from 'pino';
import type { HubOptions } from './hubOptions.ts';

/**
 * JSON lines for log collectors; readable lines when a person watches a
 * terminal (and NILECARE_LOG_FORMAT is not `json`). Logs carry ids and
 * codes, never PHI.
 */
export function hubLogger(level: HubOptions['logLevel']): Logger {
  const pretty = process.stdout.isTTY && process.env.NILECARE_LOG_FORMAT !== 'json';
  return pino({
    level,
    base: { service: 'nilecare-hub' },
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { ignore: 'pid,hostname,service', translateTime: 'SYS:HH:MM:ss' },
          },
        }
      : {}),
  });
}
