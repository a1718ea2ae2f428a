import { describe, expect, it } from 'vitest';
import { uuidV7 } from '../../../../kernel/events/ids.ts';
import { validateDraft } from '../../../../kernel/events/validateEvent.ts';
import {
  allergiesOf,
  checkPrescription,
  doseProblemsOf,
  guidelineFor,
  interactionsOf,
  type Prescription,
} from '../../../../hub/services/cds/cdsChecks.ts';
import { findingDraft } from '../../../../hub/services/cds/cdsFindingDrafts.ts';
import { loadCdsTables } from '../../../../hub/services/cds/cdsTables.ts';

const tables = loadCdsTables();

function rx(drugName: string, fields: Partial<Prescription> = {}): Prescription {
  return {
    medicationRequestId: `rx-${drugName}`,
    drugName,
    dose: { value: 100, unit: 'mg' },
    route: 'oral',
    frequency: 'daily',
    ...fields,
  };
}

describe('the shipped CDS tables', () => {
  it('say where they come from and carry a version', () => {
    for (const table of Object.values(tables)) {
      expect(table.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(table.source.length).toBeGreaterThan(20);
      expect(table.entries.length).toBeGreaterThan(0);
    }
  });
});

describe('a new prescription against the active ones', () => {
  it('finds warfarin with aspirin whichever came first, by name or ATC code', () => {
    const [finding] = interactionsOf(rx('Aspirin'), [rx('warfarin')], tables);
    expect(finding?.entry.severity).toBe('major');
    expect(finding?.with.medicationRequestId).toBe('rx-warfarin');
    expect(interactionsOf(rx('warfarin'), [rx('aspirin')], tables)).toHaveLength(1);
    expect(
      interactionsOf(rx('Coumadin', { atcCode: 'B01AA03' }), [rx('ASA', { atcCode: 'N02BA01' })], tables),
    ).toHaveLength(1);
  });

  it('finds nothing for drugs that do not interact, nor a prescription against itself', () => {
    expect(interactionsOf(rx('paracetamol'), [rx('amoxicillin')], tables)).toEqual([]);
    expect(interactionsOf(rx('warfarin'), [rx('warfarin')], tables)).toEqual([]);
  });
});

describe('the patient allergies', () => {
  it('match the drug itself and its class, by name or by ATC group', () => {
    expect(allergiesOf(rx('Amoxicillin'), ['Penicillin'], tables)).toEqual([
      { kind: 'allergy', allergen: 'Penicillin' },
    ]);
    expect(allergiesOf(rx('Amoxil', { atcCode: 'J01CA04' }), ['penicillin'], tables)).toHaveLength(1);
    expect(allergiesOf(rx('ibuprofen'), ['ibuprofen'], tables)).toHaveLength(1);
    expect(allergiesOf(rx('paracetamol'), ['penicillin', 'sulfonamide'], tables)).toEqual([]);
  });
});

describe('the dose', () => {
  it('fails above the single maximum, below the minimum and above the daily maximum', () => {
    expect(doseProblemsOf(rx('paracetamol', { dose: { value: 2000, unit: 'mg' } }), tables)[0]?.rule).toBe(
      'above_max_single_dose',
    );
    expect(doseProblemsOf(rx('paracetamol', { dose: { value: 50, unit: 'mg' } }), tables)[0]?.rule).toBe(
      'below_min_dose',
    );
    const daily = doseProblemsOf(
      rx('paracetamol', { dose: { value: 1000, unit: 'mg' }, frequency: 'q4h' }),
      tables,
    );
    expect(daily).toEqual([{ kind: 'dose', rule: 'above_max_daily_dose', limit: 'max 4000 mg/day' }]);
  });

  it('passes a usual dose, and a drug, route or unit the table does not cover', () => {
    expect(
      doseProblemsOf(rx('paracetamol', { dose: { value: 1000, unit: 'mg' }, frequency: 'qid' }), tables),
    ).toEqual([]);
    expect(doseProblemsOf(rx('paracetamol', { dose: { value: 9, unit: 'g' } }), tables)).toEqual([]);
    expect(
      doseProblemsOf(rx('paracetamol', { route: 'rectal', dose: { value: 9000, unit: 'mg' } }), tables),
    ).toEqual([]);
    expect(doseProblemsOf(rx('unlisted', { dose: { value: 9000, unit: 'mg' } }), tables)).toEqual([]);
    // prn: the day's total is not known, only the single dose is checked.
    expect(
      doseProblemsOf(rx('paracetamol', { dose: { value: 1000, unit: 'mg' }, frequency: 'prn' }), tables),
    ).toEqual([]);
  });
});

describe('the findings as events', () => {
  const cause = {
    eventId: uuidV7(),
    patientId: 'p-1',
    facilityId: 'f-1',
    tenantId: 't-1',
    correlationId: 'corr-1',
  };
  const context = { now: new Date('2026-11-26T10:00:00Z'), newId: uuidV7, tables, version: '0.1.0' };

  it('are valid catalogue events in the prescription correlation, caused by it', () => {
    const prescription = rx('paracetamol', { dose: { value: 5000, unit: 'mg' } });
    const findings = checkPrescription(
      prescription,
      { active: [rx('warfarin')], allergies: ['paracetamol'] },
      tables,
    );
    expect(findings.map((finding) => finding.kind)).toEqual(['allergy', 'dose']);
    const interaction = checkPrescription(rx('aspirin'), { active: [rx('warfarin')], allergies: [] }, tables);
    const drafts = [...findings, ...interaction].map((finding) =>
      findingDraft(finding, finding.kind === 'interaction' ? rx('aspirin') : prescription, cause, context),
    );
    expect(drafts.map((draft) => draft.eventType)).toEqual([
      'allergy_alert_generated',
      'dose_validation_failed',
      'medication_interaction_detected',
    ]);
    for (const draft of drafts) {
      expect(validateDraft(draft).ok).toBe(true);
      expect(draft).toMatchObject({
        causationId: cause.eventId,
        correlationId: 'corr-1',
        source: 'cds-service',
      });
    }
    expect(drafts[2]!.data).toMatchObject({
      drugs: [
        { drugName: 'aspirin', medicationRequestId: 'rx-aspirin' },
        { drugName: 'warfarin', medicationRequestId: 'rx-warfarin' },
      ],
      severity: 'major',
    });
  });
});

describe('a diagnosis', () => {
  it('gets the guideline of its ICD-10 group, or none', () => {
    expect(guidelineFor('B50.9', tables)?.title).toBe('WHO guidelines for malaria');
    expect(guidelineFor('I10', tables)?.publisher).toBe('World Health Organization');
    expect(guidelineFor('J18.9', tables)).toBeUndefined();
  });
});
