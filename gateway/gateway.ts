import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { type DeviceBroker, startDeviceBroker } from './broker/deviceBroker.ts';
import { closeStaleSessions } from './broker/staleSessions.ts';
import type { GatewayOptions } from './config/gatewayOptions.ts';
import { GatewayError } from './errors.ts';
import { startEscalationTimer } from './escalationTimer.ts';
import type { IdSource } from '../kernel/events/ids.ts';
import type { ClinicalEvent } from '../kernel/events/envelope.ts';
import type { GatewayServices } from './gatewayServices.ts';
import type { PatientDoc } from './projections/patients.ts';
import { buildHttpApp } from './http/buildHttpApp.ts';
import { openGatewayStore } from './openGatewayStore.ts';
import { startSimulatedWard, type SimulatedWard } from './simulator/simulatedWard.ts';
import { startDownstreamConsumer } from '../sync/downstreamConsumer.ts';
import { createSyncKafka } from '../sync/kafkaClient.ts';
import { startSyncEngine } from '../sync/syncEngine.ts';
import { prepareSync, syncEngineOptions } from '../sync/syncSetup.ts';
import { startBackupSchedule } from './backup/backupSchedule.ts';
import { createBackupMetrics } from './backup/backupMetrics.ts';
import { writePidFile } from './runtime/pidFile.ts';
import { loadProvisionedConfig } from './provisioning/gatewayConfig.ts';
import { tlsMaterialOf } from './provisioning/tlsMaterial.ts';
import { watchRevocations } from './devices/revocationWatcher.ts';
import { type RunningDrivers, startDrivers } from '../drivers/startDrivers.ts';
import { hubConnectionOf } from '../sync/hubConnection.ts';
import { kekSourceFromEnvironment } from './provisioning/provisionedStore.ts';

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
 * The gateway's composition root: opens the store, catches the read models up
 * with the log, starts the device broker, the HTTP API, the escalation timer,
 * the sync engine (when Kafka brokers are configured) and (for the demo) the
 * simulated ward.
 */
