import { describe, expect, it } from 'vitest';
import { eventCatalogue } from '../../../kernel/events/catalogue.ts';
import type { EventDraft } from '../../../kernel/events/envelope.ts';
import type { JsonObject } from '../../../kernel/events/json.ts';
import { type ValidationIssue, validateDraft } from '../../../kernel/events/validateEvent.ts';
import { exampleData, exampleDraft, without } from '../../harness/exampleDrafts.ts';

/** The issues of a draft that must be refused (fails the test if it was accepted). */
function issuesOf(input: unknown): ValidationIssue[] {
  const result = validateDraft(input);
  if (result.ok)
    throw new Error(`expected the draft to be refused, but it was accepted: ${JSON.stringify(input)}`);
  return result.issues;
}

/** A draft of `eventType` whose data is the example with `changes` applied. */
function draftWithData(eventType: string, changes: JsonObject): EventDraft {
  return exampleDraft(eventType, { ...exampleData[eventType], ...changes });
}

const families = {
  patient: 'patient_registered',
  encounter: 'encounter_created',
  diagnosis: 'diagnosis_added',
  medication: 'medication_prescribed',
  lab: 'lab_result_available',
  device: 'vital_signs_recorded',
  alert: 'critical_value_detected',
  sudan: 'sudan_national_id_accessed',
  services: 'admission_saga_failed',
};

