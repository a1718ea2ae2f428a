import type { ClinicalEvent, EventDraft } from '../../../kernel/events/envelope.ts';
import type { HubPool, HubTx } from '../../db/hubDatabase.ts';
import type { SourceRecord } from '../hubService.ts';
import type { Finding } from './complianceRules.ts';

export interface AuditEntry {
  event: EventDraft & Partial<Pick<ClinicalEvent, 'gatewayId' | 'seq' | 'hash' | 'recordedAt'>>;
  origin: 'gateway' | 'hub';
  hashVerified: boolean | null;
  record: SourceRecord;
  loggedAt: Date;
}

/** Appends one entry; false when the event is there already (the table refuses updates anyway). */
export async function appendAudit(tx: HubTx, entry: AuditEntry): Promise<boolean> {
  const { event, record } = entry;
  const result = await tx.query(
    `INSERT INTO audit_log (event_id, event_type, source, origin, gateway_id, seq, hash, hash_verified, patient_id,
       user_id, user_role, correlation_id, causation_id, facility_id, tenant_id, occurred_at, recorded_at, logged_at,
       topic, kafka_partition, kafka_offset, event)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
     ON CONFLICT (event_id) DO NOTHING`,
    [
      event.eventId,
      event.eventType,
      event.source,
      entry.origin,
      event.gatewayId ?? null,
      event.seq ?? null,
      event.hash ?? null,
      entry.hashVerified,
      event.patientId ?? null,
      event.userId ?? null,
      event.userRole ?? null,
      event.correlationId ?? null,
      event.causationId ?? null,
      event.facilityId,
      event.tenantId,
      event.timestamp,
      event.recordedAt ?? null,
      entry.loggedAt,
      record.topic,
      record.partition,
      record.offset,
      JSON.stringify(event),
    ],
  );
  return result.rowCount === 1;
}

export async function appendPhiAccess(
  tx: HubTx,
  event: EventDraft,
  gatewayId: string | undefined,
  loggedAt: Date,
): Promise<boolean> {
  const data = event.data as { accessReason: string; accessedAt: string; ipAddress: string };
  const result = await tx.query(
    `INSERT INTO phi_access_log (event_id, patient_id, user_id, user_role, facility_id, gateway_id, access_reason,
       ip_address, accessed_at, logged_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (event_id) DO NOTHING`,
    [
      event.eventId,
      event.patientId ?? '',
      event.userId ?? '',
      event.userRole ?? null,
      event.facilityId,
      gatewayId ?? null,
      data.accessReason,
      data.ipAddress,
      data.accessedAt,
      loggedAt,
    ],
  );
  return result.rowCount === 1;
}

/**
 * The busiest hour of `userId`'s national-ID reads that contains the read at
 * `at`: the most reads in any hour ending at a read from `at` to an hour
 * later, and when that hour ends. Reads arrive out of order (many
 * partitions), so an early read can complete a burst whose last read came first.
 */
export async function busiestHourAround(
  tx: HubTx,
  userId: string,
  at: Date,
): Promise<{ count: number; endsAt: Date }> {
  const { rows } = await tx.query<{ n: number; ends_at: Date }>(
    `SELECT (SELECT count(*)::int FROM phi_access_log b
             WHERE b.user_id = $1 AND b.accessed_at > a.accessed_at - interval '1 hour'
               AND b.accessed_at <= a.accessed_at) AS n,
            a.accessed_at AS ends_at
     FROM phi_access_log a
     WHERE a.user_id = $1 AND a.accessed_at >= $2 AND a.accessed_at < $2::timestamptz + interval '1 hour'
     ORDER BY n DESC, a.accessed_at LIMIT 1`,
    [userId, at],
  );
  const row = rows[0];
  return row ? { count: row.n, endsAt: row.ends_at } : { count: 0, endsAt: at };
}

