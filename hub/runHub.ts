import type { Logger } from 'pino';
import { uuidV7 } from '../kernel/events/ids.ts';
import { type Hub, startHub } from './hubProcess.ts';
import type { HubOptions } from './hubOptions.ts';

/**
 * Starts the hub for a command line (`nilecare hub start`, `npm run dev:hub`)
 * and stops it cleanly on SIGINT (Ctrl+C) or SIGTERM: the services finish the
 * record in hand and commit, then `afterStop` (the dev parts) runs.
 */
export async function runHubUntilStopped(
  options: HubOptions,
  logger: Logger,
  afterStop: () => Promise<void> = async () => undefined,
): Promise<Hub> {
  const hub = await startHub(options, { clock: () => new Date(), newId: uuidV7, logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    hub
      .close()
      .then(afterStop)
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'error while stopping');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return hub;
}

/** What a person needs to see once the hub runs. */
export function hubBanner(hub: Hub, options: HubOptions): string {
  const shown = options.httpHost === '0.0.0.0' ? 'localhost' : options.httpHost;
  return [
    `  Services:  ${hub.services.map((service) => `${service.name} (consumer group ${service.groupId})`).join(', ')}`,
    `  Kafka:     ${options.kafkaBrokers.join(',')}${options.topicPrefix ? `   topic prefix: ${options.topicPrefix}` : ''}`,
    `  Metrics:   http://${shown}:${hub.httpPort}/metrics     health: http://${shown}:${hub.httpPort}/health`,
  ].join('\n');
}
