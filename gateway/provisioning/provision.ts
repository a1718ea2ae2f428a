import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { GatewayError } from '../errors.ts';
import type { IdSource } from '../../kernel/events/ids.ts';
import { dataPaths } from '../openGatewayStore.ts';
import {
  checkProvisionedConfig,
  loadProvisionedConfig,
  type ProvisionedConfig,
  provisionedDirName,
  provisionedPaths,
} from './gatewayConfig.ts';
import { deriveKek, type KekSource, newKekSpec, unwrapSecret, wrapSecret } from './keyEncryptionKey.ts';
import { createLocalCa, issueCertificate } from './localCertificates.ts';
import { provisionDifferences } from './provisionDifferences.ts';

/** What a technician asks `nilecare provision` for. */
export interface ProvisionRequest {
  facilityId: string;
  tenantId: string;
  sudanState?: string;
  /** Keep or set a gateway id; by default an existing one is kept, else a new one is made. */
  gatewayId?: string;
  kek: KekSource;
  names: string[];
  addresses: string[];
  httpsPort: number;
  mqttsPort: number;
  hub?: {
    brokers: string[];
    username: string;
    password: string;
    mechanism: 'scram-sha-512' | 'scram-sha-256';
    /** The hub's CA certificate (PEM), copied in. */
    caFile?: string;
  };
}

export type ProvisionOutcome =
  | { status: 'created' | 'replaced'; config: ProvisionedConfig }
  | { status: 'unchanged'; config: ProvisionedConfig }
  | { status: 'differs'; config: ProvisionedConfig; differences: string[] };

/**
 * Provisions a data folder: identity, PHI data keys wrapped by the KEK, a
 * local CA with the gateway's certificate, and the hub connection, all in
 * `<dataDir>/provisioned/`. Everything is written to a staging folder first
 * and put in place with one rename, so a run cut short leaves nothing
 * half-written. Run again with the same request: nothing changes. A different
 * request is refused (the differences are returned) unless `force`; even then
 * the gateway id, facility and tenant of a log that has events never change,
 * and PHI keys are carried over (data encrypted with them must stay readable).
 */
