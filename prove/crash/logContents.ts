import Database from 'better-sqlite3';
import { canonicalJson } from '../../kernel/events/canonical.ts';
import { dataPaths } from '../../gateway/openGatewayStore.ts';
import type { LoggedFacts, ReadModels, SagaLedger } from './crashInvariants.ts';

/** Everything the crash campaign checks in a gateway's database, read while the gateway is down. */
export interface LogContents {
  facts: LoggedFacts;
  sagas: SagaLedger;
  eventIds: Set<string>;
  events: number;
}

interface Body {
  eventId: string;
  eventType: string;
  correlationId?: string;
  data: { deviceId?: string; deviceSeq?: number; sagaId?: string };
  metadata?: { astm?: { specimenId?: string } };
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

/**
 * Reads the log on a read-only connection, counting each fact by the identity
 * its client holds: a reading by its device key taken from the event body
 * (not the de-duplication index), an event by its eventId, an admission by the
 * saga that completed it, an analyzer result by its specimen, an HL7 message
 * by its control id (MSH-10, in the key the HL7 driver stores).
 */
export function readLogContents(dataDir: string): LogContents {
  const db = new Database(dataPaths(dataDir).database, { readonly: true, fileMustExist: true });
  try {
    const facts = {
      mqtt: new Map<string, number>(),
      http: new Map<string, number>(),
      admission: new Map<string, number>(),
      astm: new Map<string, number>(),
      hl7: new Map<string, number>(),
    };
    const sagas = { started: new Set<string>(), completed: new Set<string>(), failed: new Set<string>() };
    const rows = db
      .prepare<[], { body: string; device_key: string | null }>(
        'SELECT body, device_key FROM events ORDER BY seq',
      )
      .iterate();
    let events = 0;
    for (const row of rows) {
      events += 1;
      const body = JSON.parse(row.body) as Body;
      bump(facts.http, body.eventId);
      const { data } = body;
      if (
        body.eventType === 'vital_signs_recorded' &&
        data.deviceSeq !== undefined &&
        !row.device_key?.startsWith('hl7:')
      )
        bump(facts.mqtt, `${data.deviceId}/vitals#${data.deviceSeq}`);
      const specimen = body.metadata?.astm?.specimenId;
      if (body.eventType === 'lab_result_available' && specimen) bump(facts.astm, specimen);
      const controlId = row.device_key?.startsWith('hl7:') ? row.device_key.split('/msg#')[1] : undefined;
      if (controlId) bump(facts.hl7, controlId);
      const sagaId = data.sagaId;
      if (body.eventType === 'admission_saga_started' && sagaId) sagas.started.add(sagaId);
      if (body.eventType === 'admission_saga_completed' && sagaId) {
        sagas.completed.add(sagaId);
        bump(facts.admission, sagaId);
      }
      if (body.eventType === 'admission_saga_failed' && sagaId) sagas.failed.add(sagaId);
    }
    return { facts, sagas, eventIds: new Set(facts.http.keys()), events };
  } finally {
    db.close();
  }
}

/**
 * The read models as the database holds them: each document by
 * "projection/id", as canonical JSON (the order of a document's fields is not
 * part of what it says).
 */
export function readModelsOf(databasePath: string): ReadModels {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const docs = new Map<string, string>();
    for (const row of db
      .prepare<[], { projection: string; doc_id: string; doc: string }>(
        'SELECT projection, doc_id, doc FROM projection_docs',
      )
      .iterate())
      docs.set(`${row.projection}/${row.doc_id}`, canonicalJson(JSON.parse(row.doc)));
    return docs;
  } finally {
    db.close();
  }
}
