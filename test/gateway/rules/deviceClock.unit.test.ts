import { describe, expect, it } from 'vitest';
import {
  defaultDeviceClockPolicy,
  implausibleClock,
  withDeviceClockVerdict,
} from '../../../gateway/rules/deviceClock.ts';
import { exampleDraft } from '../../harness/exampleDrafts.ts';

const receivedAt = new Date('2026-11-26T10:00:00.000Z');
const policy = defaultDeviceClockPolicy;

describe('a device measurement time', () => {
  it('is plausible from the floor up to a day ahead of the gateway', () => {
    expect(implausibleClock('2026-11-26T09:59:00.000Z', receivedAt, policy)).toBeUndefined();
    expect(implausibleClock('2020-01-01T00:00:00.000Z', receivedAt, policy)).toBeUndefined();
    expect(implausibleClock('2026-11-27T09:59:00.000Z', receivedAt, policy)).toBeUndefined();
  });

  it('is implausible before the floor: a clock reset to 1970, to year 1, or to 2001', () => {
    for (const reset of ['1970-01-01T00:00:00.000Z', '0001-01-01T00:00:00.000Z', '2001-01-01T00:00:00.000Z'])
      expect(implausibleClock(reset, receivedAt, policy), reset).toBe('before_floor');
  });

  it('is implausible before the device was registered at this gateway', () => {
    expect(implausibleClock('2025-06-01T00:00:00.000Z', receivedAt, policy, '2026-01-10T08:00:00.000Z')).toBe(
      'before_registration',
    );
  });

  it('is implausible more than the tolerance ahead of the gateway clock', () => {
    expect(implausibleClock('2026-11-27T10:00:01.000Z', receivedAt, policy)).toBe('ahead_of_gateway');
    expect(implausibleClock('2026-11-26T11:00:01.000Z', receivedAt, { ...policy, aheadSeconds: 3600 })).toBe(
      'ahead_of_gateway',
    );
  });
});

describe('the verdict on a draft', () => {
  const registered = () => '2026-01-10T08:00:00.000Z';

  it('marks a vital-signs reading from a reset clock in its metadata and keeps its data as sent', () => {
    const draft = exampleDraft('vital_signs_recorded', {
      method: 'device',
      deviceId: 'monitor-3',
      measuredAt: '1970-01-01T00:00:00.000Z',
      heartRate: { value: 80, unit: '/min' },
    });
    const marked = withDeviceClockVerdict(draft, receivedAt, policy, registered);
    expect(marked.metadata).toEqual({
      deviceClockImplausible: {
        reason: 'before_floor',
        measuredAt: '1970-01-01T00:00:00.000Z',
        receivedAt: '2026-11-26T10:00:00.000Z',
      },
    });
    expect(marked.data).toEqual(draft.data);
  });

  it('judges a lab result by its observedAt, and leaves a plausible one untouched', () => {
    const late = exampleDraft('lab_result_available');
    const future = { ...late, data: { ...late.data, observedAt: '2027-03-01T00:00:00.000Z' } };
    expect(withDeviceClockVerdict(future, receivedAt, policy, registered).metadata).toMatchObject({
      deviceClockImplausible: { reason: 'ahead_of_gateway' },
    });
    const now = { ...late, data: { ...late.data, observedAt: '2026-11-26T09:30:00.000Z' } };
    expect(withDeviceClockVerdict(now, receivedAt, policy, registered)).toBe(now);
  });

  it('leaves events that carry no measurement time alone', () => {
    const admitted = exampleDraft('patient_admitted');
    expect(withDeviceClockVerdict(admitted, receivedAt, policy, registered)).toBe(admitted);
  });
});
