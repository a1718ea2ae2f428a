import type { SqliteDatabase } from '../eventStore/openDatabase.ts';
import type { AlertDoc } from './alerts.ts';

/**
 * Indexed reads of the alerts read model (migration 3): the open alerts and
 * one patient's alerts, without parsing every alert ever raised.
 */
// The literal `projection = 'alerts'` and the exact json_extract expressions let SQLite use the partial indexes.
export const alertQuerySql = {
  byStatus:
    "SELECT doc FROM projection_docs WHERE projection = 'alerts' AND json_extract(doc, '$.status') = ?",
  byPatient:
    "SELECT doc FROM projection_docs WHERE projection = 'alerts' AND json_extract(doc, '$.patientId') = ?",
} as const;

export function createAlertQueries(db: SqliteDatabase) {
  const byStatus = db.prepare<[string], { doc: string }>(alertQuerySql.byStatus);
  const byPatient = db.prepare<[string], { doc: string }>(alertQuerySql.byPatient);
  const parse = (rows: { doc: string }[]) => rows.map((row) => JSON.parse(row.doc) as AlertDoc);
  return {
    withStatus: (status: AlertDoc['status']): AlertDoc[] => parse(byStatus.all(status)),
    /** Active (nobody responded yet) and acknowledged (condition may persist). */
    open: (): AlertDoc[] => [...parse(byStatus.all('active')), ...parse(byStatus.all('acknowledged'))],
    ofPatient: (patientId: string): AlertDoc[] => parse(byPatient.all(patientId)),
  };
}

export type AlertQueries = ReturnType<typeof createAlertQueries>;
