import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventCatalogue } from '../../../../kernel/events/catalogue.ts';
import type { EventDraft } from '../../../../kernel/events/envelope.ts';
import type { FhirResource, ResourceChange } from '../../../../hub/services/fhir/fhirTypes.ts';
import { projectedEventTypes, projectEvent } from '../../../../hub/services/fhir/projectEvent.ts';
import { exampleData, exampleDraft } from '../../../harness/exampleDrafts.ts';
import { fhirExamplesDir, fhirSchemaErrors } from '../../../harness/fhirSchema.ts';

/** Applies changes in order over a map of resources, stamping meta as the store does. */
function applyAll(store: Map<string, FhirResource>, changes: ResourceChange[]) {
  for (const change of changes) {
    const key = `${change.resourceType}/${change.id}`;
    const current = store.get(key);
    const next = change.apply(current);
    const version = Number(current?.meta?.versionId ?? 0) + 1;
    store.set(key, {
      ...next,
      meta: { ...next.meta, versionId: String(version), lastUpdated: '2024-10-08T10:31:00.000Z' },
    });
  }
}

describe('the FHIR schema check itself', () => {
  it('accepts official examples and refuses a broken resource', () => {
    for (const name of ['Patient-example.json', 'Observation-heart-rate.json', 'Flag-example.json']) {
      expect(fhirSchemaErrors(JSON.parse(readFileSync(join(fhirExamplesDir, name), 'utf8'))), name).toEqual(
        [],
      );
    }
    expect(
      fhirSchemaErrors({ resourceType: 'Patient', id: 'p', gender: 'female', nickname: 'x' }),
    ).not.toEqual([]);
    expect(
      fhirSchemaErrors({ resourceType: 'Observation', id: 'o', status: 'done', code: { text: 'x' } }),
    ).not.toEqual([]);
  });
  it('has examples to compare with', () => {
    expect(readdirSync(fhirExamplesDir).length).toBeGreaterThan(10);
  });
});

