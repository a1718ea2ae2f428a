import type { EventDraft } from '../../kernel/events/envelope.ts';
import { uuidV7 } from '../../kernel/events/ids.ts';
import type { GatewayServices } from '../../gateway/gatewayServices.ts';

/**
 * Appends `count` device readings straight to the log, many per transaction,
 * the way a clinic that was offline for days holds them: the append path the
 * sync engine reads from (lane index by trigger), without read models, so a
 * test can hold a hundred thousand of them in a few seconds.
 */
export function appendTelemetryBacklog(services: GatewayServices, count: number, patients = 20): void {
  const { db, log, facility } = services;
  const at = services.clock().toISOString();
  const perTransaction = 5000;
  for (let start = 0; start < count; start += perTransaction) {
    db.transaction(() => {
      for (let n = start; n < Math.min(count, start + perTransaction); n += 1) {
        const draft: EventDraft = {
          eventId: uuidV7(),
          eventType: 'vital_signs_recorded',
          timestamp: at,
          version: '1.0',
          patientId: `p-${n % patients}`,
          facilityId: facility.facilityId,
          tenantId: facility.tenantId,
          source: 'device-integration-service',
          data: {
            method: 'device',
            deviceId: `monitor-${n % patients}`,
            deviceSeq: n,
            measuredAt: at,
            heartRate: { value: 60 + (n % 40), unit: '/min' },
            oxygenSaturation: { value: 95 + (n % 4), unit: '%' },
          },
        };
        log.append(draft);
      }
    })();
  }
}
