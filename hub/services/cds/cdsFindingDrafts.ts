import type { EventDraft } from '../../../kernel/events/envelope.ts';
import { eventDraft } from '../../../kernel/events/eventDraft.ts';
import type { IdSource } from '../../../kernel/events/ids.ts';
import type { JsonObject } from '../../../kernel/events/json.ts';
import { validateDraft } from '../../../kernel/events/validateEvent.ts';
import type { CdsFinding, Prescription } from './cdsChecks.ts';
import type { CdsTables } from './cdsTables.ts';

/** The prescription's event: what a finding must name so it can be traced to it. */
export interface PrescriptionEvent {
  eventId: string;
  patientId: string;
  facilityId: string;
  tenantId: string;
  correlationId?: string;
}

export const cdsSource = 'cds-service';

/**
 * One finding as the catalogue's event (docs/cds.md): medication_interaction_detected,
 * allergy_alert_generated or dose_validation_failed, in the prescription's
 * correlation and caused by it. The clock and ids come in; nothing here reads them.
 */
export function findingDraft(
  finding: CdsFinding,
  prescription: Prescription,
  cause: PrescriptionEvent,
  context: { now: Date; newId: IdSource; tables: CdsTables; version: string },
): EventDraft {
  const detectedAt = context.now.toISOString();
  const drug = {
    drugName: prescription.drugName,
    ...(prescription.atcCode ? { atcCode: prescription.atcCode } : {}),
    medicationRequestId: prescription.medicationRequestId,
  };
  let eventType: string;
  let data: JsonObject;
  switch (finding.kind) {
    case 'interaction': {
      const { interactions } = context.tables;
      eventType = 'medication_interaction_detected';
      data = {
        interactionId: context.newId(),
        drugs: [drug, finding.with],
        severity: finding.entry.severity,
        description: finding.entry.description,
        source: `NileCare ${interactions.version} (illustrative examples, hub/data/cds)`.slice(0, 128),
        ...(finding.entry.recommendation ? { recommendation: finding.entry.recommendation } : {}),
        detectedAt,
      };
      break;
    }
    case 'allergy':
      eventType = 'allergy_alert_generated';
      data = {
        cdsAlertId: context.newId(),
        medicationRequestId: prescription.medicationRequestId,
        drugName: prescription.drugName,
        allergen: finding.allergen,
        // A recorded allergy says nothing of its criticality.
        criticality: 'unable-to-assess',
        description: `${prescription.drugName} prescribed to a patient with a recorded allergy to ${finding.allergen}.`,
        detectedAt,
      };
      break;
    case 'dose':
      eventType = 'dose_validation_failed';
      data = {
        cdsAlertId: context.newId(),
        medicationRequestId: prescription.medicationRequestId,
        drugName: prescription.drugName,
        dose: prescription.dose,
        rule: finding.rule,
        limit: finding.limit,
        description: `${prescription.dose.value} ${prescription.dose.unit} ${prescription.frequency} of ${prescription.drugName}: ${finding.limit}.`,
        detectedAt,
      };
      break;
    default: {
      const unhandled: never = finding;
      return unhandled;
    }
  }
  const draft = eventDraft(
    {
      eventId: context.newId(),
      eventType,
      timestamp: detectedAt,
      facility: { facilityId: cause.facilityId, tenantId: cause.tenantId },
      patientId: cause.patientId,
      correlationId: cause.correlationId ?? cause.eventId,
      causationId: cause.eventId,
      source: cdsSource,
      sourceVersion: context.version,
    },
    data,
  );
  const checked = validateDraft(draft);
  if (!checked.ok) throw new Error(`${eventType} is invalid: ${JSON.stringify(checked.issues)}`);
  return draft;
}
