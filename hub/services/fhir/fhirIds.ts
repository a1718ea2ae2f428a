import { createHash } from 'node:crypto';

const fhirIdPattern = /^[A-Za-z0-9.-]{1,64}$/;

/**
 * A FHIR id (`[A-Za-z0-9-.]{1,64}`) for a domain id: the id itself when it
 * fits, else a stable digest of it (ids from gateways are any text up to 64).
 */
export function fhirId(domainId: string): string {
  if (fhirIdPattern.test(domainId)) return domainId;
  return `h-${createHash('sha256').update(domainId, 'utf8').digest('hex').slice(0, 40)}`;
}

/** A reference to a resource the hub keeps, by domain id. */
export function ref(resourceType: string, domainId: string): { reference: string } {
  return { reference: `${resourceType}/${fhirId(domainId)}` };
}

/** System URIs of the hub's own identifiers and codes (docs/fhir.md). */
export const systems = {
  nationalId: 'urn:nilecare:sid:sudan-national-id',
  patientId: 'urn:nilecare:sid:patient-id',
  mrn: (facilityId: string) => `urn:nilecare:sid:mrn:${facilityId}`,
  deviceId: 'urn:nilecare:sid:device-id',
  userId: 'urn:nilecare:sid:user-id',
  labCode: 'urn:nilecare:cs:lab-test-code',
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  atc: 'http://www.whocc.no/atc',
  snomed: 'http://snomed.info/sct',
  v3ActCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  v3ParticipationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  flagCategory: 'http://terminology.hl7.org/CodeSystem/flag-category',
  dischargeDisposition: 'http://terminology.hl7.org/CodeSystem/discharge-disposition',
  v20074: 'http://terminology.hl7.org/CodeSystem/v2-0074',
  v20203: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  vitalSignsProfile: 'http://hl7.org/fhir/StructureDefinition/vitalsigns',
} as const;
