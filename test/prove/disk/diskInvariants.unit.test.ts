import { describe, expect, it } from 'vitest';
import {
  type FillCycle,
  fillCycleProblems,
  injectedFaultProblems,
  integrityProblems,
  type PressureAttempts,
} from '../../../prove/disk/diskInvariants.ts';

const held = (state: string): PressureAttempts => ({
  state,
  criticalReadingTaken: true,
  clinicianActionsTried: 3,
  clinicianActionsTaken: 3,
  telemetrySent: 20,
  telemetryPubacked: 0,
});

const goodCycle: FillCycle = {
  filledByGateway: true,
  low: held('low'),
  critical: held('critical'),
  brim: { gatewayAnswered: true },
  stateAfterDrain: 'ok',
  backlogDrained: true,
};

describe('the disk campaign checks each fill and drain cycle', () => {
  it('finds nothing wrong in a cycle that refused telemetry, took clinical facts and resumed', () => {
    expect(fillCycleProblems(goodCycle, 120)).toEqual([]);
  });

  it('reports a critical reading refused on a full disk', () => {
    expect(
      fillCycleProblems(
        { ...goodCycle, critical: { ...held('critical'), criticalReadingTaken: false } },
        120,
      ),
    ).toEqual(['a critical reading was not PUBACKed while critical']);
  });

  it('reports a clinician action refused, and a round in which none was tried', () => {
    expect(
      fillCycleProblems({ ...goodCycle, low: { ...held('low'), clinicianActionsTaken: 2 } }, 120),
    ).toEqual(['2 of 3 clinician actions taken while low']);
    expect(
      fillCycleProblems(
        { ...goodCycle, low: { ...held('low'), clinicianActionsTried: 0, clinicianActionsTaken: 0 } },
        120,
      ),
    ).toEqual(['0 of 0 clinician actions taken while low']);
  });

  it('reports telemetry PUBACKed while the disk is low, and a cycle with no refusal counted', () => {
    expect(fillCycleProblems({ ...goodCycle, low: { ...held('low'), telemetryPubacked: 4 } }, 0)).toEqual([
      '4 readings that raise no alert PUBACKed while low',
      'no refusal counted in nilecare_storage_refused_inputs_total',
    ]);
  });

  it('reports a disk that never reached the state a round was meant for', () => {
    expect(fillCycleProblems({ ...goodCycle, filledByGateway: false, critical: held('low') }, 5)).toEqual([
      'the gateway did not go from ok to low by its own telemetry',
      'the disk was low where critical was made',
    ]);
  });

  it('reports a gateway that stops answering when the disk is full to the last block', () => {
    expect(fillCycleProblems({ ...goodCycle, brim: { gatewayAnswered: false } }, 5)).toEqual([
      'the gateway stopped answering GET /health on a full disk',
    ]);
  });

  it('reports a gateway that does not resume once space returns', () => {
    expect(fillCycleProblems({ ...goodCycle, stateAfterDrain: 'low', backlogDrained: false }, 5)).toEqual([
      'the disk stayed low after the filler went',
      'readings held back while the disk was full were not all taken after',
    ]);
  });
});

describe('the disk campaign checks each injected I/O error', () => {
  it('reports a fault that failed no call (it proved nothing) and a gateway that took nothing after', () => {
    expect(
      injectedFaultProblems({
        fault: 'EIO',
        failedCalls: 4,
        exited: true,
        acceptingAfter: true,
        clinicianRefusals: ['GW_ERR_DISK_WRITE_FAILED', 'no answer'],
      }),
    ).toEqual([]);
    expect(
      injectedFaultProblems({
        fault: 'ENOSPC',
        failedCalls: 0,
        exited: false,
        acceptingAfter: false,
        clinicianRefusals: [],
      }),
    ).toEqual([
      'ENOSPC: the shim failed no write or sync',
      'ENOSPC: the gateway took no readings after the fault cleared',
    ]);
  });

  it('reports a clinician action the disk failed that was not answered with GW_ERR_DISK_WRITE_FAILED', () => {
    expect(
      injectedFaultProblems({
        fault: 'EIO',
        failedCalls: 4,
        exited: false,
        acceptingAfter: true,
        clinicianRefusals: ['GW_ERR_INTERNAL', 'no answer'],
      }),
    ).toEqual([
      'EIO: a clinician action the disk failed was answered GW_ERR_INTERNAL',
      'EIO: a clinician action the disk failed was answered no answer',
    ]);
  });

  it('accepts only the single row "ok" of PRAGMA integrity_check', () => {
    expect(integrityProblems(['ok'])).toEqual([]);
    expect(integrityProblems(['*** in database main ***', 'Page 7 is never used'])).toEqual([
      'PRAGMA integrity_check: *** in database main ***; Page 7 is never used',
    ]);
    expect(integrityProblems([])).toEqual(['PRAGMA integrity_check: no answer']);
  });
});
