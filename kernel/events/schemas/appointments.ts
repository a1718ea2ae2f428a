/** Appointments: appointment_scheduled, to which the platform design's Notification service subscribes. */
import type { EventTypeSpec } from '../eventTypeSpec.ts';
import { dateTime, id, objectOf, text } from './common.ts';
import { define, family } from './serviceFamily.ts';

export const appointmentEvents: EventTypeSpec[] = [
  define(
    family('appointment-events', 'clinical', 'patient', 'appointment-service', 'gateway-service'),
    'appointment_scheduled',
    'A visit was booked (antenatal care, follow-up, vaccination ...); Notification confirms it.',
    objectOf(['appointmentId', 'startsAt', 'serviceType', 'scheduledAt'], {
      appointmentId: id,
      startsAt: dateTime,
      durationMinutes: { type: 'integer', minimum: 5, maximum: 480 },
      serviceType: text(100),
      practitionerId: id,
      location: text(100),
      reason: text(500),
      scheduledAt: dateTime,
    }),
  ),
];
