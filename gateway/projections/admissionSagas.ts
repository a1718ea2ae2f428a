import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import {
  type AdmissionSagaEvent,
  type AdmissionSagaState,
  admissionSagaEventTypes,
  evolveAdmissionSaga,
} from '../sagas/admissionSaga.ts';
import type { Projection } from './projection.ts';

/**
 * The admission sagas, one document per saga: the saga's own fold
 * (sagas/admissionSaga.ts) kept as a read model, so the runner and
 * `GET /api/v1/admissions/:sagaId` read a saga without scanning the log.
 * The saga's events name it in `data.sagaId`; the encounter and admission
 * events it causes carry it as their `correlationId`.
 */
export const admissionSagasProjection: Projection<AdmissionSagaState> = {
  name: 'admissionSagas',
  version: 1,
  docIdsOf(event) {
    if (!admissionSagaEventTypes.has(event.eventType)) return [];
    const sagaId = (event.data as { sagaId?: unknown }).sagaId;
    if (typeof sagaId === 'string') return [sagaId];
    // encounter_created, patient_admitted, encounter_closed: a saga's only when it caused them.
    return event.correlationId ? [event.correlationId] : [];
  },
  evolve: (doc, event) => evolveAdmissionSaga(doc, asSagaEvent(event)),
};

/** A logged event as the saga reads it (its data already passed the catalogue schema). */
export function asSagaEvent(event: ClinicalEvent): AdmissionSagaEvent {
  return {
    eventType: event.eventType,
    data: event.data,
    timestamp: event.timestamp,
    seq: event.seq,
    ...(event.patientId ? { patientId: event.patientId } : {}),
  } as unknown as AdmissionSagaEvent;
}
