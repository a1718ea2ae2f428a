import { describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import type { JsonObject } from '../../../kernel/events/json.ts';
import { type LatestVitalsDoc, latestVitalsProjection } from '../../../gateway/projections/latestVitals.ts';
import { projectInMemory } from '../../../gateway/projections/projectionStore.ts';
import { eventBuilder, nurse } from '../../harness/handBuiltEvents.ts';

const patientId = 'patient-fatima';

function vitalsAfter(events: ClinicalEvent[], subjectId = patientId): LatestVitalsDoc | undefined {
  return projectInMemory([latestVitalsProjection], events).get('latestVitals')!.get(subjectId) as
    | LatestVitalsDoc
    | undefined;
}

// The gateway stores each reading after it was measured (recordedAt from 11:00).
const build = eventBuilder({ start: '2025-03-03T11:00:00.000Z' });

function deviceReading(
  measuredAt: string,
  vitals: JsonObject,
  envelope: Partial<ClinicalEvent> = { patientId },
): ClinicalEvent {
  return build.event(
    'vital_signs_recorded',
    { method: 'device', deviceId: 'monitor-1', bed: 'A-1', measuredAt, ...vitals },
    { source: 'device-integration-service', ...envelope },
  );
}

const spo2 = (value: number) => ({ oxygenSaturation: { value, unit: '%' } });
const pulse = (value: number) => ({ heartRate: { value, unit: '/min' } });

describe('latest vitals of a patient', () => {
  it('keeps the newest value of each parameter, with when and how it was measured', () => {
    const first = deviceReading('2025-03-03T10:00:00.000Z', { ...spo2(96), ...pulse(80) });
    const second = deviceReading('2025-03-03T10:01:00.000Z', spo2(93));
    const doc = vitalsAfter([first, second])!;
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
    const newer = deviceReading('2025-03-03T10:05:00.000Z', spo2(97));
    const late = deviceReading('2025-03-03T10:02:00.000Z', { ...spo2(88), ...pulse(120) });
    const doc = vitalsAfter([newer, late])!;
    expect(doc.parameters.oxygenSaturation).toMatchObject({ value: 97, eventId: newer.eventId });
    // ... but still fills in what the newer one did not measure.
    expect(doc.parameters.heartRate).toMatchObject({ value: 120, eventId: late.eventId });
  });

  it('compares measurement times as instants: a late reading without fractional seconds is still older', () => {
    const newer = deviceReading('2025-03-03T10:00:00.500Z', spo2(97));
    const late = deviceReading('2025-03-03T10:00:00Z', spo2(90));
    expect(vitalsAfter([newer, late])!.parameters.oxygenSaturation).toMatchObject({
      value: 97,
      eventId: newer.eventId,
    });
  });

  it('compares measurement times as instants: a late reading written in local time (+02:00) is still older', () => {
    const newer = deviceReading('2025-03-03T10:00:00.000Z', spo2(97));
    const late = deviceReading('2025-03-03T11:59:00+02:00', spo2(89));
    expect(vitalsAfter([newer, late])!.parameters.oxygenSaturation).toMatchObject({
      value: 97,
      eventId: newer.eventId,
    });
  });

  it('does not let a device clock running ahead hide the readings that follow it', () => {
    const storedAt = Date.parse(build.nextAt());
    const fromTheFuture = deviceReading('2025-03-04T09:00:00.000Z', spo2(97));
    // Stored a minute later by a device whose clock is right.
    const next = deviceReading(new Date(storedAt + 55_000).toISOString(), spo2(88));
    expect(vitalsAfter([fromTheFuture, next])!.parameters.oxygenSaturation).toMatchObject({
      value: 88,
      eventId: next.eventId,
    });
  });

  it('records a reading entered by hand as manual, with no device', () => {
    const manual = build.event(
      'vital_signs_recorded',
      { method: 'manual', measuredAt: '2025-03-03T10:10:00.000Z', temperature: { value: 38.4, unit: 'Cel' } },
      { patientId, ...nurse },
    );
    const doc = vitalsAfter([manual])!;
    expect(doc.parameters.temperature).toMatchObject({ value: 38.4, unit: 'Cel', method: 'manual' });
    expect(doc.parameters.temperature).not.toHaveProperty('deviceId');
  });
});

describe('a device bound to no patient', () => {
  it('keeps its readings under the device itself', () => {
    const reading = deviceReading('2025-03-03T10:00:00.000Z', spo2(95), {});
    const doc = vitalsAfter([reading], 'device:monitor-1')!;
    expect(doc.subjectId).toBe('device:monitor-1');
    expect(doc).not.toHaveProperty('patientId');
    expect(doc.parameters.oxygenSaturation?.value).toBe(95);
  });
});

describe('events that are not readings', () => {
  it('touch no vitals document', () => {
    const alert = build.event(
      'alert_acknowledged',
      { alertId: 'alert-1', acknowledgedAt: build.nextAt() },
      { patientId, ...nurse },
    );
    expect(latestVitalsProjection.docIdsOf(alert)).toEqual([]);
  });
});
