import { readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import type { Command } from 'commander';
import { Option } from 'commander';
import QRCode from 'qrcode';
import { GatewayError } from '../errors.ts';
import { uuidV7 } from '../../kernel/events/ids.ts';
import { provisionedPaths } from '../provisioning/gatewayConfig.ts';
import type { KekSource } from '../provisioning/keyEncryptionKey.ts';
import { summarizeCertificate } from '../provisioning/localCertificates.ts';
import { provision, type ProvisionRequest } from '../provisioning/provision.ts';
import { dataDirOption, optionsFrom } from './cliOptions.ts';
import { join } from 'node:path';

interface ProvisionFlags {
  dataDir?: string;
  facility: string;
  tenant: string;
  state?: string;
  gatewayId?: string;
  kekFile?: string;
  kekPassphraseStdin?: boolean;
  name?: string[];
  address?: string[];
  httpsPort: string;
  mqttsPort: string;
  hubBrokers?: string;
  hubUser?: string;
  hubPasswordFile?: string;
  hubMechanism: 'scram-sha-512' | 'scram-sha-256';
  hubCa?: string;
  force?: boolean;
}

/** `nilecare provision`: see gateway/provisioning/provision.ts. Exit 3 when the request differs and --force is absent. */
export async function provisionCommand(flags: ProvisionFlags): Promise<void> {
  const { dataDir } = optionsFrom(flags.dataDir ? { dataDir: flags.dataDir } : {});
  const request: ProvisionRequest = {
    facilityId: flags.facility,
    tenantId: flags.tenant,
    ...(flags.state ? { sudanState: flags.state } : {}),
    ...(flags.gatewayId ? { gatewayId: flags.gatewayId } : {}),
    kek: await kekSource(flags),
    names: flags.name && flags.name.length > 0 ? flags.name : [hostname(), 'localhost'],
    addresses: flags.address && flags.address.length > 0 ? flags.address : localAddresses(),
    httpsPort: portNumber('--https-port', flags.httpsPort),
    mqttsPort: portNumber('--mqtts-port', flags.mqttsPort),
    ...(flags.hubBrokers ? { hub: hubConnection(flags) } : {}),
  };
  const outcome = provision(dataDir, request, {
    force: flags.force === true,
    clock: () => new Date(),
    newId: uuidV7,
  });
  if (outcome.status === 'differs') {
    console.error(`${provisionedPaths(dataDir).config} is already provisioned differently:`);
    for (const line of outcome.differences) console.error(`  ${line}`);
    console.error(
      'Nothing was changed. Run again with --force to re-provision (keys and gateway id are kept).',
    );
    process.exitCode = 3;
    return;
  }
  const { config } = outcome;
  const certificate = summarizeCertificate(join(provisionedPaths(dataDir).dir, config.tls.cert));
  const verb = {
    created: 'provisioned',
    replaced: 're-provisioned',
    unchanged: 'already provisioned; nothing changed',
  }[outcome.status];
  console.log(`Gateway ${config.identity.gatewayId} ${verb}.`);
  console.log(
    `  facility      ${config.identity.facilityId} (tenant ${config.identity.tenantId}${config.identity.sudanState ? `, ${config.identity.sudanState}` : ''})`,
  );
  console.log(`  configuration ${provisionedPaths(dataDir).config}`);
  console.log(
    `  PHI keys      ${config.phiKeys.keys.length} (active ${config.phiKeys.activeKeyId}), wrapped by a ${config.phiKeys.kek.kind === 'passphrase' ? 'passphrase' : 'key file'}`,
  );
  console.log(
    `  certificate   ${certificate.fingerprint256} (SHA-256), valid to ${certificate.validTo.toISOString().slice(0, 10)}`,
  );
  console.log(`                ${certificate.subjectAltName ?? ''}`);
  console.log(`  HTTPS ${config.tls.httpsPort}, MQTT over TLS ${config.tls.mqttsPort}`);
  console.log(
    `  hub           ${config.hub ? `${config.hub.brokers.join(',')} as ${config.hub.sasl.username} (SASL ${config.hub.sasl.mechanism.toUpperCase()}, TLS)` : 'none (offline only)'}`,
  );
  const payload = `nilecare:gateway:${config.identity.gatewayId};sha256:${certificate.fingerprint256.replace(/:/g, '')}`;
  console.log(await QRCode.toString(payload, { type: 'terminal', small: true, errorCorrectionLevel: 'M' }));
  console.log(`  (QR: ${payload})`);
}

async function kekSource(flags: ProvisionFlags): Promise<KekSource> {
  if (flags.kekFile) return { file: flags.kekFile };
  if (flags.kekPassphraseStdin) return { passphrase: (await readStdin()).split(/\r?\n/)[0] ?? '' };
  const fromEnvironment = process.env.NILECARE_KEK_PASSPHRASE;
  if (fromEnvironment) return { passphrase: fromEnvironment };
  throw new GatewayError('GW_ERR_PROVISION_INVALID', [
    'no key-encryption key: give --kek-file (issued by the hub), --kek-passphrase-stdin, or NILECARE_KEK_PASSPHRASE',
  ]);
}

function hubConnection(flags: ProvisionFlags): NonNullable<ProvisionRequest['hub']> {
  const brokers = (flags.hubBrokers ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  if (!flags.hubUser) throw new GatewayError('GW_ERR_PROVISION_INVALID', ['--hub-brokers needs --hub-user']);
  const password = flags.hubPasswordFile
    ? readFileSync(flags.hubPasswordFile, 'utf8').trim()
    : process.env.NILECARE_HUB_PASSWORD;
  if (!password)
    throw new GatewayError('GW_ERR_PROVISION_INVALID', [
      '--hub-brokers needs --hub-password-file or NILECARE_HUB_PASSWORD',
    ]);
  return {
    brokers,
    username: flags.hubUser,
    password,
    mechanism: flags.hubMechanism,
    ...(flags.hubCa ? { caFile: flags.hubCa } : {}),
  };
}

function portNumber(flag: string, text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new GatewayError('GW_ERR_PROVISION_INVALID', [
      `${flag} must be a port number (1-65535), not ${JSON.stringify(text)}`,
    ]);
  return port;
}

/** 127.0.0.1 and this machine's non-internal IPv4 addresses: what devices on the clinic LAN connect to. */
function localAddresses(): string[] {
  const found = Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry && entry.family === 'IPv4' && !entry.internal)
    .map((entry) => entry!.address);
  return ['127.0.0.1', ...new Set(found)];
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function registerProvisionCommand(program: Command): void {
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  program
    .command('provision')
    .description(
      'make this data folder a provisioned gateway: identity, wrapped PHI keys, local CA and certificates, hub connection',
    )
    .addOption(dataDirOption())
    .requiredOption('--facility <id>', 'facility id this gateway serves')
    .requiredOption('--tenant <id>', 'tenant (health authority) id')
    .option('--state <name>', 'Sudan state, e.g. Kassala')
    .option('--gateway-id <id>', 'gateway id (default: keep the existing one, else a new one)')
    .option('--kek-file <path>', 'key-encryption key file issued by the hub (32 bytes, base64)')
    .option(
      '--kek-passphrase-stdin',
      'read the key-encryption passphrase from the first line of stdin (else NILECARE_KEK_PASSPHRASE)',
    )
    .option(
      '--name <dns>',
      'a DNS name for the certificate (repeatable; default: hostname and localhost)',
      collect,
    )
    .option(
      '--address <ip>',
      'an IP address for the certificate (repeatable; default: this machine’s)',
      collect,
    )
    .option('--https-port <port>', 'HTTPS port of the nurse UI and API', '8443')
    .option('--mqtts-port <port>', 'MQTT over TLS port for devices', '8883')
    .option('--hub-brokers <list>', "the hub's Kafka brokers, host:port,host:port (SASL_SSL)")
    .option('--hub-user <name>', "this gateway's SASL/SCRAM user at the hub")
    .option('--hub-password-file <path>', 'file holding the SASL password (else NILECARE_HUB_PASSWORD)')
    .addOption(
      new Option('--hub-mechanism <name>', 'SASL mechanism')
        .choices(['scram-sha-512', 'scram-sha-256'])
        .default('scram-sha-512'),
    )
    .option('--hub-ca <pem>', "the hub's CA certificate")
    .option('--force', 're-provision when the request differs (gateway id and PHI keys are kept)')
    .action(provisionCommand);
}
