import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ClinicalEvent } from '../kernel/events/envelope.ts';
import type { IdSource } from '../kernel/events/ids.ts';
import { type RunningDrivers, startDrivers } from '../drivers/startDrivers.ts';
import { hubLinkOf } from '../sync/hubConnection.ts';
import { prepareSync, startHubDownstream, startHubSync } from '../sync/syncSetup.ts';
import { createBackupMetrics } from './backup/backupMetrics.ts';
import { startBackupSchedule } from './backup/backupSchedule.ts';
import { type DeviceBroker, type DeviceBrokerOptions, startDeviceBroker } from './broker/deviceBroker.ts';
import { closeStaleSessions } from './broker/staleSessions.ts';
import type { GatewayOptions } from './config/gatewayOptions.ts';
import { watchRevocations } from './devices/revocationWatcher.ts';
import { GatewayError } from './errors.ts';
import { startEscalationTimer } from './escalationTimer.ts';
import { startVitalsMinutesRetention } from './trends/vitalsMinutesRetention.ts';
import { startOverdueOrderTimer } from './labOrders/overdueOrderTimer.ts';
import type { GatewayServices } from './gatewayServices.ts';
import { buildHttpApp } from './http/buildHttpApp.ts';
import { openGatewayStore } from './openGatewayStore.ts';
import type { PatientDoc } from './projections/patients.ts';
import { loadProvisionedConfig } from './provisioning/gatewayConfig.ts';
import { kekSourceFromEnvironment } from './provisioning/provisionedStore.ts';
import { type TlsMaterial, tlsMaterialOf } from './provisioning/tlsMaterial.ts';
import { writePidFile } from './runtime/pidFile.ts';
import { writePortsFile } from './runtime/portsFile.ts';
import { createShutdownOrder, type ShutdownOrder } from './runtime/shutdownOrder.ts';
import { startSimulatedWard } from './simulator/simulatedWard.ts';

export interface GatewayRuntime {
  clock: () => Date;
  newId: IdSource;
  logger: Logger;
}

export interface Gateway {
  services: GatewayServices;
  http: FastifyInstance;
  broker: DeviceBroker;
  /** Plain HTTP and MQTT ports; 0 when a provisioned gateway has turned them off. */
  httpPort: number;
  mqttPort: number;
  /** HTTPS and MQTT over TLS ports of a provisioned gateway. */
  httpsPort?: number;
  mqttsPort?: number;
  /** Stops everything in reverse order of start; safe to call more than once. */
  close(): Promise<void>;
  /** Serial ports and TCP listeners of the drivers file, when there is one (docs/devices.md). */
  drivers?: RunningDrivers;
}

/**
 * The gateway's composition root (docs/architecture.md#one-composition-root).
 * Build: the store, its read models caught up with the log. Wire and start,
 * in this order: the device broker, the HTTP API, the escalation timer, the
 * backups, the sync to the hub (when there is one), the drivers, the hub's
 * downstream messages and (for the demo) the simulated ward. Each component's
 * closer is registered as it starts; `close()` stops them in reverse order,
 * and a start that fails stops what had started.
 */
