import type { Logger } from 'pino';
import { createDriverMetrics } from './driverMetrics.ts';
import { driverSections, protocolDrivers } from './driverRegistry.ts';
import { driverEntriesFromEnvironment } from './driversFromEnvironment.ts';
import { type DriversConfig, driversFilePath, loadDriversFile } from './driversFile.ts';
import type { DriverContext, ProtocolDriver } from './driverTypes.ts';
import { runSerialPort } from './serialPortDriver.ts';
import { runTcpListener } from './tcpListenerDriver.ts';
import { type GatewayServices, type PatientDoc, GatewayError } from '../gateway/pluginApi.ts';

export interface RunningDrivers {
  config: DriversConfig;
  /** The port each TCP listener took, by device id (or protocol:index), for logs and tests. */
  tcpPorts: Record<string, number>;
  close(): Promise<void>;
}

/**
 * Starts every serial port, TCP listener and section (the GSM modem) of the
 * drivers file and of the environment shortcuts (NILECARE_HL7_PORT,
 * NILECARE_GSM_MODEM_PATH), if any (else resolves undefined). Each configured
 * device is registered in the device registry like an MQTT device, with the
 * file's bed/patient binding.
 */
export async function startDrivers(
  services: GatewayServices,
  driversFile: string | undefined,
  logger: Logger,
  env: NodeJS.ProcessEnv = {},
): Promise<RunningDrivers | undefined> {
  const file = driversFilePath(services.options.dataDir, driversFile);
  const config = loadDriversFile(file, protocolDrivers, driverSections, driverEntriesFromEnvironment(env));
  if (!config) return undefined;
  const context = driverContext(services, logger);
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    await Promise.allSettled(closers.reverse().map((closer) => closer()));
  };
  const tcpPorts: Record<string, number> = {};
  try {
    for (const [index, port] of config.serialPorts.entries()) {
      const driver = protocolDrivers.get(port.protocol)!;
      await ensureRegistered(services, port, driver, `${file}: serialPorts[${index}]`);
      const running = runSerialPort(port, driver, context);
      closers.push(() => running.close());
      watchPort(driver, port, context, closers);
    }
    for (const [index, listener] of config.tcpListeners.entries()) {
      const driver = protocolDrivers.get(listener.protocol)!;
      if (listener.deviceId)
        await ensureRegistered(
          services,
          { ...listener, deviceId: listener.deviceId },
          driver,
          `${file}: tcpListeners[${index}]`,
        );
      const running = await runTcpListener(listener, driver, context);
      tcpPorts[listener.deviceId ?? `${listener.protocol}:${index}`] = running.port;
      closers.push(() => running.close());
      watchPort(driver, listener, context, closers);
    }
    for (const [name, value] of Object.entries(config.sections)) {
      const running = await driverSections.get(name)!.start(value, context, services);
      closers.push(() => running.close());
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { config, tcpPorts, close };
}

function watchPort(
  driver: ProtocolDriver,
  config: Readonly<Record<string, unknown>> & { deviceId?: string },
  context: DriverContext,
  closers: (() => Promise<void>)[],
): void {
  const stop = driver.watch?.(config, context);
  if (stop) closers.push(async () => stop());
}

export function driverContext(services: GatewayServices, logger: Logger): DriverContext {
  // Asked for every lab result and HL7 message: SQLite looks the MRN up, not a scan of every patient in JS.
  const byMrn = services.db.prepare<[string], { doc_id: string }>(
    "SELECT doc_id FROM projection_docs WHERE projection = 'patients' AND json_extract(doc, '$.patientMRN') = ? LIMIT 1",
  );
  return {
    facility: services.facility,
    registry: services.registry,
    recorder: services.recorder,
    findPatient: (carried) =>
      services.projections.get<PatientDoc>('patients', carried) ? carried : byMrn.get(carried)?.doc_id,
    patientForInstrument: (patientId) => {
      const patient = services.projections.get<PatientDoc>('patients', patientId);
      if (!patient) return undefined;
      return {
        ...(patient.patientMRN ? { mrn: patient.patientMRN } : {}),
        familyName: patient.lastName,
        givenName: patient.firstName,
      };
    },
    // Read through services at each call: the labOrders read model is the one the gateway holds now.
    labOrders: {
      ordersForSpecimen: (specimenId) => services.labOrders.ordersForSpecimen(specimenId),
      orderById: (orderId) => services.labOrders.orderById(orderId),
      ordersForPerformer: (performer) => services.labOrders.ordersForPerformer(performer),
      onOrderChanged: (listener) => services.labOrders.onOrderChanged(listener),
    },
    db: services.db,
    newId: services.newId,
    clock: services.clock,
    metrics: createDriverMetrics(services.metrics.registry),
    logger: logger.child({ component: 'drivers' }),
  };
}

async function ensureRegistered(
  services: GatewayServices,
  port: { deviceId: string; bed?: string; patientId?: string },
  driver: ProtocolDriver,
  where: string,
): Promise<void> {
  if (port.patientId && !services.projections.get<PatientDoc>('patients', port.patientId))
    throw new GatewayError('GW_ERR_DRIVERS_CONFIG_INVALID', [
      where,
      'patientId',
      'is not a patient registered at this gateway',
      JSON.stringify(port.patientId),
    ]);
  const existing = services.registry.get(port.deviceId);
  if (!existing) {
    // Serial and LIS devices do not log in: the wiring is their credential. The
    // registry still holds them, so they are listed and bound like MQTT devices.
    await services.registry.add({
      deviceId: port.deviceId,
      kind: driver.deviceKind,
      ...(port.patientId ? { patientId: port.patientId } : {}),
      ...(port.bed ? { bed: port.bed } : {}),
    });
    return;
  }
  if (existing.revokedAt)
    throw new GatewayError('GW_ERR_DRIVERS_CONFIG_INVALID', [
      where,
      'deviceId',
      'names a revoked device',
      JSON.stringify(port.deviceId),
    ]);
  const wanted = { patientId: port.patientId ?? existing.patientId, bed: port.bed ?? existing.bed };
  if (
    (port.patientId || port.bed) &&
    (wanted.patientId !== existing.patientId || wanted.bed !== existing.bed)
  )
    services.registry.bind(port.deviceId, {
      ...(wanted.patientId ? { patientId: wanted.patientId } : {}),
      ...(wanted.bed ? { bed: wanted.bed } : {}),
    });
}
