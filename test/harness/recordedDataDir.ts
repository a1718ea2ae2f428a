import { resolveGatewayOptions } from '../../gateway/config/gatewayOptions.ts';
import { uuidV7 } from '../../kernel/events/ids.ts';
import type { GatewayServices } from '../../gateway/gatewayServices.ts';
import { draftFor } from '../../gateway/http/draftFor.ts';
import { openGatewayStore } from '../../gateway/openGatewayStore.ts';
import type { RecordOutcome } from '../../gateway/recording/clinicalRecorder.ts';

/**
 * A data folder (gateway.db, keys, identity) written the way the gateway
 * writes it: openGatewayStore and the clinical recorder, with a clock the
 * test sets. No ports are opened.
 */
export function openRecordedDataDir(dataDir: string, start: string) {
  let now = Date.parse(start);
  const services: GatewayServices = openGatewayStore(
    resolveGatewayOptions({ dataDir, logLevel: 'silent' }),
    () => new Date(now),
    uuidV7,
  );
  services.projections.catchUp(services.log);

  async function appended(outcome: Promise<RecordOutcome>) {
    const result = await outcome;
    if (result.status !== 'appended') throw new Error(`expected an append, got ${JSON.stringify(result)}`);
    return result.events;
  }

  return {
    services,
    setTime(iso: string) {
      now = Date.parse(iso);
    },
    /** Any event, stamped like an API action (facility, a new id, the clock's time). */
    record(eventType: string, data: Record<string, unknown>, context: Parameters<typeof draftFor>[3] = {}) {
      const draft = draftFor(services, eventType, data, { at: new Date(now).toISOString(), ...context });
      return appended(services.recorder.record({ channel: 'internal', origin: 'test', draft }));
    },
    /** patient_registered, then encounter_created and patient_admitted in the same transaction. */
    registerAndAdmit(
      patientId: string,
      firstName: string,
      admission: { ward: string; bed: string; attendingPhysician?: string },
    ) {
      const at = new Date(now).toISOString();
      const encounterId = `enc-${patientId}`;
      const context = { patientId, at, correlationId: encounterId };
      return appended(
        services.recorder.record({
          channel: 'internal',
          origin: 'test',
          draft: draftFor(
            services,
            'patient_registered',
            { firstName, lastName: 'Test', sex: 'female', registeredAt: at },
            context,
          ),
          andThen: [
            draftFor(
              services,
              'encounter_created',
              {
                encounterId,
                encounterClass: 'inpatient',
                ward: admission.ward,
                bed: admission.bed,
                startedAt: at,
              },
              context,
            ),
            draftFor(services, 'patient_admitted', { encounterId, ...admission, admittedAt: at }, context),
          ],
        }),
      );
    },
    /** A device reading for a patient; the critical-value rules run on it. */
    reading(
      patientId: string,
      deviceSeq: number,
      vitals: Record<string, { value: number; unit: string }>,
      deviceId = 'monitor-1',
    ) {
      const at = new Date(now).toISOString();
      const draft = draftFor(
        services,
        'vital_signs_recorded',
        { method: 'device', deviceId, deviceSeq, measuredAt: at, ...vitals },
        { patientId, at },
      );
      return appended(
        services.recorder.record({
          channel: 'mqtt',
          origin: deviceId,
          draft: { ...draft, source: 'device-integration-service' },
          deviceKey: `${deviceId}#${deviceSeq}`,
        }),
      );
    },
    close() {
      services.db.close();
    },
  };
}
