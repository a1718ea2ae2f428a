import type { HubTx } from '../../db/hubDatabase.ts';
import type { Prescription } from './cdsChecks.ts';

/** Active prescriptions of a patient (the new one not yet among them). */
export async function activePrescriptions(tx: HubTx, patientId: string): Promise<Prescription[]> {
  const { rows } = await tx.query<{
    medication_request_id: string;
    drug_name: string;
    atc_code: string | null;
    dose: { value: number; unit: string };
    route: string;
    frequency: string;
  }>(
    `SELECT medication_request_id, drug_name, atc_code, dose, route, frequency
     FROM cds_prescriptions WHERE patient_id = $1 AND status = 'active' ORDER BY prescribed_at, medication_request_id`,
    [patientId],
  );
  return rows.map((row) => ({
    medicationRequestId: row.medication_request_id,
    drugName: row.drug_name,
    ...(row.atc_code ? { atcCode: row.atc_code } : {}),
    dose: row.dose,
    route: row.route,
    frequency: row.frequency,
  }));
}

export async function recordPrescription(
  tx: HubTx,
  input: { prescription: Prescription; patientId: string; eventId: string; gatewayId?: string; at: string },
): Promise<void> {
  const { prescription } = input;
  await tx.query(
    `INSERT INTO cds_prescriptions (medication_request_id, patient_id, drug_name, atc_code, dose, route,
       frequency, status, event_id, gateway_id, prescribed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9, $10)
     ON CONFLICT (medication_request_id) DO NOTHING`,
    [
      prescription.medicationRequestId,
      input.patientId,
      prescription.drugName,
      prescription.atcCode ?? null,
      JSON.stringify(prescription.dose),
      prescription.route,
      prescription.frequency,
      input.eventId,
      input.gatewayId ?? null,
      input.at,
    ],
  );
}

export async function discontinuePrescription(tx: HubTx, medicationRequestId: string): Promise<void> {
  await tx.query(`UPDATE cds_prescriptions SET status = 'discontinued' WHERE medication_request_id = $1`, [
    medicationRequestId,
  ]);
}

export async function allergiesOfPatient(tx: HubTx, patientId: string): Promise<string[]> {
  const { rows } = await tx.query<{ allergen: string }>(
    'SELECT allergen FROM cds_allergies WHERE patient_id = $1 ORDER BY allergen',
    [patientId],
  );
  return rows.map((row) => row.allergen);
}

/** The patient's recorded allergies, replaced by the latest list (registration or update). */
export async function replaceAllergies(tx: HubTx, patientId: string, allergies: readonly string[]) {
  await tx.query('DELETE FROM cds_allergies WHERE patient_id = $1', [patientId]);
  for (const allergen of new Set(allergies.map((allergy) => allergy.trim()).filter(Boolean)))
    await tx.query(
      'INSERT INTO cds_allergies (patient_id, allergen) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [patientId, allergen],
    );
}

export async function recordFinding(
  tx: HubTx,
  input: {
    eventId: string;
    eventType: string;
    causeEventId: string;
    patientId?: string;
    gatewayId?: string;
    at: Date;
  },
) {
  await tx.query(
    `INSERT INTO cds_findings (finding_event_id, event_type, cause_event_id, patient_id, gateway_id, detected_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      input.eventId,
      input.eventType,
      input.causeEventId,
      input.patientId ?? null,
      input.gatewayId ?? null,
      input.at,
    ],
  );
}
