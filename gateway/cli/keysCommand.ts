import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { loadProvisionedConfig } from '../provisioning/gatewayConfig.ts';
import { reencrypt, retireKey, rotateKey } from '../provisioning/keyRotation.ts';
import { kekSourceFromEnvironment } from '../provisioning/provisionedStore.ts';
import { type CommonFlags, dataDirOption, openForCommand, optionsFrom } from './cliOptions.ts';

const dataDirOf = (flags: CommonFlags) =>
  optionsFrom(flags.dataDir ? { dataDir: flags.dataDir } : {}).dataDir;

export async function keysListCommand(flags: CommonFlags): Promise<void> {
  const config = loadProvisionedConfig(dataDirOf(flags));
  if (!config) {
    console.log(
      'not provisioned: the development key file is in keys/phi-keys.json (nilecare provision wraps it)',
    );
    return;
  }
  const services = openForCommand(flags, true);
  try {
    const inUse = new Map<string, number>();
    const count = (value: unknown) => {
      if (typeof value !== 'string' || !value.startsWith('enc:v1:')) return;
      const id = value.split(':')[2] as string;
      inUse.set(id, (inUse.get(id) ?? 0) + 1);
    };
    for (const row of services.db
      .prepare<[], { doc: string }>("SELECT doc FROM projection_docs WHERE projection = 'patients'")
      .all()) {
      const doc = JSON.parse(row.doc) as Record<string, unknown>;
      count(doc.sudanNationalId);
      count(doc.phone);
    }
    for (const key of config.phiKeys.keys) {
      const state = key.retiredAt
        ? `retired ${key.retiredAt}`
        : key.id === config.phiKeys.activeKeyId
          ? 'active'
          : 'kept for decryption';
      console.log(`${key.id}\tcreated ${key.createdAt}\t${state}\tcurrent values: ${inUse.get(key.id) ?? 0}`);
    }
  } finally {
    services.db.close();
  }
}

export async function keysRotateCommand(flags: CommonFlags): Promise<void> {
  const { keyId, previous } = rotateKey(dataDirOf(flags), kekSourceFromEnvironment(process.env), new Date());
  console.log(`new active PHI key ${keyId}; ${previous} is kept for decryption`);
  console.log(`next: nilecare keys reencrypt, then nilecare keys retire ${previous}`);
}

export async function keysReencryptCommand(flags: CommonFlags): Promise<void> {
  const services = openForCommand(flags, true);
  try {
    const progress = progressReporter('re-encrypting', 'values');
    const result = await reencrypt(services, progress.update);
    progress.stop();
    console.log(
      `re-encrypted with ${services.keyring.activeKeyId}: ${result.patients} patient(s), ${result.quarantine} quarantine record(s)`,
    );
  } finally {
    services.db.close();
  }
}

export async function keysRetireCommand(keyId: string, flags: CommonFlags): Promise<void> {
  const services = openForCommand(flags, true);
  try {
    retireKey(services, keyId, kekSourceFromEnvironment(process.env), new Date());
    console.log(`key ${keyId} retired: its material is gone; events encrypted with it can no longer be read`);
  } finally {
    services.db.close();
  }
}

export function registerKeysCommands(program: Command): void {
  const keys = program
    .command('keys')
    .description(
      'PHI data keys of a provisioned gateway: list, rotate, re-encrypt, retire (gateway stopped)',
    );
  keys
    .command('list')
    .description('keys, their state and how many current values use each')
    .addOption(dataDirOption())
    .action(keysListCommand);
  keys
    .command('rotate')
    .description('make a new active key; the old ones stay for decryption')
    .addOption(dataDirOption())
    .action(keysRotateCommand);
  keys
    .command('reencrypt')
    .description('re-encrypt every current value under an older key with the active one (progress bar)')
    .addOption(dataDirOption())
    .action(keysReencryptCommand);
  keys
    .command('retire <keyId>')
    .description('remove a key no current value uses (older events under it become unreadable)')
    .addOption(dataDirOption())
    .action(keysRetireCommand);
}

/** A progress bar on a terminal; in a log, a line at each tenth of the way and at the end. */
function progressReporter(what: string, unit: string) {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({ format: `${what} |{bar}| {value}/{total} ${unit}`, stream: process.stderr });
    let started = false;
    return {
      update(done: number, total: number) {
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      },
      stop: () => started && bar.stop(),
    };
  }
  let lastTenth = -1;
  return {
    update(done: number, total: number) {
      const tenth = Math.floor((done / total) * 10);
      if (tenth === lastTenth && done !== total) return;
      lastTenth = tenth;
      process.stderr.write(`${what} ${done}/${total} ${unit}\n`);
    },
    stop() {},
  };
}