/** Records a finding once; false when it was raised before (a replay, or a later read of the same burst). */
export async function recordFinding(
  tx: HubTx,
  finding: Finding,
  violationId: string,
  userId: string,
  at: Date,
): Promise<boolean> {
  const result = await tx.query(
    `INSERT INTO compliance_findings (rule, finding_key, violation_id, user_id, detected_at)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [finding.rule, finding.key, violationId, userId, at],
  );
  return result.rowCount === 1;
}

export interface AuditQuery {
  patientId?: string;
  userId?: string;
  correlationId?: string;
  eventType?: string;
  from?: Date;
  to?: Date;
  limit: number;
  /** The last id of the previous page. */
  after?: number;
}

const filters = (query: AuditQuery, columns: { time: string }) => {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    values.push(value);
    where.push(sql.replace('?', `$${values.length}`));
  };
  if (query.patientId) add('patient_id = ?', query.patientId);
  if (query.userId) add('user_id = ?', query.userId);
  if (query.correlationId && columns.time === 'occurred_at') add('correlation_id = ?', query.correlationId);
  if (query.eventType && columns.time === 'occurred_at') add('event_type = ?', query.eventType);
  if (query.from) add(`${columns.time} >= ?`, query.from);
  if (query.to) add(`${columns.time} < ?`, query.to);
  if (query.after !== undefined) add('id > ?', query.after);
  values.push(query.limit + 1);
  return {
    where: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '',
    values,
    limit: `$${values.length}`,
  };
};

interface AuditRow {
  id: string;
  event_id: string;
  event_type: string;
  source: string;
  origin: string;
  gateway_id: string | null;
  seq: string | null;
  hash_verified: boolean | null;
  patient_id: string | null;
  user_id: string | null;
  user_role: string | null;
  correlation_id: string | null;
  facility_id: string;
  occurred_at: Date;
  logged_at: Date;
}

/** A page of the audit trail in append order; `next` is the cursor of the page after, if any. */
export async function queryAudit(pool: HubPool, query: AuditQuery) {
  const { where, values, limit } = filters(query, { time: 'occurred_at' });
  const { rows } = await pool.query<AuditRow>(
    `SELECT id, event_id, event_type, source, origin, gateway_id, seq, hash_verified, patient_id, user_id, user_role,
       correlation_id, facility_id, occurred_at, logged_at FROM audit_log ${where} ORDER BY id LIMIT ${limit}`,
    values,
  );
  const page = rows.slice(0, query.limit);
  return {
    entries: page.map((row) => ({
      eventId: row.event_id,
      eventType: row.event_type,
      source: row.source,
      origin: row.origin,
      gatewayId: row.gateway_id,
      seq: row.seq === null ? null : Number(row.seq),
      hashVerified: row.hash_verified,
      patientId: row.patient_id,
      userId: row.user_id,
      userRole: row.user_role,
      correlationId: row.correlation_id,
      facilityId: row.facility_id,
      occurredAt: row.occurred_at.toISOString(),
      loggedAt: row.logged_at.toISOString(),
    })),
    next: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

interface AccessRow {
  id: string;
  event_id: string;
  patient_id: string;
  user_id: string;
  user_role: string | null;
  facility_id: string;
  gateway_id: string | null;
  access_reason: string;
  ip_address: string;
  accessed_at: Date;
}

/** A page of the PHI access log (who read which patient's national ID, when, from where, why). */
export async function queryPhiAccess(pool: HubPool, query: AuditQuery) {
  const { where, values, limit } = filters(query, { time: 'accessed_at' });
  const { rows } = await pool.query<AccessRow>(
    `SELECT id, event_id, patient_id, user_id, user_role, facility_id, gateway_id, access_reason, ip_address, accessed_at
     FROM phi_access_log ${where} ORDER BY id LIMIT ${limit}`,
    values,
  );
  const page = rows.slice(0, query.limit);
  return {
    entries: page.map((row) => ({
      eventId: row.event_id,
      patientId: row.patient_id,
      userId: row.user_id,
      userRole: row.user_role,
      facilityId: row.facility_id,
      gatewayId: row.gateway_id,
      accessReason: row.access_reason,
      ipAddress: row.ip_address,
      accessedAt: row.accessed_at.toISOString(),
    })),
    next: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
