import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../ui/src/model.ts';
import { groupedTimeline } from '../../ui/src/screens/chart/timelineGroups.ts';

let seq = 1000;
/** Just the fields grouping reads; the rest of the envelope does not matter to it. */
const event = (eventType: string, timestamp: string, data: Record<string, unknown> = {}): TimelineEvent =>
  ({ eventType, timestamp: `2026-12-07T${timestamp}:00.000Z`, data, seq: seq-- }) as unknown as TimelineEvent;
const reading = (timestamp: string, deviceId = 'monitor-1') =>
  event('vital_signs_recorded', timestamp, {
    method: 'device',
    deviceId,
    heartRate: { value: 80, unit: '/min' },
  });

describe('the grouped timeline', () => {
  it("collapses one monitor's consecutive readings within an hour into one entry", () => {
    const entries = groupedTimeline([reading('13:59'), reading('13:30'), reading('13:00'), reading('12:59')]);
    expect(entries.map((entry) => (entry.kind === 'readings' ? entry.events.length : 'event'))).toEqual([
      3,
      'event',
    ]);
    expect(entries[0]).toMatchObject({
      kind: 'readings',
      deviceId: 'monitor-1',
      hour: '2026-12-07T13:00:00.000Z',
    });
  });

  it('keeps an alert, a hand entry and another monitor between readings as entries of their own, in order', () => {
    const entries = groupedTimeline([
      reading('13:50'),
      reading('13:40'),
      event('critical_value_detected', '13:35', { parameter: 'oxygenSaturation', value: 88 }),
      reading('13:30'),
      reading('13:20'),
      event('vital_signs_recorded', '13:15', {
        method: 'manual',
        respiratoryRate: { value: 24, unit: '/min' },
      }),
      reading('13:10', 'monitor-2'),
      reading('13:05'),
    ]);
    expect(
      entries.map((entry) =>
        entry.kind === 'readings' ? `${entry.events.length} readings` : entry.event.eventType,
      ),
    ).toEqual([
      '2 readings',
      'critical_value_detected',
      '2 readings',
      'vital_signs_recorded',
      'vital_signs_recorded',
      'vital_signs_recorded',
    ]);
  });

  it('leaves a single reading as a plain entry', () => {
    expect(
      groupedTimeline([reading('13:00'), event('patient_admitted', '12:00')]).map((entry) => entry.kind),
    ).toEqual(['event', 'event']);
  });
});
