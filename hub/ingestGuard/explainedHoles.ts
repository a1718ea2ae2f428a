import type { HubTx } from '../db/hubDatabase.ts';
import type { DeadLetterNotice } from './deadLetterNotice.ts';

/** A seq the gateway dead-lettered, as the chain needs it: its hash and when it was recorded. */
export interface ExplainedHole {
  seq: number;
  hash: string;
  recordedAt: string | null;
}

/** Stores a gateway's dead-letter notice once; false if it was stored before. */
export async function recordNotice(tx: HubTx, notice: DeadLetterNotice, receivedAt: Date): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO gateway_dead_letters
       (gateway_id, seq, event_id, event_type, hash, recorded_at, reason_code, reason, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
    [
      notice.gatewayId,
      notice.seq,
      notice.eventId,
      notice.eventType,
      notice.hash,
      notice.recordedAt,
      notice.reasonCode,
      notice.reason,
      receivedAt,
    ],
  );
  return rowCount === 1;
}

export async function explainedHoleAt(
  tx: HubTx,
  gatewayId: string,
  seq: number,
): Promise<ExplainedHole | undefined> {
  const { rows } = await tx.query<{ hash: string; recorded_at: Date | null }>(
    'SELECT hash, recorded_at FROM gateway_dead_letters WHERE gateway_id = $1 AND seq = $2',
    [gatewayId, seq],
  );
  const row = rows[0];
  return row && { seq, hash: row.hash, recordedAt: row.recorded_at?.toISOString() ?? null };
}

/** The holes of a gateway's seq it explained, from `fromSeq` up. */
export async function explainedHolesFrom(
  tx: HubTx,
  gatewayId: string,
  fromSeq: number,
): Promise<ExplainedHole[]> {
  const { rows } = await tx.query<{ seq: string; hash: string; recorded_at: Date | null }>(
    'SELECT seq, hash, recorded_at FROM gateway_dead_letters WHERE gateway_id = $1 AND seq >= $2',
    [gatewayId, fromSeq],
  );
  return rows.map((row) => ({
    seq: Number(row.seq),
    hash: row.hash,
    recordedAt: row.recorded_at?.toISOString() ?? null,
  }));
}

/**
 * The head moved over a hole the gateway explained: listed with the gaps,
 * explained from the start, never reported as a violation.
 */
export async function recordExplainedHole(
  tx: HubTx,
  gatewayId: string,
  seq: number,
  at: Date,
): Promise<void> {
  await tx.query(
    `INSERT INTO sequence_gaps (gateway_id, from_seq, to_seq, detected_at, explained_at, explanation)
     VALUES ($1, $2, $2, $3, $3, 'dead_lettered_at_gateway') ON CONFLICT DO NOTHING`,
    [gatewayId, seq, at],
  );
}

/**
 * A gap reported before the notice came: explained once every seq in it is
 * either stored or dead-lettered by the gateway.
 */
export async function explainReportedGaps(
  tx: HubTx,
  gatewayId: string,
  seq: number,
  at: Date,
): Promise<number> {
  const { rowCount } = await tx.query(
    `UPDATE sequence_gaps g SET explained_at = $3, explanation = 'dead_lettered_at_gateway'
     WHERE g.gateway_id = $1 AND g.explained_at IS NULL AND g.from_seq <= $2 AND g.to_seq >= $2
       AND (SELECT count(*) FROM generate_series(g.from_seq, g.to_seq) AS s(seq)
            WHERE EXISTS (SELECT 1 FROM gateway_events e WHERE e.gateway_id = g.gateway_id AND e.seq = s.seq)
               OR EXISTS (SELECT 1 FROM gateway_dead_letters d WHERE d.gateway_id = g.gateway_id AND d.seq = s.seq)
           ) = g.to_seq - g.from_seq + 1`,
    [gatewayId, seq, at],
  );
  return rowCount ?? 0;
}
