import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../kernel/events/json.ts';
import { latestVitalsProjection } from '../../../gateway/projections/latestVitals.ts';
import { projectionSpec } from '../../harness/givenWhenThen.ts';
import { type EventEnvelope, eventBuilder, nurse, vitals } from '../../harness/handBuiltEvents.ts';

const patientId = 'patient-fatima';
const latestVitals = projectionSpec(latestVitalsProjection);

// The gateway stores each reading after it was measured (recordedAt from 11:00).
const build = eventBuilder({ start: '2025-03-03T11:00:00.000Z', envelope: { patientId } });

/** A reading of monitor-1 in bed A-1, measured at `measuredAt`. */
const deviceReading = (measuredAt: string, measured: JsonObject, envelope: EventEnvelope = {}) =>
  build.vitalSignsRecorded(
    { method: 'device', deviceId: 'monitor-1', bed: 'A-1', measuredAt, ...measured },
    { source: 'device-integration-service', ...envelope },
  );

describe('latest vitals of a patient', () => {
  it('keeps the newest value of each parameter, with when and how it was measured', () => {
    const first = deviceReading('2025-03-03T10:00:00.000Z', vitals({ oxygenSaturation: 96, heartRate: 80 }));
    const second = deviceReading('2025-03-03T10:01:00.000Z', vitals({ oxygenSaturation: 93 }));
    const doc = latestVitals.given(first, second).doc(patientId);
    expect(doc.parameters.oxygenSaturation).toEqual({
      value: 93,
      unit: '%',
      measuredAt: '2025-03-03T10:01:00.000Z',
      recordedAt: second.recordedAt,
      method: 'device',
      deviceId: 'monitor-1',
      eventId: second.eventId,
    });
    // A parameter the newer reading did not carry keeps its older value.
    expect(doc.parameters.heartRate).toMatchObject({ value: 80, eventId: first.eventId });
    expect(doc).toMatchObject({
      subjectId: patientId,
      patientId,
      deviceId: 'monitor-1',
      bed: 'A-1',
      updatedAt: second.recordedAt,
    });
  });

  it('ignores an older reading that arrives late', () => {
    const newer = deviceReading('2025-03-03T10:05:00.000Z', vitals({ oxygenSaturation: 97 }));
    const late = deviceReading('2025-03-03T10:02:00.000Z', vitals({ oxygenSaturation: 88, heartRate: 120 }));
    latestVitals.given(newer, late).thenDocMatches(patientId, {
      parameters: {
        oxygenSaturation: { value: 97, eventId: newer.eventId },
        // ... but still fills in what the newer one did not measure.
        heartRate: { value: 120, eventId: late.eventId },
      },
    });
  });

  it('compares measurement times as instants: a late reading without fractional seconds is still older', () => {
    const newer = deviceReading('2025-03-03T10:00:00.500Z', vitals({ oxygenSaturation: 97 }));
    const late = deviceReading('2025-03-03T10:00:00Z', vitals({ oxygenSaturation: 90 }));
    latestVitals.given(newer, late).thenDocMatches(patientId, {
      parameters: { oxygenSaturation: { value: 97, eventId: newer.eventId } },
    });
  });

  it('compares measurement times as instants: a late reading written in local time (+02:00) is still older', () => {
    const newer = deviceReading('2025-03-03T10:00:00.000Z', vitals({ oxygenSaturation: 97 }));
    const late = deviceReading('2025-03-03T11:59:00+02:00', vitals({ oxygenSaturation: 89 }));
    latestVitals.given(newer, late).thenDocMatches(patientId, {
      parameters: { oxygenSaturation: { value: 97, eventId: newer.eventId } },
    });
  });

  it('does not let a device clock running ahead hide the readings that follow it', () => {
    const storedAt = Date.parse(build.nextAt());
    const fromTheFuture = deviceReading('2025-03-04T09:00:00.000Z', vitals({ oxygenSaturation: 97 }));
    // Stored a minute later by a device whose clock is right.
    const next = deviceReading(new Date(storedAt + 55_000).toISOString(), vitals({ oxygenSaturation: 88 }));
    latestVitals.given(fromTheFuture, next).thenDocMatches(patientId, {
      parameters: { oxygenSaturation: { value: 88, eventId: next.eventId } },
    });
  });

  it('records a reading entered by hand as manual, with no device', () => {
    const manual = build.vitalSignsRecorded(
      { method: 'manual', measuredAt: '2025-03-03T10:10:00.000Z', ...vitals({ temperature: 38.4 }) },
      nurse,
    );
    const { temperature } = latestVitals.given(manual).doc(patientId).parameters;
    expect(temperature).toMatchObject({ value: 38.4, unit: 'Cel', method: 'manual' });
    expect(temperature).not.toHaveProperty('deviceId');
  });
});

describe('a device bound to no patient', () => {
  it('keeps its readings under the device itself', () => {
    const reading = deviceReading('2025-03-03T10:00:00.000Z', vitals({ oxygenSaturation: 95 }), {
      patientId: undefined,
    });
    const doc = latestVitals.given(reading).doc('device:monitor-1');
    expect(doc.subjectId).toBe('device:monitor-1');
    expect(doc).not.toHaveProperty('patientId');
    expect(doc.parameters.oxygenSaturation?.value).toBe(95);
  });
});

describe('events that are not readings', () => {
  it('touch no vitals document', () => {
    latestVitals.given(build.alertAcknowledged({ alertId: 'alert-1' }, nurse)).thenTouches([]);
  });
});

describe('latest NEWS2 observations of a patient', () => {
  const manualEntry = (measuredAt: string, observed: JsonObject) =>
    build.vitalSignsRecorded(
      { method: 'manual', measuredAt, ...vitals({ respiratoryRate: 18 }), ...observed },
      { source: 'gateway-service', ...nurse },
    );

  it('keeps the latest supplemental oxygen and consciousness a nurse entered, beside the device readings', () => {
    const entry = manualEntry('2025-03-03T10:00:00.000Z', { supplementalOxygen: true, consciousness: 'V' });
    const reading = deviceReading('2025-03-03T10:01:00.000Z', vitals({ oxygenSaturation: 93 }));
    const doc = latestVitals.given(entry, reading).doc(patientId);
    expect(doc.supplementalOxygen).toEqual({
      value: true,
      measuredAt: '2025-03-03T10:00:00.000Z',
      recordedAt: entry.recordedAt,
      eventId: entry.eventId,
    });
    expect(doc.consciousness).toMatchObject({ value: 'V', eventId: entry.eventId });
  });

  it('does not let an older entry arriving late replace a newer observation', () => {
    const newer = manualEntry('2025-03-03T10:05:00.000Z', { consciousness: 'A' });
    const late = manualEntry('2025-03-03T10:00:00.000Z', { consciousness: 'P', supplementalOxygen: false });
    latestVitals.given(newer, late).thenDocMatches(patientId, {
      consciousness: { value: 'A', eventId: newer.eventId },
      supplementalOxygen: { value: false, eventId: late.eventId },
    });
  });
});
