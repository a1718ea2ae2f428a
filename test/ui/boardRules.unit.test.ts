import { describe, expect, it } from 'vitest';
import { boardSlots } from '../../ui/src/board/boardSlots.ts';
import { isStale, vitalStatus, withReading } from '../../ui/src/board/vitalSigns.ts';
import type { Patient, StreamEvent } from '../../ui/src/model.ts';

const patient = (
  patientId: string,
  bed: string | undefined,
  status: Patient['status'] = 'admitted',
): Patient => ({
  patientId,
  firstName: 'A',
  lastName: patientId,
  sex: 'female',
  registeredAt: '2026-11-26T08:00:00Z',
  updatedAt: '2026-11-26T08:00:00Z',
  status,
  ward: 'Ward A',
  ...(bed ? { bed } : {}),
});

const reading = (recordedAt: string, measuredAt: string, spo2: number): StreamEvent => ({
  seq: 1,
  eventId: `e-${recordedAt}`,
  eventType: 'vital_signs_recorded',
  version: '1.0',
  patientId: 'p1',
  facilityId: 'f1',
  tenantId: 't1',
  source: 'device-integration-service',
  gatewayId: 'g1',
  hash: '0'.repeat(64),
  recordedAt,
  timestamp: measuredAt,
  data: { method: 'device', deviceId: 'm1', measuredAt, oxygenSaturation: { value: spo2, unit: '%' } },
});

describe('what the ward board marks', () => {
  it('marks values out of range by the gateway’s own NEWS2 rules', () => {
    expect(vitalStatus('oxygenSaturation', 91)).toBe('critical');
    expect(vitalStatus('oxygenSaturation', 93)).toBe('warning');
    expect(vitalStatus('oxygenSaturation', 96)).toBe('normal');
    expect(vitalStatus('heartRate', 131)).toBe('critical');
    expect(vitalStatus('heartRate', 120)).toBe('warning');
    expect(vitalStatus('diastolicBloodPressure', 80)).toBe('normal');
  });

  it('calls a reading stale when the gateway says so or when it is older than a minute', () => {
    const now = Date.parse('2026-11-26T10:02:00Z');
    const base = {
      value: 97,
      unit: '%',
      method: 'device' as const,
      measuredAt: '2026-11-26T10:00:00Z',
      eventId: 'e1',
    };
    expect(isStale({ ...base, recordedAt: '2026-11-26T10:01:30Z' }, now)).toBe(false);
    expect(isStale({ ...base, recordedAt: '2026-11-26T10:00:30Z' }, now)).toBe(true);
    expect(isStale({ ...base, recordedAt: '2026-11-26T10:01:59Z', stale: true }, now)).toBe(true);
  });

  it('keeps the newest reading when a late one arrives on the stream', () => {
    const latest = withReading({}, reading('2026-11-26T10:00:05Z', '2026-11-26T10:00:04Z', 95));
    const late = withReading(latest, reading('2026-11-26T10:00:06Z', '2026-11-26T09:59:00Z', 80));
    expect(late.oxygenSaturation?.value).toBe(95);
    const newer = withReading(latest, reading('2026-11-26T10:00:09Z', '2026-11-26T10:00:08Z', 90));
    expect(newer.oxygenSaturation?.value).toBe(90);
  });

  it('shows every bed of the bed list in its order, free ones too, then every admitted patient it does not name', () => {
    const slots = boardSlots(
      [patient('p1', 'A2'), patient('p2', undefined), patient('p3', 'A9', 'discharged')],
      [
        { ward: 'Ward A', bed: 'A2', state: 'occupied', patientId: 'p1' },
        { ward: 'Ward A', bed: 'A3', state: 'reserved' },
        { ward: 'Maternity', bed: 'M1', state: 'free' },
      ],
    );
    expect(slots.map((slot) => [slot.bed, slot.state, slot.patient?.patientId])).toEqual([
      ['A2', 'occupied', 'p1'],
      ['A3', 'reserved', undefined],
      ['M1', 'free', undefined],
      [undefined, 'occupied', 'p2'],
    ]);
  });

  it('without a bed list, shows the admitted patients by bed', () => {
    const slots = boardSlots(
      [patient('p1', 'A2'), patient('p2', 'A1'), patient('p3', 'A3', 'registered')],
      undefined,
    );
    expect(slots.map((slot) => slot.patient?.patientId)).toEqual(['p2', 'p1']);
  });
});