describe('validateDraft with a valid draft', () => {
  it.each(Object.entries(families))(
    'accepts a %s event (%s) and returns its catalogue entry',
    (_family, type) => {
      const result = validateDraft(exampleDraft(type));
      expect(result).toMatchObject({ ok: true, spec: { eventType: type } });
    },
  );

  it.each([...eventCatalogue.keys()])('accepts the example %s draft', (type) => {
    const result = validateDraft(exampleDraft(type));
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it('has an example for every event type of the catalogue, and none for unknown types', () => {
    expect(Object.keys(exampleData).sort()).toEqual([...eventCatalogue.keys()].sort());
  });

  it('accepts a newer minor version of the same major', () => {
    expect(validateDraft({ ...exampleDraft('patient_registered'), version: '1.7' }).ok).toBe(true);
  });
});

describe('validateDraft with an invalid draft', () => {
  it('refuses a missing required data field, naming the field and the rule', () => {
    const draft = exampleDraft(
      'patient_registered',
      without(exampleData.patient_registered!, 'registeredAt'),
    );
    expect(issuesOf(draft)).toContainEqual(
      expect.objectContaining({ field: '/data/registeredAt', rule: 'required' }),
    );
  });

  it('refuses a missing required envelope field, naming the field and the rule', () => {
    expect(issuesOf(without(exampleDraft('patient_registered'), 'tenantId'))).toContainEqual(
      expect.objectContaining({ field: '/tenantId', rule: 'required' }),
    );
  });

  it('refuses a value of the wrong type, naming the field and the rule', () => {
    const draft = draftWithData('vital_signs_recorded', { oxygenSaturation: { value: '97', unit: '%' } });
    expect(issuesOf(draft)).toContainEqual(
      expect.objectContaining({ field: '/data/oxygenSaturation/value', rule: 'type' }),
    );
  });

  it('refuses an event type that is not in the catalogue', () => {
    const issues = issuesOf({ ...exampleDraft('patient_registered'), eventType: 'patient_teleported' });
    expect(issues).toEqual([expect.objectContaining({ field: '/eventType', rule: 'catalogue' })]);
    expect(issues[0]?.message).toContain('patient_teleported');
  });

  it('refuses an extra property in data and in the envelope', () => {
    const extraData = draftWithData('diagnosis_added', { colour: 'red' });
    expect(issuesOf(extraData)).toContainEqual(
      expect.objectContaining({ field: '/data/colour', rule: 'additionalProperties' }),
    );
    const extraEnvelope = { ...exampleDraft('diagnosis_added'), colour: 'red' };
    expect(issuesOf(extraEnvelope)).toContainEqual(
      expect.objectContaining({ field: '/colour', rule: 'additionalProperties' }),
    );
  });

  it('refuses an event about a patient without patientId', () => {
    expect(issuesOf(without(exampleDraft('diagnosis_added'), 'patientId'))).toContainEqual(
      expect.objectContaining({ field: '/patientId', rule: 'required' }),
    );
  });

  it('refuses an event about the facility that names a patient', () => {
    const draft = { ...exampleDraft('sudan_moh_report_generated'), patientId: 'patient-uuid' };
    expect(issuesOf(draft)).toEqual([expect.objectContaining({ field: '/patientId', rule: 'subject' })]);
  });

  it('refuses an action by a person that does not name the user', () => {
    expect(issuesOf(without(exampleDraft('sudan_national_id_accessed'), 'userId'))).toEqual([
      expect.objectContaining({ field: '/userId', rule: 'required' }),
    ]);
  });

  it('refuses a major version the catalogue does not support', () => {
    const issues = issuesOf({ ...exampleDraft('medication_prescribed'), version: '2.0' });
    expect(issues).toEqual([expect.objectContaining({ field: '/version', rule: 'version' })]);
    expect(issues[0]?.message).toContain('current 1.0');
  });

  it('accepts a critical_value_detected of major 1 from a gateway not yet upgraded, and no other old major', () => {
    const fromOldGateway = { ...exampleDraft('critical_value_detected'), version: '1.0' };
    expect(validateDraft(fromOldGateway).ok).toBe(true);
    expect(issuesOf({ ...fromOldGateway, version: '0.9' })).toEqual([
      expect.objectContaining({ field: '/version', rule: 'version' }),
    ]);
  });

  it('still validates every major-1 critical value under the widened schema', () => {
    // The fields 1.0 required are one way a 2.0 alert is complete; a flag is the other.
    const { flag: _none, ...numeric } = exampleData.critical_value_detected!;
    expect(validateDraft(exampleDraft('critical_value_detected', numeric)).ok).toBe(true);
    const { threshold: _t, ...neitherLimitNorFlag } = numeric;
    expect(issuesOf(exampleDraft('critical_value_detected', neitherLimitNorFlag))).not.toEqual([]);
    const flagged = { ...neitherLimitNorFlag, flag: 'HH' };
    expect(validateDraft(exampleDraft('critical_value_detected', flagged)).ok).toBe(true);
  });

  it('refuses an eventId that is not a UUID', () => {
    expect(issuesOf({ ...exampleDraft('patient_registered'), eventId: 'evt-123-456-789' })).toContainEqual(
      expect.objectContaining({ field: '/eventId', rule: 'format' }),
    );
  });
});

describe('ICD-10 codes in diagnosis events', () => {
  it.each(['B50.9', 'A00', 'B54', 'B55.0', 'O80', 'U07.1', 'C4A.0', 'S72.001A'])('accepts %s', (code) => {
    expect(validateDraft(draftWithData('diagnosis_added', { code })).ok).toBe(true);
  });

  it.each(['b50.9', '50.9', 'B5', 'B50.', 'B50.12345', 'B50-9', 'B5O.9', ' B50.9'])(
    'refuses %j with a pattern issue on /data/code',
    (code) => {
      expect(issuesOf(draftWithData('diagnosis_added', { code }))).toContainEqual(
        expect.objectContaining({ field: '/data/code', rule: 'pattern' }),
      );
    },
  );

  it('refuses an update that changes the code without its display text', () => {
    const draft = exampleDraft('diagnosis_updated', {
      diagnosisId: 'dx-1',
      code: 'B54',
      updatedAt: '2024-10-08T11:00:00Z',
    });
    expect(issuesOf(draft)).toContainEqual(
      expect.objectContaining({ field: '/data', rule: 'dependentRequired' }),
    );
  });

  it('refuses an update that changes nothing', () => {
    const draft = exampleDraft('diagnosis_updated', {
      diagnosisId: 'dx-1',
      updatedAt: '2024-10-08T11:00:00Z',
    });
    expect(issuesOf(draft).map((issue) => issue.rule)).toContain('anyOf');
  });
});

describe('national IDs in patient events', () => {
  const ciphertext = 'enc:v1:k2024-10:AAECAwQFBgcICQoL:q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQ';

  it.each([
    ['plaintext', 'ABC123456789'],
    ['an 11-digit civil registry number', '12345678901'],
    ['ciphertext (enc:v1:...)', ciphertext],
  ])('accepts %s', (_kind, sudanNationalId) => {
    expect(validateDraft(draftWithData('patient_registered', { sudanNationalId })).ok).toBe(true);
  });

  it.each(['abc-123', 'enc:v2:k1:AAECAwQFBgcICQoL:q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQ', 'enc:v1:k1:short:xyz'])(
    'refuses %j, pointing at /data/sudanNationalId',
    (sudanNationalId) => {
      const fields = issuesOf(draftWithData('patient_registered', { sudanNationalId })).map(
        (issue) => issue.field,
      );
      expect(new Set(fields)).toEqual(new Set(['/data/sudanNationalId']));
    },
  );
});

describe('conditional rules of medication and lab events', () => {
  it('refuses a dose recorded as given without the dose', () => {
    const draft = exampleDraft(
      'medication_administered',
      without(exampleData.medication_administered!, 'doseGiven'),
    );
    expect(issuesOf(draft)).toContainEqual(
      expect.objectContaining({ field: '/data/doseGiven', rule: 'required' }),
    );
  });

  it('refuses a held dose without the reason, and accepts it with one', () => {
    const held = { ...without(exampleData.medication_administered!, 'doseGiven'), status: 'held' };
    expect(issuesOf(exampleDraft('medication_administered', held))).toContainEqual(
      expect.objectContaining({ field: '/data/reason', rule: 'required' }),
    );
    expect(
      validateDraft(exampleDraft('medication_administered', { ...held, reason: 'Nil by mouth' })).ok,
    ).toBe(true);
  });

  it('refuses a corrected lab result that does not say why', () => {
    expect(issuesOf(draftWithData('lab_result_available', { resultStatus: 'corrected' }))).toContainEqual(
      expect.objectContaining({ field: '/data/note', rule: 'required' }),
    );
  });

  it('accepts a lab result given as text, and refuses a flag outside HL7 table 0078', () => {
    const text = { testCode: '32700-7', testName: 'Malaria smear', value: 'P. falciparum ++', flags: ['A'] };
    expect(validateDraft(draftWithData('lab_result_available', text)).ok).toBe(true);
    expect(issuesOf(draftWithData('lab_result_available', { flags: ['CRIT'] }))).toContainEqual(
      expect.objectContaining({ field: '/data/flags/0', rule: 'enum' }),
    );
  });

  it('refuses a prescription without a dose unit of the list', () => {
    expect(
      issuesOf(draftWithData('medication_prescribed', { dose: { value: 4, unit: 'tabs' } })),
    ).toContainEqual(expect.objectContaining({ field: '/data/dose/unit', rule: 'enum' }));
  });
});