export async function startGateway(options: GatewayOptions, runtime: GatewayRuntime): Promise<Gateway> {
  const { logger } = runtime;
  const services = await openCaughtUpStore(options, runtime);
  const shutdown = createShutdownOrder(logger);
  shutdown.add(() => void services.db.close());
  // Offline commands (restore) refuse to run under a live gateway on this folder.
  shutdown.add(writePidFile(options.dataDir));
  await services.storage.start();
  shutdown.add(() => services.storage.stop());
  shutdown.add(
    services.liveFeed.subscribe((event) => services.storage.noteAppended(estimatedDiskBytes(event))),
  );

  // A provisioned gateway also serves HTTPS and MQTT over TLS with its certificate (docs/security.md).
  const provisioned = loadProvisionedConfig(options.dataDir);
  const tls: SecurePorts | undefined = provisioned && {
    material: tlsMaterialOf(options.dataDir, provisioned),
    httpsPort: options.httpsPort ?? provisioned.tls.httpsPort,
    mqttsPort: options.mqttsPort ?? provisioned.tls.mqttsPort,
  };
  const plain = options.plainPorts || !tls;

  try {
    const broker = await startDeviceBroker(deviceBrokerOptions(services, runtime, plain, tls));
    shutdown.add(() => broker.close());
    const revocations = watchRevocations({
      registry: services.registry,
      disconnect: (deviceId) => broker.disconnectRevoked(deviceId),
      intervalMs: 1000,
      logger: logger.child({ component: 'devices' }),
    });
    shutdown.add(() => revocations.stop());

    const http = { services, logger, shutdown };
    const plainHttp = plain ? await listenHttp(http, options.httpPort, 'HTTP') : undefined;
    const secureHttp = tls ? await listenHttp(http, tls.httpsPort, 'HTTPS', tls.material) : undefined;

    startBackgroundWork(services, shutdown, runtime);

    // Where the log syncs to and the hub's messages come from, decided once (sync/hubConnection.ts).
    const kekSource = kekSourceFromEnvironment(process.env);
    const hub = hubLinkOf(options.dataDir, provisioned, options.kafkaBrokers, kekSource);
    if (hub) {
      const sync = startHubSync(hub, services, logger);
      shutdown.add(() => sync.stop());
    }
    // Serial ports, TCP listeners (ASTM, HL7) and the GSM modem of drivers.json, and the
    // NILECARE_HL7_* / NILECARE_GSM_* shortcuts, which make the same entries.
    const drivers = await startDrivers(services, options.driversFile, logger, process.env);
    if (drivers) shutdown.add(() => drivers.close());
    if (hub) {
      const downstream = startHubDownstream(hub, services, logger);
      shutdown.add(() => downstream.stop());
    }

    if (options.simulate) {
      const ward = await startSimulatedWard({
        services,
        mqttPort: broker.port,
        logger: logger.child({ component: 'simulator' }),
      });
      shutdown.add(() => ward.stop());
    }

    // Admissions a crash or power cut left mid-saga: resumed, or compensated if their bed hold
    // expired, in the background so a webhook that does not answer cannot hold up the start.
    shutdown.add(() => services.admissions.close());
    void services.admissions.resumeUnfinished();
    shutdown.add(
      writePortsFile(options.dataDir, {
        httpPort: plainHttp?.port ?? 0,
        mqttPort: broker.port,
        ...(secureHttp ? { httpsPort: secureHttp.port } : {}),
        ...(broker.tlsPort !== undefined ? { mqttsPort: broker.tlsPort } : {}),
      }),
    );
    return {
      services,
      http: (plainHttp ?? secureHttp)!.app,
      broker,
      httpPort: plainHttp?.port ?? 0,
      mqttPort: broker.port,
      ...(secureHttp ? { httpsPort: secureHttp.port } : {}),
      ...(broker.tlsPort !== undefined ? { mqttsPort: broker.tlsPort } : {}),
      close: shutdown.close,
      ...(drivers ? { drivers } : {}),
    };
  } catch (error) {
    await shutdown.close();
    throw error;
  }
}

/**
 * The gateway's store with its read models caught up with the log, the
 * sync tables prepared, and the device sessions an unclean stop left open
 * recorded as lost.
 */
async function openCaughtUpStore(options: GatewayOptions, runtime: GatewayRuntime): Promise<GatewayServices> {
  const { clock, newId, logger } = runtime;
  const services = openGatewayStore(options, clock, newId, logger);
  prepareSync(services);
  const caughtUp = services.projections.catchUp(services.log);
  if (caughtUp.rebuilt.length > 0 && services.log.head.seq > 0)
    logger.info({ projections: caughtUp.rebuilt }, 'read models rebuilt from the log');
  const stale = await closeStaleSessions(services);
  if (stale > 0)
    logger.warn({ devices: stale }, 'device sessions left open by an unclean stop recorded as lost');
  return services;
}

/** The TLS material and ports of a provisioned gateway's HTTPS and MQTT over TLS. */
interface SecurePorts {
  material: TlsMaterial;
  httpsPort: number;
  mqttsPort: number;
}

