import { Option } from 'commander';
import pino, { type Logger } from 'pino';
import {
  type GatewayOptions,
  optionsFromEnvironment,
  resolveGatewayOptions,
} from '../config/gatewayOptions.ts';
import { uuidV7 } from '../../kernel/events/ids.ts';
import { existsSync } from 'node:fs';
import { GatewayError } from '../errors.ts';
import { dataPaths, openGatewayStore } from '../openGatewayStore.ts';
import type { GatewayServices } from '../gatewayServices.ts';

/** `--data-dir`, which every command that opens the data folder takes. */
export function dataDirOption(): Option {
  return new Option('--data-dir <path>', 'data folder (database, keys, identity)').env('NILECARE_DATA_DIR');
}

export interface CommonFlags {
  dataDir?: string;
}

/** Options from defaults, environment and the command's flags. */
export function optionsFrom(flags: Partial<GatewayOptions>): GatewayOptions {
  return resolveGatewayOptions(optionsFromEnvironment(process.env), flags);
}

/**
 * JSON lines for log collectors; readable lines when a person watches a
 * terminal (and NILECARE_LOG_FORMAT is not `json`).
 */
export function cliLogger(level: GatewayOptions['logLevel']): Logger {
  const pretty = process.stdout.isTTY && process.env.NILECARE_LOG_FORMAT !== 'json';
  return pino({
    level,
    base: { service: 'nilecare-gateway' },
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

/**
 * Opens the data folder for a one-off command (the gateway may be running:
 * WAL lets both work). `existing` refuses a folder with no gateway database
 * instead of creating one, for commands that read what a gateway recorded.
 */
export function openForCommand(flags: CommonFlags, existing = false): GatewayServices {
  const options = optionsFrom(flags.dataDir ? { dataDir: flags.dataDir } : {});
  const database = dataPaths(options.dataDir).database;
  if (existing && !existsSync(database)) throw new GatewayError('GW_ERR_DATA_MISSING', [database]);
  return openGatewayStore(options, () => new Date(), uuidV7);
}
