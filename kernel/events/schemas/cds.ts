/** What the hub's clinical decision support service publishes (the platform design, "Event Handlers by Service": CDS service). */
import type { EventTypeSpec } from '../eventTypeSpec.ts';
import { dateTime, id, objectOf, text } from './common.ts';
import { dose, interactingDrug, interactionSeverity } from './medication.ts';
import { define, family } from './serviceFamily.ts';

// On alert-events, lane alert: each is a warning to the prescriber, which the
// notification service (alert-events' consumer) delivers. Each names the
// prescription it checked. cdsAlertId, not alertId: alert.ts's alert episodes
// are critical values, acknowledged and escalated at the bedside.
const cds = family('alert-events', 'alert', 'patient', 'cds-service');
const cdsFinding = (required: readonly string[], properties: Record<string, unknown>) =>
  objectOf(['cdsAlertId', 'medicationRequestId', ...required, 'description', 'detectedAt'], {
    cdsAlertId: id,
    medicationRequestId: id,
    ...properties,
    description: text(1000),
    detectedAt: dateTime,
  });

export const cdsEvents: EventTypeSpec[] = [
  define(
    cds,
    'drug_interaction_detected',
    'CDS found an interaction between a new prescription and another drug.',
    cdsFinding(['drugs', 'severity'], {
      drugs: { type: 'array', minItems: 2, maxItems: 2, items: interactingDrug },
      severity: interactionSeverity,
      source: text(128),
      recommendation: text(500),
    }),
  ),
  define(
    cds,
    'allergy_alert_generated',
    'CDS found a prescription for a drug the patient is allergic to.',
    cdsFinding(['drugName', 'allergen', 'criticality'], {
      drugName: text(200),
      allergen: text(200),
      reaction: text(200),
      /** FHIR AllergyIntolerance criticality. */
      criticality: { type: 'string', enum: ['low', 'high', 'unable-to-assess'] },
    }),
  ),
  define(
    cds,
    'dose_validation_failed',
    'CDS found a prescribed dose outside the safe range for the patient.',
    cdsFinding(['drugName', 'dose', 'rule'], {
      drugName: text(200),
      dose,
      rule: {
        type: 'string',
        // biome-ignore format: a list of codes reads best wrapped
        enum: [
          'above_max_single_dose', 'above_max_daily_dose', 'below_min_dose', 'weight_based_out_of_range',
          'renal_adjustment_needed', 'age_contraindicated', 'pregnancy_contraindicated', 'other',
        ],
      },
      /** The limit broken, as the reference states it: "max 4 g/day", "10-15 mg/kg". */
      limit: text(100),
      patientWeightKg: { type: 'number', exclusiveMinimum: 0, maximum: 350 },
    }),
  ),
];
