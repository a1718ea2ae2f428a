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

export interface ReadingOptions {
  deviceId?: string;
  /** Measured this long before the gateway's now (default 0). */
  minutesAgo?: number;
  /** A nurse's hand entry instead of a monitor's reading, with NEWS2's two observations. */
  byHand?: { supplementalOxygen?: boolean; consciousness?: 'A' | 'C' | 'V' | 'P' | 'U' };
}

/**
 * A bedside monitor's reading (or a nurse's hand entry) recorded straight
 * through the recorder, measured on the gateway's clock: for tests about
 * what the read models and screens make of readings rather than about ingest.
 */
export async function recordMonitorReading(
  services: GatewayServices,
  patientId: string,
  values: Record<string, number>,
  { deviceId = 'monitor-1', minutesAgo = 0, byHand }: ReadingOptions = {},
): Promise<void> {
  const measuredAt = new Date(services.clock().getTime() - minutesAgo * 60_000).toISOString();
  const data = {
    ...(byHand ? { method: 'manual', ...byHand } : { method: 'device', deviceId }),
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
