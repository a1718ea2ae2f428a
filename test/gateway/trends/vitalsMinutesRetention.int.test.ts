import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftFor } from '../../../gateway/http/draftFor.ts';
import type { VitalsMinuteDoc } from '../../../gateway/projections/vitalsMinutes.ts';
import {
  defaultVitalsMinutesRetention,
  pruneVitalsMinutes,
  vitalsMinutesKeptFrom,
} from '../../../gateway/trends/vitalsMinutesRetention.ts';
import {
  buildInjectedGateway,
  type InjectedGateway,
  registerPatient,
} from '../../harness/injectedGateway.ts';

// The trend's read model keeps what the longest window (72 h) needs, over a real SQLite file.

let gateway: InjectedGateway;
beforeEach(async () => {
  gateway = await buildInjectedGateway();
  await registerPatient(gateway, 'p-fatima');
});
afterEach(async () => {
  await gateway.close();
});

/** A monitor reading measured `hoursAgo` before the gateway's clock. */
async function readingHoursAgo(hoursAgo: number) {
  const measuredAt = new Date(gateway.clock().getTime() - hoursAgo * 3600_000).toISOString();
  const outcome = await gateway.services.recorder.record({
    draft: draftFor(
      gateway.services,
      'vital_signs_recorded',
      { method: 'device', deviceId: 'monitor-1', measuredAt, heartRate: { value: 80, unit: '/min' } },
      { patientId: 'p-fatima', at: measuredAt },
    ),
    channel: 'mqtt',
    origin: 'test monitor',
  });
  expect(outcome.status).toBe('appended');
}

const minutes = () =>
  gateway.services.projections
    .all<VitalsMinuteDoc>('vitalsMinutes')
    .map((doc) => doc.minute)
    .sort();
const hoursAgo = (hours: number) =>
  new Date(Math.floor((gateway.clock().getTime() - hours * 3600_000) / 60_000) * 60_000).toISOString();

describe('the retention of the trend minutes', () => {
  it('keeps 78 hours: the 72-hour window and a margin', () => {
    expect(vitalsMinutesKeptFrom(new Date('2026-12-07T12:00:00.000Z'), defaultVitalsMinutesRetention)).toBe(
      '2026-12-04T06:00:00.000Z',
    );
  });

  it('prunes the minutes older than the retention, keeps the rest, and replay rebuilds them from the log', async () => {
    gateway.clock.advanceSeconds(100 * 3600);
    for (const hours of [90, 79, 77, 1]) await readingHoursAgo(hours);
    expect(minutes()).toEqual([hoursAgo(90), hoursAgo(79), hoursAgo(77), hoursAgo(1)]);

    const keptFrom = vitalsMinutesKeptFrom(gateway.clock(), defaultVitalsMinutesRetention);
    // Two minutes and the two quarter hours that hold them (projections/vitalsMinutes.ts).
    expect(pruneVitalsMinutes(gateway.services.db, keptFrom)).toBe(4);
    expect(minutes()).toEqual([hoursAgo(77), hoursAgo(1)]);

    // The log kept every reading: replay brings the pruned minutes back, the next pruning trims them again.
    gateway.services.projections.rebuild(gateway.services.log);
    expect(minutes()).toHaveLength(4);
    expect(pruneVitalsMinutes(gateway.services.db, keptFrom)).toBe(4);
    expect(pruneVitalsMinutes(gateway.services.db, keptFrom)).toBe(0);
  });
});
