import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../../../gateway/openGatewayStore.ts';
import { decryptField } from '../../../kernel/phi/fieldCipher.ts';
import { loadProvisionedConfig } from '../../../gateway/provisioning/gatewayConfig.ts';
import { keyringOf } from '../../../gateway/provisioning/provisionedStore.ts';
import { runNilecare, startGatewayProcess } from '../../harness/gatewayProcess.ts';
import { openRecordedDataDir } from '../../harness/recordedDataDir.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { runProvision, writeKekFile } from '../../harness/provisioningHarness.ts';

const patients = [
  { patientId: 'patient-k1', sudanNationalId: '19870412345', phone: '+249912345678' },
  { patientId: 'patient-k2', sudanNationalId: '19920101777', phone: '+249911111222' },
  { patientId: 'patient-k3', sudanNationalId: '20010315999', phone: '+249123456789' },
];

let dir: ReturnType<typeof tempDataDir>;
let secrets: ReturnType<typeof tempDataDir>;
let kekFile: string;

beforeEach(async () => {
  dir = tempDataDir();
  secrets = tempDataDir('nilecare-secrets-');
  kekFile = writeKekFile(secrets.path);
  expect((await runProvision(dir.path, kekFile)).code).toBe(0);
  process.env.NILECARE_KEK_FILE = kekFile;
});
afterEach(() => {
  delete process.env.NILECARE_KEK_FILE;
  dir.remove();
  secrets.remove();
});

const keys = (...args: string[]) =>
  runNilecare(['keys', ...args, '--data-dir', dir.path], { env: { NILECARE_KEK_FILE: kekFile } });

/** Current PHI values as the read models and quarantine hold them, decrypted with `keyring`. */
function currentValues(keyring: ReturnType<typeof keyringOf>) {
  const db = new Database(dataPaths(dir.path).database, { readonly: true });
  try {
    const docs = db
      .prepare<[], { doc: string }>("SELECT doc FROM projection_docs WHERE projection = 'patients'")
      .all()
      .map((row) => JSON.parse(row.doc) as { patientId: string; sudanNationalId: string; phone: string });
    const sealed = db.prepare<[], { raw_sealed: string }>('SELECT raw_sealed FROM quarantine').all();
    return {
      patients: docs
        .map((doc) => ({
          patientId: doc.patientId,
          sudanNationalId: decryptField(doc.sudanNationalId, 'sudanNationalId', keyring),
          phone: decryptField(doc.phone, 'phone', keyring),
        }))
        .sort((a, b) => a.patientId.localeCompare(b.patientId)),
      quarantine: sealed.map((row) =>
        Buffer.from(decryptField(row.raw_sealed, 'quarantine.raw', keyring), 'base64').toString('utf8'),
      ),
      keyIds: new Set(docs.flatMap((doc) => [doc.sudanNationalId.split(':')[2], doc.phone.split(':')[2]])),
    };
  } finally {
    db.close();
  }
}

describe('PHI key rotation (nilecare keys)', () => {
  it('encrypts, rotates, re-encrypts every current value, decrypts everything with the new key alone, and retires the old key', async () => {
    const folder = openRecordedDataDir(dir.path, '2026-11-20T08:00:00.000Z');
    for (const patient of patients)
      await folder.record(
        'patient_registered',
        {
          firstName: 'Test',
          lastName: 'Patient',
          sex: 'female',
          sudanNationalId: patient.sudanNationalId,
          phone: patient.phone,
          registeredAt: '2026-11-20T08:00:00.000Z',
        },
        { patientId: patient.patientId },
      );
    folder.services.quarantine.write({
      channel: 'mqtt',
      origin: 'monitor-9',
      reasonCode: 'GW_ERR_PAYLOAD_INVALID',
      reason: 'test',
      raw: '{"nationalId":"19870412345"',
    });
    const eventsBefore = folder.services.log.count();
    folder.close();
    const oldKey = loadProvisionedConfig(dir.path)!.phiKeys.activeKeyId;

    const rotated = await keys('rotate');
    expect(rotated.code, rotated.stderr).toBe(0);
    const newKey = loadProvisionedConfig(dir.path)!.phiKeys.activeKeyId;
    expect(newKey).not.toBe(oldKey);
    expect(rotated.stdout).toContain(`new active PHI key ${newKey}; ${oldKey} is kept for decryption`);

    // The old key still holds every current value: it cannot be retired yet.
    const early = await keys('retire', oldKey);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain(
      `GW_ERR_KEYS_REFUSED: Key operation refused: 3 patient(s) and 1 quarantine record(s) still use ${oldKey}`,
    );

    const reencrypted = await keys('reencrypt');
    expect(reencrypted.code, reencrypted.stderr).toBe(0);
    expect(reencrypted.stderr).toContain('re-encrypting 4/4 values');
    expect(reencrypted.stdout).toContain(`re-encrypted with ${newKey}: 3 patient(s), 1 quarantine record(s)`);

    const retired = await keys('retire', oldKey);
    expect(retired.code, retired.stderr).toBe(0);
    const config = loadProvisionedConfig(dir.path)!;
    const entry = config.phiKeys.keys.find((key) => key.id === oldKey);
    expect(entry?.retiredAt).toBeDefined();
    expect(entry?.wrapped).toBeUndefined();

    // Everything current decrypts with the keyring as it is now: the new key only.
    const keyring = keyringOf(config, { file: kekFile });
    expect([...keyring.keys.keys()]).toEqual([newKey]);
    const values = currentValues(keyring);
    expect(values.patients).toEqual(patients);
    expect(values.quarantine).toEqual(['{"nationalId":"19870412345"']);
    expect(values.keyIds).toEqual(new Set([newKey]));

    // The log grew by one patient_updated per patient, and its chain holds.
    const verified = await runNilecare(['verify', '--data-dir', dir.path], {
      env: { NILECARE_KEK_FILE: kekFile },
    });
    expect(verified.stdout).toContain(`chain ok: ${eventsBefore + patients.length} events`);
    const listed = await keys('list');
    expect(listed.stdout).toMatch(new RegExp(`${oldKey}\\tcreated \\S+\\tretired `));
    expect(listed.stdout).toMatch(new RegExp(`${newKey}\\tcreated \\S+\\tactive\\tcurrent values: 6`));
  }, 180_000); // eight CLI runs, each a Node start

  it('refuses to rotate under a running gateway', async () => {
    const gateway = await startGatewayProcess(dir.path, {
      env: {
        NILECARE_KEK_FILE: kekFile,
        NILECARE_HTTPS_PORT: '0',
        NILECARE_MQTTS_PORT: '0',
        NILECARE_BACKUP_SCHEDULE: '',
      },
    });
    try {
      const refused = await keys('rotate');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`a gateway is running on ${dir.path} (pid ${gateway.pid})`);
    } finally {
      gateway.child.kill('SIGTERM');
      await gateway.exited;
    }
  });
});
