import type { ClinicalEvent } from '../../kernel/events/envelope.ts';

/**
 * Whom a reading or alert is about: the patient, or, for a device not bound
 * to a patient, the device itself ("device:<id>"), so its readings still show
 * on the ward board and still raise alerts.
 */
export function subjectOf(event: Pick<ClinicalEvent, 'patientId' | 'data'>): string | undefined {
  if (event.patientId) return event.patientId;
  const deviceId = (event.data as { deviceId?: unknown }).deviceId;
  return typeof deviceId === 'string' ? `device:${deviceId}` : undefined;
}
