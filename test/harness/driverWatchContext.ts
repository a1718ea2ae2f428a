import pino from 'pino';
import { Registry } from 'prom-client';
import { createDriverMetrics } from '../../drivers/driverMetrics.ts';
import type { DriverContext, ProtocolDriver } from '../../drivers/driverTypes.ts';
import type { GatewayServices, LabOrderBook } from '../../gateway/pluginApi.ts';

/**
 * What startDrivers gives a driver's `watch`, over a test gateway's database
 * and a lab order book the test holds (an in-memory one stands in for the
 * read model), with metrics on a registry of their own so the gateway's are
 * not registered twice.
 */
export function driverWatchContext(
  services: Pick<GatewayServices, 'db' | 'facility'>,
  labOrders: LabOrderBook,
  overrides: Partial<Pick<DriverContext, 'patientForInstrument' | 'metrics' | 'clock'>> = {},
) {
  return {
    db: services.db,
    labOrders,
    clock: () => new Date(),
    patientForInstrument: () => undefined,
    facility: services.facility,
    metrics: createDriverMetrics(new Registry()),
    logger: pino({ level: 'silent' }),
    ...overrides,
  } satisfies Parameters<NonNullable<ProtocolDriver['watch']>>[1];
}