export function provision(
  dataDir: string,
  request: ProvisionRequest,
  options: { force: boolean; clock: () => Date; newId: IdSource },
): ProvisionOutcome {
  const paths = provisionedPaths(dataDir);
  const existing = loadProvisionedConfig(dataDir);
  const devPaths = dataPaths(dataDir);
  const devIdentity = existsSync(devPaths.identity)
    ? (JSON.parse(readFileSync(devPaths.identity, 'utf8')) as {
        gatewayId: string;
        facilityId: string;
        tenantId: string;
      })
    : undefined;
  const recorded = eventsRecorded(devPaths.database);
  const previous = existing?.identity ?? devIdentity;
  if (recorded > 0 && previous) {
    const changes = [
      ...(previous.facilityId !== request.facilityId ? ['facility'] : []),
      ...(previous.tenantId !== request.tenantId ? ['tenant'] : []),
      ...(request.gatewayId && request.gatewayId !== previous.gatewayId ? ['gateway id'] : []),
    ];
    if (changes.length > 0)
      throw new GatewayError('GW_ERR_PROVISION_CONFLICT', [
        `the log already holds ${recorded} events of gateway ${previous.gatewayId} at facility ${previous.facilityId} (tenant ${previous.tenantId}); the ${changes.join(' and ')} cannot change: provision a fresh data folder for another identity`,
      ]);
  }

  if (existing) {
    const kek = deriveKek(existing.phiKeys.kek, request.kek);
    const differences = provisionDifferences(existing, request, (wrapped) =>
      unwrapSecret(kek, wrapped, 'hub-password').toString('utf8'),
    );
    if (differences.length === 0) {
      removeDevSecrets(dataDir);
      return { status: 'unchanged', config: existing };
    }
    if (!options.force) return { status: 'differs', config: existing, differences };
  }

  const now = options.clock();
  const { spec, kek } = existing ? rewrapSpec(existing, request.kek) : newKekSpec(request.kek);
  const dataKeys = existing
    ? existing.phiKeys.keys.map((key) => ({
        ...key,
        key: key.wrapped ? unwrapSecret(kek, key.wrapped, key.id) : undefined,
      }))
    : devKeys(devPaths.phiKeys, now);
  const activeKeyId = existing?.phiKeys.activeKeyId ?? devActiveKey(devPaths.phiKeys) ?? dataKeys[0]!.id;
  const gatewayId = request.gatewayId ?? previous?.gatewayId ?? `gw-${options.newId()}`;

  removeUnfinishedRuns(dataDir);
  const staging = `${paths.dir}.staging-${randomBytes(4).toString('hex')}`;
  mkdirSync(join(staging, 'tls'), { recursive: true, mode: 0o700 });
  try {
    const tlsDir = join(staging, 'tls');
    const ca = createLocalCa(tlsDir, `NileCare gateway CA ${gatewayId}`, {
      dnsNames: request.names,
      ipAddresses: request.addresses,
    });
    const server = issueCertificate(tlsDir, 'gateway', ca, {
      commonName: request.names[0] ?? gatewayId,
      use: 'server',
      dnsNames: request.names,
      ipAddresses: request.addresses,
    });
    let hubCa: string | undefined;
    if (request.hub?.caFile) {
      hubCa = join(tlsDir, 'hub-ca.crt');
      writeFileSync(hubCa, readFileSync(request.hub.caFile));
    }
    const rel = (file: string) => relative(staging, file);
    const config = checkProvisionedConfig(
      {
        version: 1,
        provisionedAt: now.toISOString(),
        identity: {
          gatewayId,
          facilityId: request.facilityId,
          tenantId: request.tenantId,
          ...(request.sudanState ? { sudanState: request.sudanState } : {}),
        },
        phiKeys: {
          kek: spec,
          activeKeyId,
          keys: dataKeys.map(({ id, createdAt, key, ...rest }) =>
            key
              ? { id, createdAt, wrapped: wrapSecret(kek, key, id) }
              : {
                  id,
                  createdAt,
                  ...('retiredAt' in rest && rest.retiredAt ? { retiredAt: rest.retiredAt } : {}),
                },
          ),
        },
        tls: {
          ca: rel(ca.cert),
          caKey: rel(ca.key),
          cert: rel(server.cert),
          key: rel(server.key),
          names: request.names,
          addresses: request.addresses,
          httpsPort: request.httpsPort,
          mqttsPort: request.mqttsPort,
        },
        ...(request.hub
          ? {
              hub: {
                brokers: request.hub.brokers,
                sasl: {
                  mechanism: request.hub.mechanism,
                  username: request.hub.username,
                  passwordWrapped: wrapSecret(kek, Buffer.from(request.hub.password, 'utf8'), 'hub-password'),
                },
                ...(hubCa ? { ca: rel(hubCa) } : {}),
              },
            }
          : {}),
      },
      'the new configuration',
    );
    writeFileSync(join(staging, 'nilecare.json'), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    // The commit point: one rename puts the whole provisioned folder in place.
    if (existing) renameSync(paths.dir, `${paths.dir}.previous-${now.toISOString().replace(/[:.]/g, '-')}`);
    renameSync(staging, paths.dir);
    removeDevSecrets(dataDir);
    return { status: existing ? 'replaced' : 'created', config };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Staging folders of runs that were cut short: never read, removed by the next run. */
function removeUnfinishedRuns(dataDir: string): void {
  if (!existsSync(dataDir)) return;
  for (const name of readdirSync(dataDir))
    if (name.startsWith(`${provisionedDirName}.staging-`))
      rmSync(join(dataDir, name), { recursive: true, force: true });
}

function rewrapSpec(existing: ProvisionedConfig, source: KekSource) {
  // Same KEK source as before: keep its spec (the passphrase salt), so the operator's secret stays valid.
  return { spec: existing.phiKeys.kek, kek: deriveKek(existing.phiKeys.kek, source) };
}

interface DevKeyFile {
  activeKeyId: string;
  keys: { id: string; createdAt: string; key: string }[];
}

function devKeys(path: string, now: Date): { id: string; createdAt: string; key: Buffer }[] {
  if (!existsSync(path)) {
    const id = `k${now.toISOString().slice(0, 10).replace(/-/g, '')}${randomBytes(2).toString('hex')}`;
    return [{ id, createdAt: now.toISOString(), key: randomBytes(32) }];
  }
  const file = JSON.parse(readFileSync(path, 'utf8')) as DevKeyFile;
  return file.keys.map((key) => ({
    id: key.id,
    createdAt: key.createdAt,
    key: Buffer.from(key.key, 'base64'),
  }));
}

function devActiveKey(path: string): string | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as DevKeyFile).activeKeyId : undefined;
}

/** The development identity and plain key file are superseded: the keys now live wrapped in the configuration. */
function removeDevSecrets(dataDir: string): void {
  const paths = dataPaths(dataDir);
  rmSync(paths.phiKeys, { force: true });
  rmSync(paths.identity, { force: true });
}

function eventsRecorded(databaseFile: string): number {
  if (!existsSync(databaseFile)) return 0;
  const db = new Database(databaseFile, { readonly: true });
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get();
    return table ? (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n : 0;
  } finally {
    db.close();
  }
}
