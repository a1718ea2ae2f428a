import type { SqliteDatabase } from '../eventStore/openDatabase.ts';
import type { ValidationIssue } from '../../kernel/events/validateEvent.ts';
import { encryptField } from '../../kernel/phi/fieldCipher.ts';
import type { PhiKeyring } from '../../kernel/phi/phiKeyring.ts';

/** Where input came from: MQTT, the HTTP API, a serial port, a TCP connection (ASTM over TCP), HL7 over MLLP, or the gateway itself. */
export type InputChannel = 'mqtt' | 'http' | 'serial' | 'tcp' | 'hl7' | 'internal';

export interface QuarantineRecord {
  channel: InputChannel;
  /** Device id, topic or route: where it came from (never PHI). */
  origin: string;
  reasonCode: string;
  reason: string;
  issues?: readonly ValidationIssue[];
  raw?: Buffer | string;
  /** When the raw input is larger than what is kept, its true size. */
  rawSize?: number;
}

/** Most bytes of a refused input kept (sealed) for inspection. */
export const MAX_QUARANTINED_BYTES = 64 * 1024;

/** Writes refused input with its reason; the raw bytes are sealed with the PHI key (they may hold PHI). */
export function createQuarantineWriter(db: SqliteDatabase, keyring: PhiKeyring, clock: () => Date) {
  const insert = db.prepare(
    'INSERT INTO quarantine (received_at, channel, origin, reason_code, reason, issues, raw_size, raw_sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM quarantine');
  return {
    write(record: QuarantineRecord): number {
      const raw =
        record.raw === undefined
          ? undefined
          : Buffer.isBuffer(record.raw)
            ? record.raw
            : Buffer.from(record.raw, 'utf8');
      const kept = raw?.subarray(0, MAX_QUARANTINED_BYTES);
      const sealed = kept ? encryptField(kept.toString('base64'), 'quarantine.raw', keyring) : null;
      const result = insert.run(
        clock().toISOString(),
        record.channel,
        record.origin,
        record.reasonCode,
        record.reason,
        record.issues ? JSON.stringify(record.issues) : null,
        record.rawSize ?? raw?.length ?? 0,
        sealed,
      );
      return Number(result.lastInsertRowid);
    },
    count: () => count.get()!.n,
  };
}

export type QuarantineWriter = ReturnType<typeof createQuarantineWriter>;
