import { GatewayError } from '../errors.ts';
import type { SqliteDatabase } from '../eventStore/openDatabase.ts';
import {
  checkDevicePassword,
  generateDeviceSecret,
  hashDeviceSecret,
  verifyDeviceSecret,
} from './deviceSecrets.ts';

export interface RegisteredDevice {
  deviceId: string;
  kind: string;
  patientId?: string;
  bed?: string;
  createdAt: string;
  revokedAt?: string;
  /** Set for a device that logs in with a client certificate from the gateway's CA (no password). */
  certificate?: DeviceCertificate;
}

/** What the registry keeps of a device's client certificate: never its private key. */
export interface DeviceCertificate {
  /** SHA-256 of the certificate, "AB:CD:..." as Node prints it. */
  fingerprint256: string;
  serialNumber: string;
}

export interface AddDeviceInput {
  deviceId: string;
  kind?: string;
  /** Given by the technician, or generated (and returned once). */
  password?: string;
  patientId?: string;
  bed?: string;
}

interface DeviceRow {
  device_id: string;
  kind: string;
  secret_hash: string;
  patient_id: string | null;
  bed: string | null;
  created_at: string;
  revoked_at: string | null;
  cert_fingerprint: string | null;
  cert_serial: string | null;
}

/**
 * The secret_hash of a certificate device: not a scrypt hash, so no password
 * verifies against it (deviceSecrets.ts refuses any other scheme).
 */
const certificateOnly = 'certificate-only';

