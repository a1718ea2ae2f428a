import pino from 'pino';
import { resolveGatewayOptions } from '../gateway/config/gatewayOptions.ts';
import type { EventDraft } from '../kernel/events/envelope.ts';
import { uuidV7 } from '../kernel/events/ids.ts';
import type { GatewayServices } from '../gateway/gatewayServices.ts';
import { openGatewayStore } from '../gateway/openGatewayStore.ts';
import { prepareSync } from '../sync/syncSetup.ts';

/** A gateway data folder, opened as the gateway opens it (no ports). */
export function openBenchStore(dataDir: string): GatewayServices {
  const services = openGatewayStore(
    resolveGatewayOptions({ dataDir, logLevel: 'silent' }),
    () => new Date(),
    uuidV7,
    pino({ level: 'silent' }),
  );
  prepareSync(services);
  return services;
}

function reading(services: GatewayServices, n: number, at: string): EventDraft {
  return {
    eventId: uuidV7(),
    eventType: 'vital_signs_recorded',
    timestamp: at,
    version: '1.0',
    patientId: `p-${n % 40}`,
    facilityId: services.facility.facilityId,
    tenantId: services.facility.tenantId,
    source: 'device-integration-service',
    data: {
      method: 'device',
      deviceId: `monitor-${n % 40}`,
      deviceSeq: n,
      measuredAt: at,
      heartRate: { value: 60 + (n % 40), unit: '/min' },
      respiratoryRate: { value: 12 + (n % 8), unit: '/min' },
      oxygenSaturation: { value: 94 + (n % 5), unit: '%' },
    },
  };
}

/** Appends `count` readings to the log (the lane index trigger files them), 5,000 per transaction. */
export function fillBacklog(
  services: GatewayServices,
  count: number,
  onProgress?: (done: number) => void,
): void {
  const at = new Date().toISOString();
  for (let start = 0; start < count; start += 5000) {
    services.db.transaction(() => {
      for (let n = start; n < Math.min(count, start + 5000); n += 1)
        services.log.append(reading(services, n, at));
    })();
    if (start % 100_000 === 0) onProgress?.(start);
  }
}

/** Appends one critical_value_detected (alert lane) and returns its seq. */
export function appendAlert(services: GatewayServices, n: number): number {
  const at = new Date().toISOString();
  const draft: EventDraft = {
    eventId: uuidV7(),
    eventType: 'critical_value_detected',
    timestamp: at,
    version: '1.0',
    patientId: `p-${n % 40}`,
    facilityId: services.facility.facilityId,
    tenantId: services.facility.tenantId,
    source: 'device-integration-service',
    data: {
      alertId: uuidV7(),
      parameter: 'oxygenSaturation',
      value: 84,
      unit: '%',
      threshold: 91,
      direction: 'low',
      severity: 'critical',
      priority: 'high',
      ruleId: 'news2-spo2-scale1',
      detectedAt: at,
    },
  };
  return services.db.transaction(() => {
    const outcome = services.log.append(draft);
    if (!outcome.appended) throw new Error('alert not appended');
    return outcome.event.seq;
  })();
}
