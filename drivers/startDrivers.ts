import type { Logger } from 'pino';
import { GatewayError } from '../gateway/errors.ts';
import type { GatewayServices } from '../gateway/gatewayServices.ts';
import type { PatientDoc } from '../gateway/projections/patients.ts';
import { createDriverMetrics } from './driverMetrics.ts';
import { driverSections, protocolDrivers } from './driverRegistry.ts';
import { type DriversConfig, driversFilePath, loadDriversFile } from './driversFile.ts';
import type { DriverContext, ProtocolDriver } from './driverTypes.ts';
import { runSerialPort } from './serialPortDriver.ts';
import { runTcpListener } from './tcpListenerDriver.ts';

export interface RunningDrivers {
  config: DriversConfig;
  /** The port each TCP listener took, by device id (or protocol:index), for logs and tests. */
  tcpPorts: Record<string, number>;
  close(): Promise<void>;
}

/**
 * Starts every serial port and TCP listener of the drivers file, if there is
 * one (else resolves undefined). Each configured device is registered in the
 * device registry like an MQTT device, with the file's bed/patient binding.
 */
export async function startDrivers(
  services: GatewayServices,
  driversFile: string | undefined,
  logger: Logger,
): Promise<RunningDrivers | undefined> {
  const file = driversFilePath(services.options.dataDir, driversFile);
  const config = loadDriversFile(file, protocolDrivers, driverSections);
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
    }
    for (const [name, value] of Object.entries(config.sections)) {
      const running = await driverSections.get(name)!.start(value, context);
      closers.push(() => running.close());
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { config, tcpPorts, close };
}

export function driverContext(services: GatewayServices, logger: Logger): DriverContext {
  return {
    facility: services.facility,
    registry: services.registry,
    recorder: services.recorder,
    findPatient: (carried) => findPatient(services, carried),
    newId: services.newId,
    clock: services.clock,
    metrics: createDriverMetrics(services.metrics.registry),
    logger: logger.child({ component: 'drivers' }),
  };
}

/** A patient id as a device carries it: the gateway's patientId, else an MRN of a registered patient. */
function findPatient(services: GatewayServices, carried: string): string | undefined {
  if (services.projections.get<PatientDoc>('patients', carried)) return carried;
  return services.projections.all<PatientDoc>('patients').find((patient) => patient.patientMRN === carried)
    ?.patientId;
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
