import type { GatewayServices } from '../../gateway/gatewayServices.ts';
import { draftFor } from '../../gateway/http/draftFor.ts';

/** UCUM units of the parameters a test monitor sends (kernel/events/schemas/vitals.ts). */
const units: Record<string, string> = {
  oxygenSaturation: '%',
  heartRate: '/min',
  respiratoryRate: '/min',
  systolicBloodPressure: 'mm[Hg]',
  diastolicBloodPressure: 'mm[Hg]',
  temperature: 'Cel',
};

/**
 * A bedside monitor's reading recorded straight through the recorder, measured
 * now on the gateway's clock: for tests about what the read models and
 * screens make of readings rather than about MQTT ingest.
 */
export async function recordMonitorReading(
  services: GatewayServices,
  patientId: string,
  values: Record<string, number>,
  deviceId = 'monitor-1',
): Promise<void> {
  const measuredAt = services.clock().toISOString();
  const data = {
    method: 'device',
    deviceId,
    measuredAt,
    ...Object.fromEntries(
      Object.entries(values).map(([name, value]) => [name, { value, unit: units[name]! }]),
    ),
  };
  const outcome = await services.recorder.record({
    draft: draftFor(services, 'vital_signs_recorded', data, { patientId, at: measuredAt }),
    channel: 'mqtt',
    origin: 'test monitor',
  });
  if (outcome.status !== 'appended') throw new Error(`the test reading was not appended: ${outcome.status}`);
}
