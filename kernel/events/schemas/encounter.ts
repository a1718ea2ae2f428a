import type { EventTypeSpec } from '../eventTypeSpec.ts';
import { dateTime, id, objectOf, text } from './common.ts';

const publishers = ['ehr-service', 'gateway-service'];
const encounterClass = {
  type: 'string',
  enum: ['inpatient', 'outpatient', 'emergency', 'maternity'],
} as const;

/**
 * A practitioner as the chart names one: the gateway user's id when the
 * physician has an account here (absent for a visiting consultant), and the
 * name shown on the chart and in FHIR Encounter.participant.individual.display.
 */
const attendingPhysician = objectOf(['display'], { practitionerId: id, display: text(128) });

export const encounterEvents: EventTypeSpec[] = [
  {
    eventType: 'encounter_created',
    version: '1.0',
    topic: 'clinical-events',
    lane: 'clinical',
    subject: 'patient',
    description: 'A clinical encounter (visit or stay) began.',
    publishers,
    dataSchema: objectOf(['encounterId', 'encounterClass', 'startedAt'], {
      encounterId: id,
      encounterClass,
      ward: text(64),
      bed: text(32),
      reason: text(500),
      startedAt: dateTime,
    }),
  },
  {
    eventType: 'encounter_updated',
    // 1.1 adds news2Spo2Scale and attendingPhysician (optional, additive): the
    // clinician's NEWS2 SpO2 scale, and the physician now responsible, changed on
    // the chart (FHIR Encounter.participant, type ATND).
    version: '1.1',
    topic: 'clinical-events',
    lane: 'clinical',
    subject: 'patient',
    description: 'Details of an open encounter changed.',
    publishers,
    dataSchema: objectOf(['encounterId', 'updatedAt'], {
      encounterId: id,
      encounterClass,
      ward: text(64),
      bed: text(32),
      reason: text(500),
      notes: text(2000),
      /**
       * The NEWS2 SpO2 scale a clinician chose for this patient: 2 only for confirmed
       * hypercapnic respiratory failure (Royal College of Physicians, 2017); 1 otherwise.
       */
      news2Spo2Scale: { type: 'integer', enum: [1, 2] },
      /** Why the scale was chosen, in the clinician's words (with news2Spo2Scale). */
      news2Spo2ScaleReason: text(500),
      attendingPhysician,
      updatedAt: dateTime,
    }),
  },
  {
    eventType: 'encounter_closed',
    version: '1.0',
    topic: 'clinical-events',
    lane: 'clinical',
    subject: 'patient',
    description: 'An encounter ended (discharge, end of visit, or compensation of a failed admission).',
    publishers,
    dataSchema: objectOf(['encounterId', 'closedAt', 'reason'], {
      encounterId: id,
      reason: {
        type: 'string',
        enum: ['discharged', 'visit_completed', 'admission_cancelled', 'transferred_out', 'other'],
      },
      closedAt: dateTime,
    }),
  },
];
