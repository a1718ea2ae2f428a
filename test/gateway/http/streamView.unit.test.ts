import { describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import { streamedEventTypes, streamView } from '../../../gateway/http/routes/stream.ts';

const event = (eventType: string, data: Record<string, unknown>) =>
  ({ eventType, eventId: 'e-1', patientId: 'p-1', data }) as unknown as ClinicalEvent;

describe('what the live stream sends', () => {
  it('sends admissions, transfers and discharges as bare facts, without their data (free text stays home)', () => {
    for (const type of [
      'patient_admitted',
      'patient_transferred',
      'patient_discharged',
      'encounter_closed',
    ]) {
      expect(streamedEventTypes.has(type)).toBe(true);
      const sent = streamView(event(type, { encounterId: 'enc-1', reason: 'fell from a donkey cart' }));
      expect(sent).toMatchObject({ eventType: type, patientId: 'p-1', data: {} });
    }
  });

  it('sends readings and alerts whole, and never demographics', () => {
    const reading = event('vital_signs_recorded', { heartRate: 80 });
    expect(streamView(reading)).toBe(reading);
    expect(streamedEventTypes.has('patient_registered')).toBe(false);
    expect(streamedEventTypes.has('patient_updated')).toBe(false);
  });
});