export const deviceIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Registered devices and their credentials (stored hashed). */
export function createDeviceRegistry(db: SqliteDatabase, clock: () => Date) {
  // Made at the first login that needs it; a random secret nobody knows, so nothing verifies against it.
  let decoy: Promise<string> | undefined;
  const decoyHash = () => {
    decoy ??= hashDeviceSecret(generateDeviceSecret());
    return decoy;
  };
  const statements = {
    get: db.prepare<[string], DeviceRow>('SELECT * FROM devices WHERE device_id = ?'),
    list: db.prepare<[], DeviceRow>('SELECT * FROM devices ORDER BY device_id'),
    insert: db.prepare(
      'INSERT INTO devices (device_id, kind, secret_hash, patient_id, bed, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertWithCertificate: db.prepare(
      'INSERT INTO devices (device_id, kind, secret_hash, patient_id, bed, created_at, cert_fingerprint, cert_serial) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    byFingerprint: db.prepare<[string], DeviceRow>('SELECT * FROM devices WHERE cert_fingerprint = ?'),
    bind: db.prepare('UPDATE devices SET patient_id = ?, bed = ? WHERE device_id = ?'),
    revoke: db.prepare('UPDATE devices SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL'),
    revoked: db.prepare<[], { device_id: string }>(
      'SELECT device_id FROM devices WHERE revoked_at IS NOT NULL',
    ),
  };

  function toDevice(row: DeviceRow): RegisteredDevice {
    return {
      deviceId: row.device_id,
      kind: row.kind,
      ...(row.patient_id ? { patientId: row.patient_id } : {}),
      ...(row.bed ? { bed: row.bed } : {}),
      createdAt: row.created_at,
      ...(row.revoked_at ? { revokedAt: row.revoked_at } : {}),
      ...(row.cert_fingerprint
        ? { certificate: { fingerprint256: row.cert_fingerprint, serialNumber: row.cert_serial ?? '' } }
        : {}),
    };
  }

  function checkNewId(deviceId: string): void {
    if (!deviceIdPattern.test(deviceId)) {
      throw new GatewayError('GW_ERR_OPTION_INVALID', [
        'deviceId',
        'letters, digits, ".", "_" or "-", at most 64',
        deviceId,
      ]);
    }
    if (statements.get.get(deviceId)) throw new GatewayError('GW_ERR_DEVICE_EXISTS', [deviceId]);
  }

  return {
    /** Registers a device; returns the password to give it (shown once). */
    async add(input: AddDeviceInput): Promise<{ device: RegisteredDevice; password: string }> {
      checkNewId(input.deviceId);
      if (input.password !== undefined) checkDevicePassword(input.password);
      const password = input.password ?? generateDeviceSecret();
      const hash = await hashDeviceSecret(password);
      statements.insert.run(
        input.deviceId,
        input.kind ?? 'vitals-monitor',
        hash,
        input.patientId ?? null,
        input.bed ?? null,
        clock().toISOString(),
      );
      return { device: toDevice(statements.get.get(input.deviceId)!), password };
    },
    /** Refuses an id that is malformed or taken, before anything is made for it (a certificate). */
    checkNewId,
    /** Registers a device that logs in with the client certificate of this fingerprint; it has no password. */
    addWithCertificate(
      input: Omit<AddDeviceInput, 'password'> & { certificate: DeviceCertificate },
    ): RegisteredDevice {
      checkNewId(input.deviceId);
      statements.insertWithCertificate.run(
        input.deviceId,
        input.kind ?? 'vitals-monitor',
        certificateOnly,
        input.patientId ?? null,
        input.bed ?? null,
        clock().toISOString(),
        input.certificate.fingerprint256,
        input.certificate.serialNumber,
      );
      return toDevice(statements.get.get(input.deviceId)!);
    },
    /** The device a client certificate was issued to, by its SHA-256 fingerprint. */
    byCertificate(fingerprint256: string): RegisteredDevice | undefined {
      const row = statements.byFingerprint.get(fingerprint256);
      return row ? toDevice(row) : undefined;
    },
    get(deviceId: string): RegisteredDevice | undefined {
      const row = statements.get.get(deviceId);
      return row ? toDevice(row) : undefined;
    },
    list: (): RegisteredDevice[] => statements.list.all().map(toDevice),
    bind(deviceId: string, binding: { patientId?: string; bed?: string }): void {
      if (!statements.get.get(deviceId)) throw new GatewayError('GW_ERR_DEVICE_UNKNOWN', [deviceId]);
      statements.bind.run(binding.patientId ?? null, binding.bed ?? null, deviceId);
    },
    /**
     * Revokes a device: its credentials are refused from now on, and a running
     * gateway disconnects it at once (devices/revocationWatcher.ts). Revoking
     * again changes nothing; the record stays, for the log's sake.
     */
    revoke(deviceId: string): RegisteredDevice {
      if (!statements.get.get(deviceId)) throw new GatewayError('GW_ERR_DEVICE_UNKNOWN', [deviceId]);
      statements.revoke.run(clock().toISOString(), deviceId);
      return toDevice(statements.get.get(deviceId)!);
    },
    /** Ids of every revoked device. */
    revokedIds: (): string[] => statements.revoked.all().map((row) => row.device_id),
    /**
     * Checks a device's password; unknown, revoked and wrong all fail with the
     * reason (for logs, not the device). Every answer costs one scrypt: an
     * unknown or certificate device's password is checked against a decoy
     * hash, so how long a refusal takes does not tell which device ids exist
     * (docs/security.md#d-person-or-entity-authentication), as for users (auth/userStore.ts).
     */
    async authenticate(
      deviceId: string,
      password: string,
    ): Promise<{ ok: true; device: RegisteredDevice } | { ok: false; reason: string }> {
      const row = statements.get.get(deviceId);
      const hashed = row && !row.cert_fingerprint ? row.secret_hash : await decoyHash();
      const matches = await verifyDeviceSecret(password, hashed);
      if (!row) return { ok: false, reason: 'unknown device' };
      if (row.revoked_at) return { ok: false, reason: 'device revoked' };
      if (row.cert_fingerprint) return { ok: false, reason: 'device logs in with its client certificate' };
      if (!matches) return { ok: false, reason: 'wrong password' };
      return { ok: true, device: toDevice(row) };
    },
  };
}

export type DeviceRegistry = ReturnType<typeof createDeviceRegistry>;
