import { randomBytes } from 'node:crypto';
import { writeFileDurably } from '../../kernel/files/durableFile.ts';
import { GatewayError } from '../errors.ts';
import type { GatewayServices } from '../gatewayServices.ts';
import { draftFor } from '../http/draftFor.ts';
import { decryptField, encryptField, isEncryptedField } from '../../kernel/phi/fieldCipher.ts';
import type { PatientDoc } from '../projections/patients.ts';
import { runningGatewayPid } from '../runtime/pidFile.ts';
import {
  checkProvisionedConfig,
  loadProvisionedConfig,
  type ProvisionedConfig,
  provisionedPaths,
} from './gatewayConfig.ts';
import { deriveKek, type KekSource, wrapSecret } from './keyEncryptionKey.ts';

/**
 * PHI key rotation on a provisioned gateway, in three steps an operator runs
 * with the gateway stopped (each refuses under a live one, which holds the
 * keyring in memory and is the log's only writer):
 *
 * 1. `rotate`: a new data key becomes the active one; new data is encrypted
 *    with it, and the old keys stay for decryption.
 * 2. `reencrypt`: every current value under an older key is re-encrypted with
 *    the active one: each patient's national ID and phone by appending a
 *    `patient_updated` with the same values (the log is append-only: history
 *    keeps its old ciphertext), and sealed quarantine records in place.
 * 3. `retire`: a key no current value uses loses its key material. Older
 *    events (and backups) encrypted with it can no longer be decrypted: that
 *    is the point when a key is suspected to be compromised.
 */
const phiFields = ['sudanNationalId', 'phone'] as const;

function refuseUnderLiveGateway(dataDir: string): void {
  const pid = runningGatewayPid(dataDir);
  if (pid !== undefined)
    throw new GatewayError('GW_ERR_KEYS_REFUSED', [
      `a gateway is running on ${dataDir} (pid ${pid}); stop it first`,
    ]);
}

function provisionedOrRefuse(dataDir: string): ProvisionedConfig {
  const config = loadProvisionedConfig(dataDir);
  if (!config)
    throw new GatewayError('GW_ERR_KEYS_REFUSED', [
      'this gateway is not provisioned: run nilecare provision first',
    ]);
  return config;
}

function writeConfig(dataDir: string, config: ProvisionedConfig): void {
  const path = provisionedPaths(dataDir).config;
  const checked = checkProvisionedConfig(config, 'the new configuration');
  // Durably: the wrapped keys are in it; a power cut must leave the old keys or the new.
  writeFileDurably(path, `${JSON.stringify(checked, null, 2)}\n`);
}

/** Step 1: a new active data key, wrapped by the KEK. Returns its id. */
export function rotateKey(
  dataDir: string,
  kek: KekSource | undefined,
  now: Date,
): { keyId: string; previous: string } {
  refuseUnderLiveGateway(dataDir);
  const config = provisionedOrRefuse(dataDir);
  const wrappingKey = deriveKek(config.phiKeys.kek, kek);
  const keyId = `k${now.toISOString().slice(0, 10).replace(/-/g, '')}${randomBytes(2).toString('hex')}`;
  const key = randomBytes(32);
  writeConfig(dataDir, {
    ...config,
    phiKeys: {
      ...config.phiKeys,
      activeKeyId: keyId,
      keys: [
        ...config.phiKeys.keys,
        { id: keyId, createdAt: now.toISOString(), wrapped: wrapSecret(wrappingKey, key, keyId) },
      ],
    },
  });
  return { keyId, previous: config.phiKeys.activeKeyId };
}

const keyIdOf = (value: string) => value.slice('enc:v1:'.length).split(':')[0];

/** Current values (read models, quarantine) encrypted under a key other than the active one. */
export function valuesUnderOlderKeys(services: GatewayServices, keyId?: string) {
  const active = services.keyring.activeKeyId;
  const older = (value: unknown): value is string =>
    isEncryptedField(value) && (keyId ? keyIdOf(value) === keyId : keyIdOf(value) !== active);
  const patients = services.projections
    .all<PatientDoc>('patients')
    .filter((patient) => phiFields.some((field) => older(patient[field])));
  const quarantine = services.db
    .prepare<[], { id: number; raw_sealed: string }>(
      'SELECT id, raw_sealed FROM quarantine WHERE raw_sealed IS NOT NULL',
    )
    .all()
    .filter((row) => older(row.raw_sealed));
  return { patients, quarantine, older };
}

/** Step 2: re-encrypts every current value under an older key; `onProgress(done, total)` after each. */
export async function reencrypt(
  services: GatewayServices,
  onProgress: (done: number, total: number) => void,
): Promise<{ patients: number; quarantine: number }> {
  refuseUnderLiveGateway(services.options.dataDir);
  const { patients, quarantine, older } = valuesUnderOlderKeys(services);
  const total = patients.length + quarantine.length;
  let done = 0;
  for (const patient of patients) {
    const changes: Record<string, string> = {};
    for (const field of phiFields) {
      const value = patient[field];
      // The recorder encrypts plaintext with the active key (guarantee 8).
      if (older(value)) changes[field] = decryptField(value, field, services.keyring);
    }
    const outcome = await services.recorder.record({
      channel: 'internal',
      origin: 'nilecare keys reencrypt',
      draft: draftFor(
        services,
        'patient_updated',
        { changes, updatedAt: services.clock().toISOString() },
        { patientId: patient.patientId },
      ),
    });
    if (outcome.status !== 'appended')
      throw new GatewayError('GW_ERR_INTERNAL', [
        `re-encrypting patient ${patient.patientId}: ${outcome.status}`,
      ]);
    done += 1;
    onProgress(done, total);
  }
  const reseal = services.db.prepare('UPDATE quarantine SET raw_sealed = ? WHERE id = ?');
  for (const row of quarantine) {
    const raw = decryptField(row.raw_sealed, 'quarantine.raw', services.keyring);
    reseal.run(encryptField(raw, 'quarantine.raw', services.keyring), row.id);
    done += 1;
    onProgress(done, total);
  }
  return { patients: patients.length, quarantine: quarantine.length };
}

/** Step 3: removes a key's material once no current value uses it. */
export function retireKey(
  services: GatewayServices,
  keyId: string,
  kek: KekSource | undefined,
  now: Date,
): void {
  const { dataDir } = services.options;
  refuseUnderLiveGateway(dataDir);
  const config = provisionedOrRefuse(dataDir);
  deriveKek(config.phiKeys.kek, kek);
  if (keyId === config.phiKeys.activeKeyId)
    throw new GatewayError('GW_ERR_KEYS_REFUSED', [`${keyId} is the active key; rotate first`]);
  const entry = config.phiKeys.keys.find((key) => key.id === keyId);
  if (!entry)
    throw new GatewayError('GW_ERR_KEYS_REFUSED', [`no key ${keyId} in ${provisionedPaths(dataDir).config}`]);
  const { patients, quarantine } = valuesUnderOlderKeys(services, keyId);
  if (patients.length + quarantine.length > 0)
    throw new GatewayError('GW_ERR_KEYS_REFUSED', [
      `${patients.length} patient(s) and ${quarantine.length} quarantine record(s) still use ${keyId}: run nilecare keys reencrypt`,
    ]);
  writeConfig(dataDir, {
    ...config,
    phiKeys: {
      ...config.phiKeys,
      keys: config.phiKeys.keys.map((key) =>
        key.id === keyId ? { id: key.id, createdAt: key.createdAt, retiredAt: now.toISOString() } : key,
      ),
    },
  });
}