export async function startGateway(options: GatewayOptions, runtime: GatewayRuntime): Promise<Gateway> {
  const { clock, newId, logger } = runtime;
  const services = openGatewayStore(options, clock, newId, logger);
  prepareSync(services);
  const caughtUp = services.projections.catchUp(services.log);
  if (caughtUp.rebuilt.length > 0 && services.log.head.seq > 0)
    logger.info({ projections: caughtUp.rebuilt }, 'read models rebuilt from the log');
  const stale = await closeStaleSessions(services);
  if (stale > 0)
    logger.warn({ devices: stale }, 'device sessions left open by an unclean stop recorded as lost');

  const closers: (() => Promise<void> | void)[] = [() => void services.db.close()];
  // Offline commands (restore) refuse to run under a live gateway on this folder.
  closers.push(writePidFile(options.dataDir));
  await services.storage.start();
  closers.push(() => services.storage.stop());
  const unwatchAppends = services.liveFeed.subscribe((event) =>
    services.storage.noteAppended(estimatedDiskBytes(event)),
  );
  closers.push(unwatchAppends);
  const close = onceAsync(async () => {
    for (const closer of closers.reverse()) {
      try {
        await closer();
      } catch (error) {
        logger.error({ err: error }, 'error while stopping');
      }
    }
  });

  // A provisioned gateway also serves HTTPS and MQTT over TLS with its certificate (docs/security.md).
  const provisioned = loadProvisionedConfig(options.dataDir);
  const tls = provisioned ? tlsMaterialOf(options.dataDir, provisioned) : undefined;
  const plain = options.plainPorts || !tls;

  try {
    const broker = await startDeviceBroker({
      plain,
      ...(tls && provisioned
        ? { tls: { ...tls, port: options.mqttsPort ?? provisioned.tls.mqttsPort, host: options.mqttHost } }
        : {}),
      port: options.mqttPort,
      host: options.mqttHost,
      maxPacketBytes: options.maxPacketBytes,
      facility: services.facility,
      registry: services.registry,
      patientRegistered: (patientId) =>
        services.projections.get<PatientDoc>('patients', patientId) !== undefined,
      recorder: services.recorder,
      newId,
      clock,
      metrics: services.metrics,
      logger: logger.child({ component: 'mqtt' }),
    });
    closers.push(() => broker.close());
    const revocations = watchRevocations({
      registry: services.registry,
      disconnect: (deviceId) => broker.disconnectRevoked(deviceId),
      intervalMs: 1000,
      logger: logger.child({ component: 'devices' }),
    });
    closers.push(() => revocations.stop());

    const listenHttp = async (port: number, what: string, https?: { key: Buffer; cert: Buffer }) => {
      const app = await buildHttpApp(services, logger, https);
      closers.push(() => app.close());
      await app.listen({ port, host: options.httpHost }).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'EADDRINUSE'
          ? new GatewayError('GW_ERR_PORT_IN_USE', [`${options.httpHost}:${port} (${what})`, error.message])
          : error;
      });
      return { app, port: (app.server.address() as AddressInfo).port };
    };
    const plainHttp = plain ? await listenHttp(options.httpPort, 'HTTP') : undefined;
    const secureHttp =
      tls && provisioned
        ? await listenHttp(options.httpsPort ?? provisioned.tls.httpsPort, 'HTTPS', tls)
        : undefined;
    const http = (plainHttp ?? secureHttp)!.app;
    const httpPort = plainHttp?.port ?? 0;

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
    closers.push(() => escalation.stop());

    if (options.backupSchedule !== '') {
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
      closers.push(() => backups.stop());
    }

    if (options.kafkaBrokers.length > 0) {
      const sync = startSyncEngine(syncEngineOptions(options, services.identity.gatewayId), {
        db: services.db,
        metrics: services.metrics,
        logger: logger.child({ component: 'sync' }),
        clock,
        onAppended: (listener) => services.liveFeed.subscribe(() => listener()),
      });
      closers.push(() => sync.stop());
    }

    // A provisioned gateway with a hub section and no broker override syncs to the hub over SASL_SSL.
    const hub = hubConnectionOf(
      options.dataDir,
      provisioned,
      options.kafkaBrokers,
      kekSourceFromEnvironment(process.env),
    );
    if (hub) {
      const sync = startSyncEngine(
        {
          ...syncEngineOptions(options, services.identity.gatewayId),
          brokers: hub.brokers,
          security: hub.security,
        },
        {
          db: services.db,
          metrics: services.metrics,
          logger: logger.child({ component: 'sync' }),
          clock,
          onAppended: (listener) => services.liveFeed.subscribe(() => listener()),
        },
      );
      closers.push(() => sync.stop());
    }

    // Serial ports, TCP listeners (ASTM, HL7) and the GSM modem of drivers.json, and the
    // NILECARE_HL7_* / NILECARE_GSM_* shortcuts, which make the same entries.
    const drivers = await startDrivers(services, options.driversFile, logger, process.env);
    if (drivers) closers.push(() => drivers.close());

    // The same hub link as the sync engine's: explicit brokers, else the provisioned hub over SASL_SSL.
    const hubLink =
      options.kafkaBrokers.length > 0 ? { brokers: options.kafkaBrokers, security: undefined } : hub;
    if (hubLink) {
      // Hub to gateway: CDS findings and what else the hub has for this clinic (docs/hub.md).
      const downstreamLogger = logger.child({ component: 'downstream' });
      const downstream = startDownstreamConsumer({
        kafka: createSyncKafka(
          {
            brokers: hubLink.brokers,
            ...(hubLink.security ? { security: hubLink.security } : {}),
            clientId: `nilecare-gateway-${services.identity.gatewayId}-downstream`,
            requestTimeoutMs: options.syncRequestTimeoutMs,
            connectionTimeoutMs: options.syncRequestTimeoutMs,
          },
          downstreamLogger,
        ),
        db: services.db,
        record: (input) => services.recorder.record(input),
        gatewayId: services.identity.gatewayId,
        topicPrefix: options.syncTopicPrefix,
        logger: downstreamLogger,
        reconnect: { minMs: options.syncReconnectMinMs, maxMs: options.syncReconnectMaxMs },
      });
      closers.push(() => downstream.stop());
    }

    let ward: SimulatedWard | undefined;
    if (options.simulate) {
      ward = await startSimulatedWard({
        services,
        mqttPort: broker.port,
        logger: logger.child({ component: 'simulator' }),
      });
      closers.push(() => ward?.stop());
    }

    // Admissions a crash or power cut left mid-saga: resumed, or compensated if their bed hold
    // expired, in the background so a webhook that does not answer cannot hold up the start.
    closers.push(() => services.admissions.close());
    void services.admissions.resumeUnfinished();
    return {
      services,
      http,
      broker,
      httpPort,
      mqttPort: broker.port,
      ...(secureHttp ? { httpsPort: secureHttp.port } : {}),
      ...(broker.tlsPort !== undefined ? { mqttsPort: broker.tlsPort } : {}),
      close,
      ...(drivers ? { drivers } : {}),
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * What an event costs on disk, roughly: its row, its lane index entry and the
 * read-model pages it touches, written once to the WAL and once to the file.
 * Only the storage guard's estimate between two measurements uses it.
 */
function estimatedDiskBytes(event: ClinicalEvent): number {
  return 2 * (512 + JSON.stringify(event.data).length);
}

function onceAsync(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= fn();
    return running;
  };
}
