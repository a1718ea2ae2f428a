import { describe, expect, it } from 'vitest';
import type { LatestVitalsDoc, VitalReading } from '../../../gateway/projections/latestVitals.ts';
import { news2ObservationSet } from '../../../gateway/rules/news2ObservationSet.ts';

const at = (minutes: number) =>
  new Date(Date.parse('2025-03-01T12:00:00.000Z') + minutes * 60_000).toISOString();
const quantity = (value: number, unit: string, minutes: number): VitalReading => ({
  value,
  unit,
  measuredAt: at(minutes),
  recordedAt: at(minutes),
  method: 'device',
  eventId: `event-${value}`,
});
const observed = <Value>(value: Value, minutes: number) => ({
  value,
  measuredAt: at(minutes),
  recordedAt: at(minutes),
  eventId: `event-${String(value)}`,
});

const doc = (respiratoryRateAt: number): LatestVitalsDoc => ({
  subjectId: 'patient-1',
  parameters: {
    respiratoryRate: quantity(18, '/min', respiratoryRateAt),
    oxygenSaturation: quantity(95, '%', 0),
    heartRate: quantity(80, '/min', 0),
    systolicBloodPressure: quantity(120, 'mm[Hg]', -10),
    temperature: quantity(37.2, 'Cel', -30),
  },
  supplementalOxygen: observed(false, -30),
  consciousness: observed('A' as const, -30),
  updatedAt: at(0),
});

describe('the observations one NEWS2 is scored from', () => {
  it('takes every parameter measured within the hour before the newest observation', () => {
    const set = news2ObservationSet(doc(-60), 3600);
    expect(set.stale).toEqual([]);
    expect(set.observations).toEqual({
      respiratoryRate: 18,
      oxygenSaturation: 95,
      heartRate: 80,
      systolicBloodPressure: 120,
      temperature: 37.2,
      supplementalOxygen: false,
      consciousness: 'A',
    });
    expect(set.takenAt).toBe(at(0));
  });

  it('leaves out a respiratory rate counted six hours before the rest, and names it stale', () => {
    const set = news2ObservationSet(doc(-360), 3600);
    expect(set.stale).toEqual(['respiratoryRate']);
    expect(set.observations.respiratoryRate).toBeUndefined();
  });

  it('orders by the time the gateway received a reading when the device clock runs ahead', () => {
    const ahead = doc(-60);
    ahead.parameters.heartRate = { ...quantity(80, '/min', 0), measuredAt: at(600) };
    expect(news2ObservationSet(ahead, 3600).takenAt).toBe(at(0));
  });

  it('is empty with no observations at all', () => {
    expect(news2ObservationSet(undefined, 3600)).toEqual({ observations: {}, stale: [], takenAt: undefined });
  });
});
