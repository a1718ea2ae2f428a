import { describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import { uuidV7 } from '../../../kernel/events/ids.ts';
import { validateDraft } from '../../../kernel/events/validateEvent.ts';
import type { AlertEpisodeDoc } from '../../../gateway/projections/alertEpisodes.ts';
import { reactToLabResult } from '../../../gateway/rules/labCriticalValueReactor.ts';
import { decideLabAlert, defaultLabRules } from '../../../gateway/rules/labCriticalValueRules.ts';

const none = () => undefined;

function labResult(data: Record<string, unknown>, patientId?: string): ClinicalEvent {
  return {
    eventId: uuidV7(),
    eventType: 'lab_result_available',
    timestamp: '2026-11-26T10:00:00.000Z',
    recordedAt: '2026-11-26T10:00:01.000Z',
    version: '1.0',
    ...(patientId ? { patientId } : {}),
    facilityId: 'facility-1',
    tenantId: 'tenant-1',
    source: 'lab-service',
    gatewayId: 'gw-1',
    seq: 1,
    hash: 'x',
    data: { deviceId: 'analyzer-1', ...data },
  } as unknown as ClinicalEvent;
}

describe('lab critical values (Kost 1990 defaults)', () => {
  it('raises a high-priority alert for potassium above 6.2 mmol/L, and none at 5.0', () => {
    const high = decideLabAlert({ testCode: 'K', value: 6.9, unit: 'mmol/L' }, defaultLabRules, none);
    expect(high).toMatchObject({
      kind: 'raise',
      value: 6.9,
      band: { direction: 'high', threshold: 6.2, severity: 'critical' },
    });
    expect(decideLabAlert({ testCode: 'K', value: 5.0, unit: 'mmol/L' }, defaultLabRules, none)).toEqual({
      kind: 'none',
    });
  });

  it('converts units: glucose 40 mg/dL is 2.22 mmol/L, critically low; haemoglobin 60 g/L is 6 g/dL', () => {
    expect(
      decideLabAlert({ testCode: 'GLU', value: 40, unit: 'mg/dL' }, defaultLabRules, none),
    ).toMatchObject({
      kind: 'raise',
      value: 2.22,
      band: { direction: 'low' },
    });
    expect(
      decideLabAlert({ testCode: '718-7', value: 60, unit: 'g/L' }, defaultLabRules, none),
    ).toMatchObject({
      kind: 'raise',
      value: 6,
    });
  });

  it('does not guess a unit it does not know', () => {
    expect(decideLabAlert({ testCode: 'HGB', value: 3, unit: '1' }, defaultLabRules, none)).toEqual({
      kind: 'none',
      reason: 'unit_unknown',
    });
  });

  it('raises once per episode for a patient, supersedes when worse, resolves back inside the limits', () => {
    const episode: AlertEpisodeDoc = {
      subjectId: 'p-1',
      parameter: 'potassium',
      alertId: 'a-1',
      severity: 'critical',
      direction: 'high',
    };
    const open = () => episode;
    expect(decideLabAlert({ testCode: 'K', value: 7.0, unit: 'mmol/L' }, defaultLabRules, open)).toEqual({
      kind: 'none',
    });
    expect(
      decideLabAlert({ testCode: 'K', value: 2.1, unit: 'mmol/L' }, defaultLabRules, open),
    ).toMatchObject({
      kind: 'raise',
      supersedes: episode,
    });
    expect(
      decideLabAlert({ testCode: 'K', value: 4.1, unit: 'mmol/L' }, defaultLabRules, open),
    ).toMatchObject({
      kind: 'resolve',
    });
  });

  it('turns a critical result into a critical_value_detected the catalogue accepts, caused by the result', () => {
    const result = labResult({ testCode: 'K', value: 7.1, unit: 'mmol/L' }, 'p-1');
    const [alert] = reactToLabResult(result, { rules: defaultLabRules, newId: uuidV7, openEpisode: none });
    expect(alert).toMatchObject({
      eventType: 'critical_value_detected',
      patientId: 'p-1',
      causationId: result.eventId,
      data: {
        parameter: 'potassium',
        value: 7.1,
        unit: 'mmol/L',
        priority: 'high',
        ruleId: 'kost1990-potassium',
        deviceId: 'analyzer-1',
      },
    });
    const verdict = validateDraft(alert);
    expect(verdict.ok ? [] : verdict.issues).toEqual([]);
  });

  it('alerts on every critical result filed under the facility: they may be different patients', () => {
    const episode: AlertEpisodeDoc = {
      subjectId: 'device:analyzer-1',
      parameter: 'potassium',
      alertId: 'a-1',
      severity: 'critical',
      direction: 'high',
    };
    const context = { rules: defaultLabRules, newId: uuidV7, openEpisode: () => episode };
    expect(reactToLabResult(labResult({ testCode: 'K', value: 7.1, unit: 'mmol/L' }), context)).toHaveLength(
      1,
    );
    expect(reactToLabResult(labResult({ testCode: 'K', value: 'haemolysed' }), context)).toEqual([]);
  });
});
