import { type Command, Option } from 'commander';
import { uuidV7 } from '../../kernel/events/ids.ts';
import { startGateway } from '../gateway.ts';
import { dataDirOption, cliLogger, optionsFrom } from './cliOptions.ts';
import { demoCredentialsFile, ensureDemoUsers } from '../auth/demoUsers.ts';
import { createUserStore } from '../auth/userStore.ts';

interface StartFlags {
  dataDir?: string;
  httpPort?: string;
  mqttPort?: string;
  host?: string;
  simulate?: boolean;
}

/** A port flag as a number; text that is not one is passed on so the option error shows it. */
const asPort = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const port = Number(text);
  return Number.isFinite(port) && text.trim() !== '' ? port : (text as unknown as number);
};

export async function startCommand(flags: StartFlags): Promise<void> {
  const options = optionsFrom({
    ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
    ...(flags.httpPort !== undefined ? { httpPort: asPort(flags.httpPort)! } : {}),
    ...(flags.mqttPort !== undefined ? { mqttPort: asPort(flags.mqttPort)! } : {}),
    ...(flags.host ? { httpHost: flags.host, mqttHost: flags.host } : {}),
    ...(flags.simulate ? { simulate: true } : {}),
  });
  const logger = cliLogger(options.logLevel);
  const gateway = await startGateway(options, { clock: () => new Date(), newId: uuidV7, logger });
  const { identity } = gateway.services;
  // The quick start must let a newcomer sign in: demo users, shown on the terminal only (never logged).
  const demo = options.simulate
    ? await ensureDemoUsers(
        createUserStore(gateway.services.db, gateway.services.clock, gateway.services.newId),
        options.dataDir,
      )
    : [];
  logger.info(
    {
      event: 'gateway_ready',
      gatewayId: identity.gatewayId,
      httpPort: gateway.httpPort,
      mqttPort: gateway.mqttPort,
      ...(gateway.httpsPort !== undefined ? { httpsPort: gateway.httpsPort } : {}),
      ...(gateway.mqttsPort !== undefined ? { mqttsPort: gateway.mqttsPort } : {}),
      dataDir: options.dataDir,
      simulate: options.simulate,
    },
    'gateway ready',
  );
  const shown = options.httpHost === '0.0.0.0' ? 'localhost' : options.httpHost;
  process.stderr.write(
    [
      '',
      `  NileCare Edge gateway ${identity.gatewayId}`,
      `  Web:     http://${shown}:${gateway.httpPort}/        API docs: http://${shown}:${gateway.httpPort}/docs`,
      `  MQTT:    mqtt://${shown}:${gateway.mqttPort}         data: ${options.dataDir}`,
      gateway.httpsPort !== undefined
        ? `  TLS:     https://${shown}:${gateway.httpsPort}/   mqtts://${shown}:${gateway.mqttsPort}`
        : '',
      options.simulate ? '  Demo:    four simulated bedside monitors are publishing vitals' : '',
      ...(demo.length > 0
        ? [
            `  Sign in: demo users, shown once (also in ${demoCredentialsFile(options.dataDir)}):`,
            ...demo.map((user) => `           ${user.username.padEnd(11)} ${user.password}   (${user.role})`),
          ]
        : []),
      '  Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** `nilecare start`: the gateway in the foreground. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('start the gateway: device broker (MQTT), HTTP API and nurse UI')
    .addOption(dataDirOption())
    .addOption(new Option('--http-port <port>', 'HTTP port').env('NILECARE_HTTP_PORT'))
    .addOption(new Option('--mqtt-port <port>', 'MQTT port').env('NILECARE_MQTT_PORT'))
    .addOption(new Option('--host <address>', 'address to listen on for HTTP and MQTT'))
    .addOption(new Option('--simulate', 'run simulated bedside monitors (demo)'))
    .action(startCommand);
}
