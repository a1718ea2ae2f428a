import { GatewayError } from '../errors.ts';
import type { SqliteDatabase } from '../eventStore/openDatabase.ts';
import { generateDeviceSecret, hashDeviceSecret, verifyDeviceSecret } from './deviceSecrets.ts';

export interface RegisteredDevice {
  deviceId: string;
  kind: string;
  patientId?: string;
  bed?: string;
  createdAt: string;
  revokedAt?: string;
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
}

export const deviceIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Registered devices and their credentials (stored hashed). */
export function createDeviceRegistry(db: SqliteDatabase, clock: () => Date) {
  const statements = {
    get: db.prepare<[string], DeviceRow>('SELECT * FROM devices WHERE device_id = ?'),
    list: db.prepare<[], DeviceRow>('SELECT * FROM devices ORDER BY device_id'),
    insert: db.prepare(
      'INSERT INTO devices (device_id, kind, secret_hash, patient_id, bed, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
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
    };
  }

  return {
    /** Registers a device; returns the password to give it (shown once). */
    async add(input: AddDeviceInput): Promise<{ device: RegisteredDevice; password: string }> {
      if (!deviceIdPattern.test(input.deviceId)) {
        throw new GatewayError('GW_ERR_OPTION_INVALID', [
          'deviceId',
          'letters, digits, ".", "_" or "-", at most 64',
          input.deviceId,
        ]);
      }
      if (statements.get.get(input.deviceId))
        throw new GatewayError('GW_ERR_DEVICE_EXISTS', [input.deviceId]);
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
    /** Checks a device's password; unknown, revoked and wrong all fail with the reason (for logs, not the device). */
    async authenticate(
      deviceId: string,
      password: string,
    ): Promise<{ ok: true; device: RegisteredDevice } | { ok: false; reason: string }> {
      const row = statements.get.get(deviceId);
      if (!row) return { ok: false, reason: 'unknown device' };
      if (row.revoked_at) return { ok: false, reason: 'device revoked' };
      if (!(await verifyDeviceSecret(password, row.secret_hash)))
        return { ok: false, reason: 'wrong password' };
      return { ok: true, device: toDevice(row) };
    },
  };
}

export type DeviceRegistry = ReturnType<typeof createDeviceRegistry>;
