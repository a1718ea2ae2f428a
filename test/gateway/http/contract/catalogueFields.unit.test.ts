import { describe, expect, it } from 'vitest';
import { specOf } from '../../../../kernel/events/catalogue.ts';
import { alertView } from '../../../../gateway/http/contract/alerts.ts';
import {
  administrationView,
  diagnosisView,
  labResultView,
  prescriptionView,
} from '../../../../gateway/http/contract/clinicalRecord.ts';
import { encounterTransferView, encounterView } from '../../../../gateway/http/contract/encounters.ts';
import { patientView } from '../../../../gateway/http/contract/patients.ts';

/** The fields of an event type's data, as the catalogue has them now. */
const dataFields = (eventType: string): string[] => {
  const schema = specOf(eventType)?.dataSchema as { properties?: Record<string, unknown> } | undefined;
  if (!schema?.properties) throw new Error(`the catalogue has no data fields for ${eventType}`);
  return Object.keys(schema.properties);
};

/**
 * Read models copy an event's data into their documents field by field
 * (gateway/projections/), and the API replies with those documents through
 * a schema that drops what it does not declare. A field the catalogue adds
 * to one of these events must be declared in the reply schema too, or the
 * screen never sees it.
 */
describe('the reply schemas of documents copied from event data', () => {
  const cases: [string, { properties: Record<string, unknown> }, string[]][] = [
    ['critical_value_detected', alertView, ['supersedesAlertId']],
    ['encounter_created', encounterView, []],
    ['encounter_updated', encounterView, ['updatedAt']],
    ['patient_transferred', encounterTransferView, []],
    // The national ID and phone leave only masked, under other names.
    ['patient_registered', patientView, ['sudanNationalId', 'phone']],
    ['diagnosis_added', diagnosisView, []],
    ['medication_prescribed', prescriptionView, []],
    // The prescription it belongs to is where the administration sits; the drug is the prescription's.
    ['medication_administered', administrationView, ['medicationRequestId', 'drugName']],
    // A QC run is never on a chart (projections/labResults.ts): its own reply is qcResultView.
    ['lab_result_available', labResultView, ['qc']],
  ];

  it.each(cases)('declare every data field of %s', (eventType, reply, notCopied) => {
    const undeclared = dataFields(eventType).filter(
      (field) => !notCopied.includes(field) && !(field in reply.properties),
    );
    expect(undeclared).toEqual([]);
  });
});
