import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventCatalogue } from '../../../kernel/events/catalogue.ts';
import { repositoryRoot, sourceFiles } from '../../harness/sourceTree.ts';

/**
 * Walks the catalogue: every event type is made by some path of the gateway,
 * the hub or a driver (the file below builds its draft: the type is written
 * there as a string in code, not a comment), or is listed as not produced
 * here yet, with why. A type added to the catalogue without a producer fails
 * this test; so does a producer that stops naming its type.
 */
const producers: Record<string, string> = {
  patient_registered: 'gateway/http/routes/patients.ts',
  patient_updated: 'gateway/http/routes/patients.ts',
  patient_admitted: 'gateway/sagas/admissionSagaRunner.ts',
  patient_transferred: 'gateway/http/routes/encounters.ts',
  patient_discharged: 'gateway/http/routes/encounters.ts',
  encounter_created: 'gateway/sagas/admissionSagaRunner.ts',
  encounter_updated: 'gateway/http/routes/clinicalUpdates.ts',
  encounter_closed: 'gateway/sagas/admissionSagaRunner.ts',
  diagnosis_added: 'gateway/http/routes/diagnoses.ts',
  diagnosis_updated: 'gateway/http/routes/clinicalUpdates.ts',
  diagnosis_resolved: 'gateway/http/routes/diagnoses.ts',
  medication_prescribed: 'gateway/http/routes/medications.ts',
  medication_administered: 'gateway/http/routes/medications.ts',
  medication_discontinued: 'gateway/http/routes/medications.ts',
  medication_interaction_detected: 'hub/services/cds/cdsFindingDrafts.ts',
  lab_order_created: 'gateway/http/routes/labOrders.ts',
  lab_specimen_collected: 'gateway/http/routes/labOrders.ts',
  lab_order_cancelled: 'gateway/http/routes/labOrders.ts',
  lab_result_available: 'drivers/astm/labResults.ts',
  vital_signs_recorded: 'gateway/broker/vitalsPayload.ts',
  device_alert_triggered: 'gateway/broker/alarmPayload.ts',
  // Built in the kernel, appended by gateway/broker/sessionLifecycle.ts and the drivers.
  device_connected: 'kernel/events/deviceSessionDrafts.ts',
  device_disconnected: 'kernel/events/deviceSessionDrafts.ts',
  critical_value_detected: 'gateway/rules/criticalValueReactor.ts',
  alert_acknowledged: 'gateway/http/routes/alerts.ts',
  alert_escalated: 'gateway/escalationTimer.ts',
  alert_resolved: 'gateway/rules/criticalValueReactor.ts',
  sudan_national_id_accessed: 'gateway/http/routes/nationalId.ts',
  sudan_moh_report_generated: 'hub/services/analytics/mohReports.ts',
  notification_sent: 'hub/services/notifications/notificationSent.ts',
  sms_delivered: 'drivers/gsm/notificationDrafts.ts',
  notification_failed: 'drivers/gsm/notificationDrafts.ts',
  fhir_resource_created: 'hub/services/fhir/fhirService.ts',
  fhir_resource_updated: 'hub/services/fhir/fhirService.ts',
  compliance_violation_detected: 'hub/ingestGuard/complianceViolation.ts',
  allergy_alert_generated: 'hub/services/cds/cdsFindingDrafts.ts',
  dose_validation_failed: 'hub/services/cds/cdsFindingDrafts.ts',
  admission_saga_started: 'gateway/sagas/admissionSagaRunner.ts',
  bed_reserved: 'gateway/sagas/admissionSagaRunner.ts',
  bed_released: 'gateway/sagas/admissionSagaRunner.ts',
  care_team_notified: 'gateway/sagas/admissionSagaRunner.ts',
  admission_saga_completed: 'gateway/sagas/admissionSagaRunner.ts',
  admission_saga_failed: 'gateway/sagas/admissionSagaRunner.ts',
  admission_saga_step_failed: 'gateway/sagas/admissionSagaRunner.ts',
};

/**
 * Types the lab orders of the chart bring with their route (ordering, specimen
 * collection, cancellation), written in the same change as this list.
 */
const arrivingWithLabOrders = ['lab_specimen_collected', 'lab_order_cancelled'];

/** Catalogue types nothing in this repository makes yet, each with the reason (the platform design names their publisher). */
const notProducedHere: Record<string, string> = {
  medication_due: "the EHR service's medication schedule; the gateway has no scheduler for doses",
  email_sent: 'the notification service sends no e-mail at the hub yet, only SMS through the gateway modem',
  audit_log_created: 'the audit service writes its AuditEvents to PostgreSQL without announcing them',
  drug_interaction_detected:
    "the pharmacy service's check; the hub's CDS emits medication_interaction_detected",
  appointment_scheduled: 'the appointment service; neither the gateway nor the hub books visits',
};

/** The code of a file without its comments: a type named only in a comment is not produced there. */
function codeOf(path: string): string {
  return readFileSync(join(repositoryRoot, path), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

describe('the catalogue, walked type by type', () => {
  it('names a producer for every event type, or says why nothing here produces it', () => {
    const catalogued = [...eventCatalogue.keys()].sort();
    const accounted = [...Object.keys(producers), ...Object.keys(notProducedHere)]
      .filter((type) => eventCatalogue.has(type) || !arrivingWithLabOrders.includes(type))
      .sort();
    expect(accounted).toEqual(catalogued);
  });

  const producedNow = Object.entries(producers).filter(
    ([type]) => eventCatalogue.has(type) || !arrivingWithLabOrders.includes(type),
  );
  it.each(producedNow)('%s is built in %s, a source file outside the tests', (type, path) => {
    expect(existsSync(join(repositoryRoot, path)), path).toBe(true);
    expect(path.startsWith('test/')).toBe(false);
    expect(codeOf(path)).toContain(`'${type}'`);
  });

  it('finds no producer for the types it says nothing here produces, so the list stays true', () => {
    // Files that read events (projections, the FHIR mapping, reports, the live stream, the sync tables): naming a type there is not producing it.
    const readers =
      /projection|Projection|projectEvent|\/projections\/|syncTablesMigration|mohQuarterlyFigures|notificationPlan|routes\/stream\.ts/;
    const files = ['gateway', 'hub', 'drivers', 'cli', 'sync']
      .flatMap((dir) => sourceFiles(dir))
      .filter((path) => !readers.test(path));
    for (const type of Object.keys(notProducedHere)) {
      const naming = files.filter((path) => codeOf(path).includes(`'${type}'`));
      expect(naming, `${type} now appears in code: move it to the producers`).toEqual([]);
    }
  });
});
