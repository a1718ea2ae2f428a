/** The admission saga's steps (the platform design, "Event Flow Patterns" > "Saga Pattern"). */
import type { EventTypeSpec } from '../eventTypeSpec.ts';
import { dateTime, id, objectOf, text } from './common.ts';
import { channel } from './notifications.ts';
import { define, family } from './serviceFamily.ts';

// On clinical-events, which every service reads: each step is read by the
// others. The orchestrator runs at the hub (ehr-service) or, when the clinic
// is offline, on the gateway, which keeps the clinic's bed board.
const saga = family('clinical-events', 'clinical', 'patient', 'gateway-service', 'ehr-service');
const sagaStep = (required: readonly string[], properties: Record<string, unknown>) =>
  objectOf(['sagaId', ...required], { sagaId: id, ...properties });
const ward = text(64);
const bed = text(32);
// The platform design's "delete_encounter" is close_encounter here: the log is append-only,
// so the encounter ends with encounter_closed (reason admission_cancelled).
const compensation = { type: 'string', enum: ['release_bed', 'close_encounter'] } as const;

export const admissionSagaEvents: EventTypeSpec[] = [
  define(
    saga,
    'admission_saga_started',
    'An admission began: reserve a bed, create the encounter, notify the care team.',
    // 1.1 adds encounterClass and attendingPhysician (optional), which a saga
    // resumed after a restart needs to create the encounter and admit.
    sagaStep(['ward', 'startedAt'], {
      ward,
      bed,
      reason: text(500),
      encounterClass: { type: 'string', enum: ['inpatient', 'outpatient', 'emergency', 'maternity'] },
      attendingPhysician: text(128),
      startedAt: dateTime,
    }),
    '1.1',
  ),
  define(
    saga,
    'bed_reserved',
    'Step 1 of the admission saga: a bed is held for the patient.',
    sagaStep(['ward', 'bed', 'reservedAt'], { ward, bed, reservedAt: dateTime, expiresAt: dateTime }),
  ),
  define(
    saga,
    'bed_released',
    'A held bed was given up: compensation of a failed admission, or the hold expired.',
    sagaStep(['ward', 'bed', 'reason', 'releasedAt'], {
      ward,
      bed,
      reason: { type: 'string', enum: ['saga_compensation', 'reservation_expired', 'admission_cancelled'] },
      releasedAt: dateTime,
    }),
  ),
  define(
    { ...saga, publishers: ['notification-service', 'gateway-service'] },
    'care_team_notified',
    'Step 3 of the admission saga: the care team was told of the admission.',
    sagaStep(['encounterId', 'recipientIds', 'notifiedAt'], {
      encounterId: id,
      recipientIds: { type: 'array', minItems: 1, maxItems: 50, uniqueItems: true, items: id },
      channels: { type: 'array', maxItems: 5, uniqueItems: true, items: channel },
      notifiedAt: dateTime,
    }),
  ),
  define(
    saga,
    'admission_saga_completed',
    'All steps of the admission succeeded; the patient is admitted.',
    sagaStep(['encounterId', 'ward', 'completedAt'], { encounterId: id, ward, bed, completedAt: dateTime }),
  ),
  define(
    saga,
    'admission_saga_failed',
    'A step of the admission failed and the steps before it were compensated.',
    sagaStep(['failedStep', 'reason', 'compensations', 'failedAt'], {
      failedStep: { type: 'string', enum: ['reserve_bed', 'create_encounter', 'notify_care_team'] },
      reason: text(500),
      compensations: { type: 'array', maxItems: 2, uniqueItems: true, items: compensation },
      failedAt: dateTime,
    }),
  ),
  define(
    saga,
    'admission_saga_step_failed',
    'A step of the admission failed; its earlier steps are compensated next, in reverse order.',
    // Recorded before any compensation, so a gateway restarted mid-compensation
    // carries on compensating (and knows why) instead of retrying the step.
    sagaStep(['failedStep', 'cause', 'reason', 'failedAt'], {
      failedStep: { type: 'string', enum: ['reserve_bed', 'create_encounter', 'notify_care_team'] },
      cause: { type: 'string', enum: ['step_failed', 'reservation_expired'] },
      reason: text(500),
      failedAt: dateTime,
    }),
  ),
];
