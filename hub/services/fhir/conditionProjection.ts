import type { EventDraft } from '../../../kernel/events/envelope.ts';
import { fhirId, ref, systems } from './fhirIds.ts';
import type { FhirResource, ResourceChange } from './fhirTypes.ts';
import { actorRef, concept, type Data, merged, patientRef, str } from './projectionKit.ts';

const severityCodes: Record<string, [string, string]> = {
  mild: ['255604002', 'Mild'],
  moderate: ['6736007', 'Moderate'],
  severe: ['24484000', 'Severe'],
};

/** Condition (ICD-10) from diagnosis_added / updated / resolved; field names match FHIR one to one. */
export function conditionChange(event: EventDraft): ResourceChange | undefined {
  const data = event.data as Data;
  const diagnosisId = str(data, 'diagnosisId');
  if (!diagnosisId || !event.patientId) return undefined;
  return {
    resourceType: 'Condition',
    id: fhirId(diagnosisId),
    patientId: event.patientId,
    apply: (current) => conditionResource(current, event, diagnosisId, data),
  };
}

function conditionResource(
  current: FhirResource | undefined,
  event: EventDraft,
  diagnosisId: string,
  data: Data,
) {
  const code = str(data, 'code');
  const clinicalStatus = str(data, 'clinicalStatus');
  const verificationStatus = str(data, 'verificationStatus');
  const category = str(data, 'category');
  const severity = str(data, 'severity');
  const onset = str(data, 'onset');
  const abatement =
    str(data, 'abatement') ??
    (event.eventType === 'diagnosis_resolved' ? str(data, 'resolvedAt') : undefined);
  const encounterId = str(data, 'encounterId');
  const note = str(data, 'note');
  const fields: Record<string, unknown> = {
    identifier: [{ system: 'urn:nilecare:sid:diagnosis-id', value: diagnosisId }],
    subject: patientRef(event),
  };
  if (code) fields.code = concept(systems.icd10, code, str(data, 'display'), str(data, 'display'));
  if (clinicalStatus) fields.clinicalStatus = concept(systems.conditionClinical, clinicalStatus);
  if (verificationStatus)
    fields.verificationStatus = concept(systems.conditionVerification, verificationStatus);
  if (category) fields.category = [concept(systems.conditionCategory, category)];
  const severityCode = severity ? severityCodes[severity] : undefined;
  if (severityCode) fields.severity = concept(systems.snomed, ...severityCode);
  if (onset) fields.onsetDateTime = onset;
  if (abatement) fields.abatementDateTime = abatement;
  if (encounterId) fields.encounter = ref('Encounter', encounterId);
  if (note) fields.note = [{ text: note }];
  if (event.eventType === 'diagnosis_added') {
    fields.recordedDate = str(data, 'recordedAt');
    fields.recorder = actorRef(event);
  }
  const resource = merged(current, 'Condition', fhirId(diagnosisId), fields);
  // con-5: a condition entered in error has no clinical status.
  if (
    (resource.verificationStatus as { coding?: { code?: string }[] } | undefined)?.coding?.[0]?.code ===
    'entered-in-error'
  )
    delete resource.clinicalStatus;
  return resource;
}
