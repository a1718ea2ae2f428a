import { describe, expect, it } from 'vitest';
import {
  certificateCheck,
  clockCheck,
  devicesCheck,
  diskCheck,
  doctorExitCode,
  hubCheck,
  portsCheck,
} from '../../../gateway/doctor/doctorChecks.ts';

const gib = 1024 ** 3;
const now = new Date('2026-11-26T10:00:00Z');

describe('doctor verdicts', () => {
  it('disk: ok with room, a warning under 2 GiB or 10 %, a failure under 512 MiB or 2 %', () => {
    expect(diskCheck(50 * gib, 100 * gib, 1e6).status).toBe('ok');
    expect(diskCheck(1.5 * gib, 20 * gib, 1e6).status).toBe('warn');
    expect(diskCheck(5 * gib, 100 * gib, 1e6).status).toBe('warn');
    expect(diskCheck(0.4 * gib, 100 * gib, 1e6)).toMatchObject({
      status: 'fail',
      action: expect.stringContaining('never delete gateway.db'),
    });
  });

  it('clock: a year before 2025 or time before the last event fails; NTP off warns', () => {
    expect(clockCheck(new Date('2000-01-01T00:00:00Z'), undefined, true).status).toBe('fail');
    expect(clockCheck(now, new Date('2026-11-26T11:00:00Z'), true)).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('before the last recorded event'),
    });
    expect(clockCheck(now, new Date('2026-11-26T09:59:30Z'), true).status).toBe('ok');
    expect(clockCheck(now, undefined, false).status).toBe('warn');
  });

  it('ports: a port another program holds fails and says how to find it', () => {
    expect(portsCheck([{ port: 8080, what: 'HTTP', state: 'ours' }]).status).toBe('ok');
    expect(portsCheck([{ port: 8080, what: 'HTTP', state: 'taken' }])).toMatchObject({
      status: 'fail',
      action: expect.stringContaining('ss -ltnp'),
    });
  });

  it('devices: none registered or silent for an hour warns', () => {
    expect(devicesCheck([], now).status).toBe('warn');
    expect(
      devicesCheck(
        [{ deviceId: 'm1', revoked: false, lastSeenAt: '2026-11-26T09:59:00Z', connected: true }],
        now,
      ).status,
    ).toBe('ok');
    expect(
      devicesCheck([{ deviceId: 'm1', revoked: false, lastSeenAt: '2026-11-26T08:00:00Z' }], now),
    ).toMatchObject({ status: 'warn', detail: expect.stringContaining('m1') });
  });

  it('hub: unreachable is a warning (nothing is lost), not a failure', () => {
    expect(hubCheck([]).status).toBe('ok');
    expect(hubCheck([{ broker: 'hub:9092', reachable: false, error: 'ECONNREFUSED' }]).status).toBe('warn');
  });

  it('certificates: under 30 days warns, expired fails', () => {
    expect(
      certificateCheck([{ what: 'gateway certificate', validTo: new Date('2027-06-01T00:00:00Z') }], now)
        .status,
    ).toBe('ok');
    expect(
      certificateCheck([{ what: 'gateway certificate', validTo: new Date('2026-12-10T00:00:00Z') }], now)
        .status,
    ).toBe('warn');
    expect(
      certificateCheck([{ what: 'gateway certificate', validTo: new Date('2026-11-01T00:00:00Z') }], now)
        .status,
    ).toBe('fail');
  });

  it('exits 2 only when a check failed', () => {
    expect(doctorExitCode([{ name: 'a', status: 'warn', detail: '' }])).toBe(0);
    expect(
      doctorExitCode([
        { name: 'a', status: 'ok', detail: '' },
        { name: 'b', status: 'fail', detail: '' },
      ]),
    ).toBe(2);
  });
});
