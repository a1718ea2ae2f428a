import { describe, expect, it } from 'vitest';
import {
  admits,
  nextStorageState,
  refusingLanes,
  type StorageState,
} from '../../../gateway/storage/storageAdmission.ts';

const thresholds = { lowWaterBytes: 1000, criticalBytes: 300, recoverMarginBytes: 100 };

describe('disk-space state', () => {
  it('gets worse as soon as free space crosses a threshold', () => {
    expect(nextStorageState('ok', 1000, thresholds)).toBe('ok');
    expect(nextStorageState('ok', 999, thresholds)).toBe('low');
    expect(nextStorageState('ok', 299, thresholds)).toBe('critical');
    expect(nextStorageState('low', 299, thresholds)).toBe('critical');
  });

  it('gets better only once free space is the margin above the threshold', () => {
    expect(nextStorageState('low', 1050, thresholds)).toBe('low');
    expect(nextStorageState('low', 1100, thresholds)).toBe('ok');
    expect(nextStorageState('critical', 350, thresholds)).toBe('critical');
    expect(nextStorageState('critical', 400, thresholds)).toBe('low');
    expect(nextStorageState('critical', 5000, thresholds)).toBe('ok');
  });
});

describe('what is admitted', () => {
  const input = (lane: 'alert' | 'clinical' | 'telemetry' | 'audit', byPerson = false, alerts = false) => ({
    lane,
    byPerson,
    raisesAlert: () => alerts,
  });
  const states: StorageState[] = ['ok', 'low', 'critical'];
  const table = (candidate: ReturnType<typeof input>) => states.map((state) => admits(state, candidate));

  it('takes alerts and acknowledgements in every state', () => {
    expect(table(input('alert'))).toEqual([true, true, true]);
  });

  it('takes what a person did in every state', () => {
    expect(table(input('clinical', true))).toEqual([true, true, true]);
    expect(table(input('telemetry', true))).toEqual([true, true, true]);
  });

  it('refuses telemetry from low on, unless it raises or resolves an alert', () => {
    expect(table(input('telemetry'))).toEqual([true, false, false]);
    expect(table(input('telemetry', false, true))).toEqual([true, true, true]);
  });

  it('refuses machine-made clinical and audit events only at critical', () => {
    expect(table(input('clinical'))).toEqual([true, true, false]);
    expect(table(input('audit'))).toEqual([true, true, false]);
  });

  it('does not ask the rules about a reading while the disk is fine', () => {
    let asked = 0;
    admits('ok', { lane: 'telemetry', byPerson: false, raisesAlert: () => ++asked > 0 });
    expect(asked).toBe(0);
  });

  it('names the refused lanes for the health page', () => {
    expect(refusingLanes('ok')).toEqual([]);
    expect(refusingLanes('low')).toEqual(['telemetry']);
    expect(refusingLanes('critical')).toEqual(['telemetry', 'clinical', 'audit']);
  });
});
