import { describe, expect, it } from 'vitest';
import {
  cliOutcomeViolation,
  crashOf,
  hangOf,
  malformedEvents,
  quarantineShortfall,
} from '../../../prove/input/inputInvariants.ts';
import { vitalsDraft } from '../../../gateway/broker/vitalsPayload.ts';

const reading = vitalsDraft(
  { seq: 1, timestamp: '2026-12-07T10:00:00.000Z', vitals: { spo2: { value: 97, unit: '%' } } },
  {
    deviceId: 'monitor-1',
    facilityId: 'fac-1',
    tenantId: 'tenant-1',
    newId: () => '01890000-0000-7000-8000-000000000001',
  },
);
const stored = (body: unknown, seq = 1) => ({
  seq,
  body: JSON.stringify({
    ...(body as object),
    gatewayId: 'gw-1',
    seq,
    recordedAt: '2026-12-07T10:00:01.000Z',
  }),
});

describe('the catalogue check of stored events', () => {
  it('passes an event the catalogue accepts, with the fields the log adds', () => {
    expect(malformedEvents([stored(reading)])).toEqual([]);
  });

  it('reports an event whose data breaks its schema, and a body that is not JSON', () => {
    const broken = { ...reading, data: { ...reading.data, oxygenSaturation: 'ninety' } };
    const violations = malformedEvents([stored(broken, 7), { seq: 8, body: '{not json' }]);
    expect(violations.map((v) => v.round)).toEqual([7, 8]);
    expect(violations[0]!.guarantee).toBe('no malformed event is stored');
  });
});

describe('the quarantine count', () => {
  it('is a violation when it rose by fewer than the refused inputs owed to it', () => {
    expect(quarantineShortfall({ entry: 'mqtt-payload', mustQuarantine: 5, quarantined: 4 })).toHaveLength(1);
    expect(quarantineShortfall({ entry: 'mqtt-payload', mustQuarantine: 5, quarantined: 5 })).toEqual([]);
  });
});

describe('hangs and crashes', () => {
  it('counts an answer past the limit as a hang, and one within it as none', () => {
    expect(hangOf('hl7-mllp', 3, 10_001, 10_000)?.detail).toContain('hl7-mllp input 3');
    expect(hangOf('hl7-mllp', 3, 9_999, 10_000)).toBeUndefined();
  });

  it('reports an exited gateway or one whose /health does not answer 200', () => {
    expect(crashOf('astm-tcp', { exited: true, healthStatus: undefined })?.detail).toContain('exited');
    expect(crashOf('astm-tcp', { exited: false, healthStatus: 500 })?.detail).toContain('500');
    expect(crashOf('astm-tcp', { exited: false, healthStatus: 200 })).toBeUndefined();
  });
});

describe('a CLI run', () => {
  const ok = {
    code: 1,
    stdout: '',
    stderr: 'GW_ERR_CLI_USAGE: Command line not understood: x',
    timedOut: false,
  };

  it('passes a coded error with exit 1, and a success', () => {
    expect(cliOutcomeViolation(['x'], ok, 0)).toBeUndefined();
    expect(cliOutcomeViolation(['help'], { ...ok, code: 0, stderr: '' }, 0)).toBeUndefined();
  });

  it('reports an uncoded error, a stack trace, a signal and a hang', () => {
    const cases = [
      { ...ok, stderr: "error: unknown option '--x'" },
      { ...ok, stderr: 'TypeError: boom\n    at main (/repo/cli/main.ts:3:5)' },
      { ...ok, code: null },
      { ...ok, timedOut: true },
    ];
    expect(cases.map((result) => cliOutcomeViolation(['--x'], result, 1)?.detail)).toEqual([
      expect.stringContaining('without a coded error'),
      expect.stringContaining('stack trace'),
      expect.stringContaining('signal'),
      expect.stringContaining('did not exit'),
    ]);
  });
});
