import type { Spo2Scale } from '../../kernel/clinical/news2.ts';
import type { EncounterDoc } from './encounters.ts';
import type { PatientDoc } from './patients.ts';

/** Reads one document of one read model (ProjectionStore.getCached). */
export type DocReader = <Doc>(projection: string, docId: string) => Doc | undefined;

/**
 * The NEWS2 SpO2 scale of a patient (pure over the read models): the one a
 * clinician chose for the patient's current encounter (encounter_updated
 * news2Spo2Scale), else scale 1. The chart, the board and the aggregate-score
 * alert all read it here, so they score alike (docs/critical-values.md#news2-aggregate-score).
 */
export function spo2ScaleOfPatient(get: DocReader, patientId: string): Spo2Scale {
  const encounterId = get<PatientDoc>('patients', patientId)?.encounterId;
  const encounter = encounterId ? get<EncounterDoc>('encounters', encounterId) : undefined;
  return encounter?.status === 'in-progress' && encounter.news2Spo2Scale === 2 ? 2 : 1;
}