function deviceBrokerOptions(
  services: GatewayServices,
  runtime: GatewayRuntime,
  plain: boolean,
  tls: SecurePorts | undefined,
): DeviceBrokerOptions {
  const { options } = services;
  return {
    plain,
    ...(tls ? { tls: { ...tls.material, port: tls.mqttsPort, host: options.mqttHost } } : {}),
    port: options.mqttPort,
    host: options.mqttHost,
    maxPacketBytes: options.maxPacketBytes,
    connectTimeoutMs: options.mqttConnectTimeoutMs,
    login: {
      maxFailures: options.mqttLoginMaxFailures,
      windowMs: options.mqttLoginWindowMs,
      concurrentChecks: options.mqttLoginConcurrentChecks,
    },
    facility: services.facility,
    registry: services.registry,
    patientRegistered: (patientId) =>
      services.projections.get<PatientDoc>('patients', patientId) !== undefined,
    recorder: services.recorder,
    newId: runtime.newId,
    clock: runtime.clock,
    metrics: services.metrics,
    logger: runtime.logger.child({ component: 'mqtt' }),
  };
}

/** The HTTP API on one port (HTTPS with `https`); a port in use is GW_ERR_PORT_IN_USE, naming it. */
async function listenHttp(
  { services, logger, shutdown }: { services: GatewayServices; logger: Logger; shutdown: ShutdownOrder },
  port: number,
  what: string,
  https?: { key: Buffer; cert: Buffer },
): Promise<{ app: FastifyInstance; port: number }> {
  const { httpHost } = services.options;
  const app = await buildHttpApp(services, logger, https);
  shutdown.add(() => app.close());
  await app.listen({ port, host: httpHost }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EADDRINUSE'
      ? new GatewayError('GW_ERR_PORT_IN_USE', [`${httpHost}:${port} (${what})`, error.message])
      : error;
  });
  return { app, port: (app.server.address() as AddressInfo).port };
}

/** The escalation timer and, when a schedule is set, the backups. */
function startBackgroundWork(
  services: GatewayServices,
  shutdown: ShutdownOrder,
  runtime: GatewayRuntime,
): void {
  const { options } = services;
  const { clock, newId, logger } = runtime;
  const escalation = startEscalationTimer({
    policy: options.escalation,
    intervalMs: options.escalationCheckMs,
    alerts: services.alerts,
    recorder: services.recorder,
    facility: services.facility,
    clock,
    newId,
    logger: logger.child({ component: 'escalation' }),
  });
  shutdown.add(() => escalation.stop());
  // The trend's minutes beyond the longest window go (docs/ui.md#trend-data); the log keeps every reading.
  const trendRetention = startVitalsMinutesRetention(services.db, clock);
  shutdown.add(() => trendRetention.stop());
  // Lab orders past their due time raise alerts the escalation timer above then escalates.
  const overdueOrders = startOverdueOrderTimer({
    orders: services.labOrderViews,
    projections: services.projections,
    recorder: services.recorder,
    facility: services.facility,
    intervalMs: options.escalationCheckMs,
    clock,
    newId,
    logger: logger.child({ component: 'labOrders' }),
  });
  shutdown.add(() => overdueOrders.stop());
  if (options.backupSchedule === '') return;
  const backups = startBackupSchedule({
    db: services.db,
    dir: options.backupDir,
    keep: options.backupKeep,
    schedule: options.backupSchedule,
    timezone: options.backupTimezone,
    clock,
    logger: logger.child({ component: 'backup' }),
    metrics: createBackupMetrics(services.metrics.registry),
  });
  shutdown.add(() => backups.stop());
}

/**
 * What an event costs on disk, roughly: its row, its lane index entry and the
 * read-model pages it touches, written once to the WAL and once to the file.
 * Only the storage guard's estimate between two measurements uses it.
 */
function estimatedDiskBytes(event: ClinicalEvent): number {
  return 2 * (512 + JSON.stringify(event.data).length);
}
