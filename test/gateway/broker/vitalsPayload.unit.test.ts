import { describe, expect, it } from 'vitest';
import { parseVitalsPayload, type ParsedVitals, vitalsDraft } from '../../../gateway/broker/vitalsPayload.ts';
import { validateDraft } from '../../../kernel/events/validateEvent.ts';
import { countingIds, testFacility } from '../../harness/handBuiltEvents.ts';

const timestamp = '2025-03-15T06:30:00.000Z';

function parse(payload: unknown): ParsedVitals {
  return parseVitalsPayload(
    Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8'),
  );
}

function issuesOf(payload: unknown) {
  const parsed = parse(payload);
  if (parsed.ok) throw new Error('expected the payload to be refused');
  expect(parsed.code).toBe('GW_ERR_PAYLOAD_INVALID');
  return parsed.issues.map(({ field, rule }) => ({ field, rule }));
}

function draftOf(payload: unknown, context: { patientId?: string; bed?: string } = {}) {
  const parsed = parse(payload);
  if (!parsed.ok) throw new Error(`expected the payload to pass: ${JSON.stringify(parsed.issues)}`);
  return vitalsDraft(parsed.payload, {
    deviceId: 'monitor-1',
    ...testFacility,
    newId: countingIds(),
    ...context,
  });
}

describe('a valid vitals payload', () => {
  const payload = {
    seq: 1042,
    timestamp,
    vitals: {
      spo2: { value: 96, unit: '%' },
      heartRate: { value: 84, unit: 'bpm' },
      respiratoryRate: { value: 18, unit: '/min' },
      systolic: { value: 118, unit: 'mmHg' },
      diastolic: { value: 76, unit: 'mm[Hg]' },
      temperature: { value: 37.2, unit: 'Cel' },
    },
  };

  it('becomes a vital_signs_recorded draft in the event units that the catalogue accepts', () => {
    const draft = draftOf(payload, { patientId: 'patient-1', bed: 'A-1' });
    expect(draft).toMatchObject({
      eventType: 'vital_signs_recorded',
      patientId: 'patient-1',
      timestamp,
      source: 'device-integration-service',
    });
    expect(draft.data).toEqual({
      method: 'device',
      deviceId: 'monitor-1',
      deviceSeq: 1042,
      bed: 'A-1',
      measuredAt: timestamp,
      oxygenSaturation: { value: 96, unit: '%' },
      heartRate: { value: 84, unit: '/min' },
      respiratoryRate: { value: 18, unit: '/min' },
      systolicBloodPressure: { value: 118, unit: 'mm[Hg]' },
      diastolicBloodPressure: { value: 76, unit: 'mm[Hg]' },
      temperature: { value: 37.2, unit: 'Cel' },
    });
    const checked = validateDraft(draft);
    expect(checked.ok ? [] : checked.issues).toEqual([]);
  });

  it('is filed under the patient the broker resolved, whatever the payload names', () => {
    expect(draftOf({ ...payload, patientId: 'patient-9' }, { patientId: 'patient-1' }).patientId).toBe(
      'patient-1',
    );
  });

  it('from a device bound to no patient has no patientId', () => {
    expect(draftOf(payload)).not.toHaveProperty('patientId');
  });
});

describe('unit conversion', () => {
  it('turns °F into Cel', () => {
    const draft = draftOf({ seq: 1, timestamp, vitals: { temperature: { value: 98.6, unit: '°F' } } });
    expect(draft.data.temperature).toEqual({ value: 37, unit: 'Cel' });
    const fever = draftOf({ seq: 2, timestamp, vitals: { temperature: { value: 102.2, unit: '[degF]' } } });
    expect(fever.data.temperature).toEqual({ value: 39, unit: 'Cel' });
  });

  it('turns kPa into mm[Hg]', () => {
    const draft = draftOf({
      seq: 1,
      timestamp,
      vitals: { systolic: { value: 16, unit: 'kPa' }, diastolic: { value: 10.6, unit: 'kPa' } },
    });
    expect(draft.data.systolicBloodPressure).toEqual({ value: 120.01, unit: 'mm[Hg]' });
    expect(draft.data.diastolicBloodPressure).toEqual({ value: 79.51, unit: 'mm[Hg]' });
  });
});

describe('a refused payload', () => {
  it('out of the possible range names the field and the rule range', () => {
    expect(issuesOf({ seq: 1, timestamp, vitals: { spo2: { value: 101, unit: '%' } } })).toEqual([
      { field: '/vitals/spo2/value', rule: 'range' },
    ]);
  });

  it('is judged in the event unit after conversion (50 kPa is 375 mm[Hg])', () => {
    expect(issuesOf({ seq: 1, timestamp, vitals: { systolic: { value: 50, unit: 'kPa' } } })).toEqual([
      { field: '/vitals/systolic/value', rule: 'range' },
    ]);
    expect(issuesOf({ seq: 1, timestamp, vitals: { temperature: { value: 120, unit: '°F' } } })).toEqual([
      { field: '/vitals/temperature/value', rule: 'range' },
    ]);
  });

  it('without a unit names the missing unit', () => {
    expect(issuesOf({ seq: 1, timestamp, vitals: { spo2: { value: 95 } } })).toContainEqual({
      field: '/vitals/spo2/unit',
      rule: 'required',
    });
  });

  it('with a unit the parameter cannot have names the unit', () => {
    expect(issuesOf({ seq: 1, timestamp, vitals: { heartRate: { value: 80, unit: 'kPa' } } })).toContainEqual(
      { field: '/vitals/heartRate/unit', rule: 'enum' },
    );
  });

  it('with an extra property names it, at the top and inside vitals', () => {
    expect(
      issuesOf({ seq: 1, timestamp, battery: 80, vitals: { spo2: { value: 95, unit: '%' } } }),
    ).toContainEqual({ field: '/battery', rule: 'additionalProperties' });
    expect(issuesOf({ seq: 1, timestamp, vitals: { glucose: { value: 5, unit: 'mmol/L' } } })).toContainEqual(
      { field: '/vitals/glucose', rule: 'additionalProperties' },
    );
  });

  it('without seq or timestamp names what is missing', () => {
    expect(issuesOf({ vitals: { spo2: { value: 95, unit: '%' } } })).toEqual(
      expect.arrayContaining([
        { field: '/seq', rule: 'required' },
        { field: '/timestamp', rule: 'required' },
      ]),
    );
  });

  it('with no measurement at all is refused', () => {
    expect(issuesOf({ seq: 1, timestamp, vitals: {} })).toContainEqual({
      field: '/vitals',
      rule: 'minProperties',
    });
  });

  it('with a value of the wrong type names the value', () => {
    expect(issuesOf({ seq: 1, timestamp, vitals: { spo2: { value: '95', unit: '%' } } })).toContainEqual({
      field: '/vitals/spo2/value',
      rule: 'type',
    });
  });

  it('that is not JSON says so', () => {
    expect(issuesOf('{"seq": 1, "vitals": ')).toEqual([{ field: '/', rule: 'json' }]);
  });
});
