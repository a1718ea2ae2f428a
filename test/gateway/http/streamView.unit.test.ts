import { describe, expect, it } from 'vitest';
import { personWrittenText, streamedEventTypes, streamView } from '../../../gateway/http/routes/stream.ts';
import { eventCatalogue } from '../../../kernel/events/catalogue.ts';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import { roles } from '../../../kernel/roles/permissions.ts';

const event = (eventType: string, data: Record<string, unknown>) =>
  ({ eventType, eventId: 'e-1', patientId: 'p-1', data }) as unknown as ClinicalEvent;

interface StringField {
  type?: string;
  maxLength?: number;
  enum?: unknown;
  format?: string;
  pattern?: string;
}
/** A string with no enum, format or pattern, and room for a sentence: 500 characters, or no limit. */
const isFreeText = (field: StringField) =>
  field.type === 'string' &&
  !field.enum &&
  !field.format &&
  !field.pattern &&
  (field.maxLength ?? 500) >= 500;

const movements = ['patient_admitted', 'patient_transferred', 'patient_discharged', 'encounter_closed'];

describe('what the live stream sends', () => {
  it('sends admissions, transfers and discharges as bare facts, without their data (free text stays home)', () => {
    for (const type of movements) {
      expect(streamedEventTypes.has(type)).toBe(true);
      for (const role of roles) {
        const sent = streamView(
          event(type, { encounterId: 'enc-1', reason: 'fell from a donkey cart' }),
          role,
        );
        expect(sent).toMatchObject({ eventType: type, patientId: 'p-1', data: {} });
      }
    }
  });

  it('sends readings and alerts whole, and never demographics', () => {
    const reading = event('vital_signs_recorded', { heartRate: 80 });
    for (const role of roles) expect(streamView(reading, role)).toBe(reading);
    expect(streamedEventTypes.has('patient_registered')).toBe(false);
    expect(streamedEventTypes.has('patient_updated')).toBe(false);
  });

  it("sends an alert's note to the roles that may read patients, and the alert without it to the others", () => {
    const note = 'Known TB, national ID SD7391046285';
    for (const type of ['alert_acknowledged', 'alert_resolved']) {
      const withNote = event(type, { alertId: 'a-1', note });
      for (const role of ['nurse', 'physician', 'admin'] as const)
        expect(streamView(withNote, role).data.note, `${type} to ${role}`).toBe(note);
      for (const role of ['technician', undefined] as const) {
        const sent = streamView(withNote, role);
        expect(sent.data, `${type} to ${role}`).toEqual({ alertId: 'a-1' });
        expect(JSON.stringify(sent)).not.toContain('SD7391046285');
      }
    }
  });

  it('withholds from those roles every field of a streamed event in which a person may type (500 characters or more)', () => {
    /** Long text that a device or the gateway writes, not a person: a monitor's alarm text, a saga's failure. */
    const machineWritten = ['device_alert_triggered.description', 'admission_saga_failed.reason'];
    const typed = [...streamedEventTypes]
      .filter((type) => !movements.includes(type))
      .flatMap((type) => {
        const properties =
          ((eventCatalogue.get(type)?.dataSchema ?? {}) as { properties?: object }).properties ?? {};
        return Object.entries(properties as Record<string, StringField>)
          .filter(([, field]) => isFreeText(field))
          .map(([field]) => `${type}.${field}`);
      });
    const withheld = Object.entries(personWrittenText).flatMap(([type, fields]) =>
      fields.map((field) => `${type}.${field}`),
    );
    expect(typed.filter((field) => !machineWritten.includes(field)).sort()).toEqual(withheld.sort());
  });
});