describe('projection of events into FHIR R4 resources', () => {
  const projected = (eventType: string, data?: Record<string, unknown>, phi = {}) => {
    const store = new Map<string, FhirResource>();
    applyAll(store, projectEvent(exampleDraft(eventType, data as never), phi));
    return [...store.values()];
  };

  it('makes resources that validate against the official FHIR R4 schema for every catalogue example', () => {
    const problems: string[] = [];
    let made = 0;
    for (const eventType of eventCatalogue.keys()) {
      for (const resource of projected(eventType, undefined, { nationalId: 'ABC123456789' })) {
        made += 1;
        problems.push(...fhirSchemaErrors(resource).map((error) => `${eventType}: ${error}`));
      }
    }
    expect(problems).toEqual([]);
    expect(made).toBeGreaterThanOrEqual(projectedEventTypes.length);
  });

  it('writes a lab value reported below its limit ("<0.5") with its comparator, and no resource for a QC run', () => {
    const base = exampleData.lab_result_available as Record<string, unknown>;
    const [observation] = projected('lab_result_available', {
      ...base,
      value: 0.5,
      comparator: '<',
      unit: 'mg/L',
    });
    expect(observation).toMatchObject({
      resourceType: 'Observation',
      valueQuantity: { value: 0.5, comparator: '<' },
    });
    expect(fhirSchemaErrors(observation!)).toEqual([]);
    expect(projected('lab_result_available', { ...base, qc: { control: 'CTRL MEDIUM' } })).toEqual([]);
  });

  it('keeps FHIR invariant mad-1 for a held or refused dose: no dosage without a dose, the route in a note', () => {
    for (const status of ['held', 'refused'] as const) {
      const [administration] = projected('medication_administered', {
        administrationId: `mar-${status}`,
        medicationRequestId: 'rx-1',
        status,
        reason: 'patient_refused',
        route: 'oral',
        administeredAt: '2024-10-08T10:30:00.000Z',
      }).filter((resource) => resource.resourceType === 'MedicationAdministration');
      expect(administration).toMatchObject({ status: 'not-done', note: [{ text: 'route: oral' }] });
      expect(administration).not.toHaveProperty('dosage');
      expect(fhirSchemaErrors(administration!)).toEqual([]);
    }
    const [given] = projected('medication_administered').filter(
      (resource) => resource.resourceType === 'MedicationAdministration',
    );
    const dosage = (given as { dosage?: { dose?: unknown; rateQuantity?: unknown } }).dosage;
    expect(dosage?.dose ?? dosage?.rateQuantity).toBeDefined();
  });

  it('projects every type it claims to, and nothing for the rest', () => {
    for (const eventType of eventCatalogue.keys()) {
      const count = projected(eventType).length;
      if ((projectedEventTypes as readonly string[]).includes(eventType))
        expect(count, eventType).toBeGreaterThan(0);
      else expect(count, eventType).toBe(0);
    }
  });

  it('makes a Flag that names the analyzer flag for a critical value the flag alone raised', () => {
    const [flag] = projected('critical_value_detected', {
      alertId: 'alert-9',
      parameter: 'WBC',
      value: 105600,
      unit: '{cells}/uL',
      direction: 'high',
      flag: 'HH',
      testCode: 'WBC',
      severity: 'critical',
      priority: 'high',
      ruleId: 'analyzer-flag',
      detectedAt: '2026-11-26T08:42:10.000Z',
    });
    expect(flag?.code).toEqual({ text: expect.any(String) });
    expect((flag!.code as { text: string }).text).toBe(
      'Critical value (critical): WBC high 105600 {cells}/uL, the analyzer flagged the result HH (critically high)',
    );
    expect(fhirSchemaErrors(flag!)).toEqual([]);
    const [text] = projected('critical_value_detected', {
      alertId: 'alert-10',
      parameter: 'MALARIA',
      valueText: 'POSITIVE',
      flag: 'AA',
      severity: 'critical',
      priority: 'high',
      ruleId: 'analyzer-flag',
      detectedAt: '2026-11-26T08:42:10.000Z',
    });
    expect((text!.code as { text: string }).text).toBe(
      'Critical value (critical): MALARIA POSITIVE, the analyzer flagged the result AA (critically abnormal)',
    );
  });

  it('keeps the stored sealed national ID when the same one arrives sealed again, and takes a new one', () => {
    const stored = 'enc:v1:k1:first:sealed';
    const registered = projectEvent(exampleDraft('patient_registered'), { nationalId: stored })[0]!.apply(
      undefined,
    );
    const nationalIdOf = (resource: FhirResource) =>
      (resource.identifier as { system: string; value: string }[]).find(
        (identifier) => identifier.system === 'urn:nilecare:sid:sudan-national-id',
      )?.value;
    const update = exampleDraft('patient_updated');
    const same = projectEvent(update, {
      nationalId: 'enc:v1:k1:again:sealed',
      sameNationalId: (value) => value === stored,
    })[0]!.apply(registered);
    expect(nationalIdOf(same)).toBe(stored);
    const other = projectEvent(update, {
      nationalId: 'enc:v1:k1:other:sealed',
      sameNationalId: () => false,
    })[0]!.apply(registered);
    expect(nationalIdOf(other)).toBe('enc:v1:k1:other:sealed');
  });

  it('puts the national ID only in the Patient identifier, and vital signs under LOINC with the profile', () => {
    const [patient] = projected('patient_registered', undefined, { nationalId: 'ABC123456789' });
    expect(patient?.identifier).toContainEqual(
      expect.objectContaining({ system: 'urn:nilecare:sid:sudan-national-id', value: 'ABC123456789' }),
    );
    expect(JSON.stringify(patient)).not.toContain('+2499'); // the phone stays out
    const vitals = projected('vital_signs_recorded', {
      method: 'device',
      measuredAt: '2024-10-08T10:30:00.000Z',
      heartRate: { value: 128, unit: '/min' },
      oxygenSaturation: { value: 88, unit: '%' },
      respiratoryRate: { value: 24, unit: '/min' },
      temperature: { value: 38.9, unit: 'Cel' },
      systolicBloodPressure: { value: 90, unit: 'mm[Hg]' },
      diastolicBloodPressure: { value: 60, unit: 'mm[Hg]' },
    });
    const codes = vitals
      .map((resource) => (resource.code as { coding: { code: string }[] }).coding[0]?.code)
      .sort();
    expect(codes).toEqual(['59408-5', '8310-5', '85354-9', '8867-4', '9279-1']);
    for (const resource of vitals) {
      expect(resource.meta?.profile).toEqual(['http://hl7.org/fhir/StructureDefinition/vitalsigns']);
      expect(fhirSchemaErrors(resource)).toEqual([]);
    }
    const bp = vitals.find((resource) => JSON.stringify(resource.code).includes('85354-9'));
    const components = (bp?.component ?? []) as { code: { coding: { code: string }[] } }[];
    expect(components.map((c) => c.code.coding[0]?.code)).toEqual(['8480-6', '8462-4']);
  });

  it('keeps one resource per domain id across events, and moves an encounter status only forward', () => {
    const store = new Map<string, FhirResource>();
    const event = (eventType: string, data: Record<string, unknown>): EventDraft =>
      exampleDraft(eventType, data as never);
    applyAll(store, projectEvent(event('patient_discharged', exampleData.patient_discharged as never)));
    applyAll(store, projectEvent(event('patient_admitted', exampleData.patient_admitted as never)));
    const encounters = [...store.values()].filter((resource) => resource.resourceType === 'Encounter');
    expect(encounters).toHaveLength(1);
    expect(encounters[0]?.status).toBe('finished');
    expect(encounters[0]?.meta?.versionId).toBe('2');
    expect(fhirSchemaErrors(encounters[0])).toEqual([]);
  });
});
