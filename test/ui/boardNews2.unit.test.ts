import { describe, expect, it } from 'vitest';
import { withReading } from '../../ui/src/board/vitalSigns.ts';
import type { StreamEvent } from '../../ui/src/model.ts';
import { boardNews2, withObservations } from '../../ui/src/news2/boardNews2.ts';

const entry = (measuredAt: string, data: Record<string, unknown>): StreamEvent => ({
  seq: 1,
  eventId: `e-${measuredAt}`,
  eventType: 'vital_signs_recorded',
  version: '1.0',
  patientId: 'p1',
  facilityId: 'f1',
  tenantId: 't1',
  source: 'gateway-service',
  gatewayId: 'g1',
  hash: '0'.repeat(64),
  recordedAt: measuredAt,
  timestamp: measuredAt,
  data: { method: 'manual', measuredAt, ...data },
});

describe("the board's NEWS2", () => {
  it('moves with a reading from the live stream and names what is missing', () => {
    const calm = withReading(
      {},
      entry('2026-11-26T10:00:00Z', { oxygenSaturation: { value: 97, unit: '%' } }),
    );
    expect(boardNews2(calm, {})).toMatchObject({ total: 0, band: 'low', complete: false });
    const falling = withReading(
      calm,
      entry('2026-11-26T10:01:00Z', { oxygenSaturation: { value: 90, unit: '%' } }),
    );
    const score = boardNews2(falling, {});
    expect(score).toMatchObject({ total: 3, band: 'lowMedium' });
    expect(score.missing).toEqual([
      'respiratoryRate',
      'supplementalOxygen',
      'systolicBloodPressure',
      'heartRate',
      'consciousness',
      'temperature',
    ]);
  });

  it('counts oxygen and consciousness a nurse entered, and an older entry arriving late does not replace them', () => {
    const entered = withObservations(
      {},
      entry('2026-11-26T10:05:00Z', { supplementalOxygen: true, consciousness: 'A' }),
    );
    const late = withObservations(entered, entry('2026-11-26T10:00:00Z', { consciousness: 'U' }));
    expect(late.consciousness?.value).toBe('A');
    expect(boardNews2({}, late)).toMatchObject({
      total: 2,
      scores: { supplementalOxygen: 2, consciousness: 0 },
    });
  });
});
