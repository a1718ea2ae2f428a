import { type Command, Option } from 'commander';
import { codedErrorText } from '../../kernel/errors/defineErrors.ts';
import { isHubError } from '../errors.ts';
import { hubLogger } from '../hubLogger.ts';
import {
  type HubOptions,
  type HubServiceName,
  hubOptionsFromEnvironment,
  hubServiceNames,
  resolveHubOptions,
} from '../hubOptions.ts';
import { hubBanner, runHubUntilStopped } from '../runHub.ts';
import { registerHubTopicCommands } from './topicsCommand.ts';
import { registerHubGatewayCommands } from './gatewaysCommand.ts';

/** `nilecare hub ...`: the central side's commands. */
export function registerHubCommands(program: Command): void {
  const hub = program
    .command('hub')
    .description('the central hub: its services (the default: hub start), Kafka topics, gateway access');
  hub
    .command('start', { isDefault: true })
    .description('start the hub services (Kafka -> PostgreSQL) with /metrics and /health; stop with Ctrl+C')
    .addOption(new Option('--only <service>', 'run only this service').choices(hubServiceNames))
    .addOption(
      new Option('--database-url <url>', 'PostgreSQL connection string').env('NILECARE_HUB_DATABASE_URL'),
    )
    .addOption(new Option('--brokers <list>', 'Kafka brokers, host:port,...').env('NILECARE_KAFKA_BROKERS'))
    .addOption(new Option('--http-port <port>', '/metrics and /health port').env('NILECARE_HUB_HTTP_PORT'))
    .addOption(
      new Option('--topic-prefix <prefix>', 'prefix of every topic name').env('NILECARE_HUB_TOPIC_PREFIX'),
    )
    .action(hubStartCommand);
  registerHubTopicCommands(hub);
  registerHubGatewayCommands(hub);
}

interface HubStartFlags {
  only?: HubServiceName;
  databaseUrl?: string;
  brokers?: string;
  httpPort?: string;
  topicPrefix?: string;
}

async function hubStartCommand(flags: HubStartFlags): Promise<void> {
  try {
    const options = resolveHubOptions(hubOptionsFromEnvironment(process.env), flagOptions(flags));
    const logger = hubLogger(options.logLevel);
    const hub = await runHubUntilStopped(options, logger);
    logger.info({ event: 'hub_ready', httpPort: hub.httpPort, services: options.services }, 'hub ready');
    process.stderr.write(`\n  NileCare hub\n${hubBanner(hub, options)}\n  Stop with Ctrl+C.\n\n`);
  } catch (error) {
    if (!isHubError(error)) throw error;
    console.error(codedErrorText(error));
    process.exitCode = 1;
  }
}

/** The flags as options; text that is not a number is passed on so the option error shows it. */
function flagOptions(flags: HubStartFlags): Partial<HubOptions> {
  const port = flags.httpPort === undefined ? undefined : Number(flags.httpPort);
  return {
    ...(flags.only ? { services: [flags.only] } : {}),
    ...(flags.databaseUrl ? { databaseUrl: flags.databaseUrl } : {}),
    ...(flags.brokers ? { kafkaBrokers: flags.brokers.split(',').map((broker) => broker.trim()) } : {}),
    ...(port !== undefined
      ? { httpPort: Number.isFinite(port) ? port : (flags.httpPort as unknown as number) }
      : {}),
    ...(flags.topicPrefix !== undefined ? { topicPrefix: flags.topicPrefix } : {}),
  };
}
