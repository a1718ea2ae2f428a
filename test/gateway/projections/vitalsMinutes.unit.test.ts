import { describe, it } from 'vitest';
import type { JsonObject } from '../../../kernel/events/json.ts';
import { vitalsMinutesProjection } from '../../../gateway/projections/vitalsMinutes.ts';
import { projectionSpec } from '../../harness/givenWhenThen.ts';
import { eventBuilder, vitals } from '../../harness/handBuiltEvents.ts';

const patientId = 'patient-fatima';
const minutes = projectionSpec(vitalsMinutesProjection);
const build = eventBuilder({ start: '2025-03-03T11:00:00.000Z', envelope: { patientId } });
const reading = (measuredAt: string, measured: JsonObject) =>
  build.vitalSignsRecorded(
    { method: 'device', deviceId: 'monitor-1', measuredAt, ...measured },
    { source: 'device-integration-service' },
  );

describe("a patient's vital signs per minute", () => {
  it('keeps the extremes, the count and the latest by measurement time, even when a reading arrives late', () => {
    const docId = `${patientId}|2025-03-03T10:00:00.000Z`;
    minutes
      .given(
        reading('2025-03-03T10:00:10.000Z', vitals({ oxygenSaturation: 96 })),
        reading('2025-03-03T10:00:50.000Z', vitals({ oxygenSaturation: 92 })),
        reading('2025-03-03T10:00:30.000Z', vitals({ oxygenSaturation: 85 })),
      )
      .thenDocMatches(docId, {
        minute: '2025-03-03T10:00:00.000Z',
        device: { oxygenSaturation: { min: 85, max: 96, last: 92, count: 3 } },
      });
  });

  it('puts readings of another minute in another document', () => {
    const spec = minutes.given(
      reading('2025-03-03T10:00:59.000Z', vitals({ heartRate: 80 })),
      reading('2025-03-03T10:01:00.000Z', vitals({ heartRate: 90 })),
    );
    spec.thenDocMatches(`${patientId}|2025-03-03T10:00:00.000Z`, { device: { heartRate: { last: 80 } } });
    spec.thenDocMatches(`${patientId}|2025-03-03T10:01:00.000Z`, { device: { heartRate: { last: 90 } } });
  });

  it('keeps the latest consciousness entry by the time it was taken, not by the latest reading of the minute', () => {
    const docId = `${patientId}|2025-03-03T10:00:00.000Z`;
    minutes
      .given(
        reading('2025-03-03T10:00:05.000Z', { ...vitals({ heartRate: 80 }), consciousness: 'V' }),
        reading('2025-03-03T10:00:40.000Z', vitals({ heartRate: 82 })),
        // Taken at :20, stored after the :40 reading: still the latest consciousness entry.
        reading('2025-03-03T10:00:20.000Z', { ...vitals({ heartRate: 81 }), consciousness: 'A' }),
      )
      .thenDocMatches(docId, { consciousness: 'A' });
  });
});
