import type { GatewayServices } from '../../gateway/gatewayServices.ts';
import { draftFor } from '../../gateway/http/draftFor.ts';

/**
 * Registers and admits a patient straight through the recorder (as the demo
 * ward does), for tests about what the screen shows rather than about the
 * admission itself.
 */
export async function recordAdmittedPatient(
  services: GatewayServices,
  patient: {
    patientId: string;
    firstName: string;
    lastName: string;
    ward: string;
    bed: string;
    sudanNationalId?: string;
  },
): Promise<void> {
  const at = services.clock().toISOString();
  const encounterId = `enc-${patient.patientId}`;
  const context = { patientId: patient.patientId, at, correlationId: encounterId };
  const outcome = await services.recorder.record({
    channel: 'internal',
    origin: 'test',
    draft: draftFor(
      services,
      'patient_registered',
      {
        firstName: patient.firstName,
        lastName: patient.lastName,
        sex: 'female',
        ...(patient.sudanNationalId ? { sudanNationalId: patient.sudanNationalId } : {}),
        registeredAt: at,
      },
      context,
    ),
    andThen: [
      draftFor(
        services,
        'encounter_created',
        { encounterId, encounterClass: 'inpatient', ward: patient.ward, bed: patient.bed, startedAt: at },
        context,
      ),
      draftFor(
        services,
        'patient_admitted',
        { encounterId, ward: patient.ward, bed: patient.bed, admittedAt: at },
        context,
      ),
    ],
  });
  if (outcome.status !== 'appended') throw new Error(`test patient not recorded: ${JSON.stringify(outcome)}`);
}
