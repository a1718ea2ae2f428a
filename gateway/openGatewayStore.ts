import { createLabOrderBook } from './labOrders/readModelLabOrderBook.ts';
import { labTestsFilePath, loadLabTestCatalogue } from './labOrders/labTestCatalogue.ts';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { GatewayIdentity } from './config/gatewayIdentity.ts';
import { loadOrCreateIdentity } from './config/gatewayIdentity.ts';
import type { GatewayOptions } from './config/gatewayOptions.ts';
import { createDeviceRegistry } from './devices/deviceRegistry.ts';
import type { IdSource } from '../kernel/events/ids.ts';
import { EventLog } from './eventStore/eventLog.ts';
import { openDatabase } from './eventStore/openDatabase.ts';
import { createGatewayMetrics } from './metrics/gatewayMetrics.ts';
import { loadOrCreatePhiKeyring } from '../kernel/phi/phiKeyring.ts';
import { gatewayProjections } from './projections/gatewayProjections.ts';
import { ProjectionStore } from './projections/projectionStore.ts';
import { createAlertQueries } from './projections/alertQueries.ts';
import { type CriticalValueContext, reactToVitals } from './rules/criticalValueReactor.ts';
import { type News2AlertContext, reactToNews2 } from './rules/news2AlertReactor.ts';
import { news2AggregateRule } from '../kernel/clinical/news2AggregateRule.ts';
import type { LatestVitalsDoc } from './projections/latestVitals.ts';
import { spo2ScaleOfPatient } from './projections/news2Scale.ts';
import { news2DefaultRules } from '../kernel/clinical/criticalValueRules.ts';
import { episodeKey, type AlertEpisodeDoc } from './projections/alertEpisodes.ts';
import { createClinicalRecorder } from './recording/clinicalRecorder.ts';
import { LiveFeed } from './recording/liveFeed.ts';
import { createQuarantineWriter } from './recording/quarantine.ts';
import type { GatewayServices } from './gatewayServices.ts';
import { loadProvisionedConfig } from './provisioning/gatewayConfig.ts';
import { identityOf, kekSourceFromEnvironment, keyringOf } from './provisioning/provisionedStore.ts';
import { reactToLabResult } from './rules/labCriticalValueReactor.ts';
import { defaultLabRules } from './rules/labCriticalValueRules.ts';
import { withDeviceClockVerdict } from './rules/deviceClock.ts';
import pino from 'pino';
import { createStorageGuard } from './storage/storageGuard.ts';
import { privateFolder } from './storage/privateFiles.ts';
import { pruneForSpace, reusableBytes } from '../sync/retention.ts';
import { parseWards } from './config/wards.ts';
import { createAdmissionSagaRunner } from './sagas/admissionSagaRunner.ts';
import { createCareTeamNotifier } from './sagas/careTeamNotifier.ts';

/** Paths inside the data folder. */
export function dataPaths(dataDir: string) {
  return {
    database: join(dataDir, 'gateway.db'),
    identity: join(dataDir, 'gateway.json'),
    phiKeys: join(dataDir, 'keys', 'phi-keys.json'),
  };
}

/**
 * Opens everything that lives in the data folder (database, keys, identity)
 * and wires the write side and read side over it; no ports are opened. The
 * gateway process and the CLI commands both start here.
 */
export function openGatewayStore(
  options: GatewayOptions,
  clock: () => Date,
  newId: IdSource,
  logger?: Logger,
): GatewayServices {
  const paths = dataPaths(options.dataDir);
  // Names, dates of birth, password hashes and keys: the folder is the gateway user's alone, whatever the umask.
  privateFolder(options.dataDir);
  // A provisioned gateway (`nilecare provision`) takes its identity and wrapped PHI keys from
  // provisioned/nilecare.json; a development folder makes its own at first start.
  const provisioned = loadProvisionedConfig(options.dataDir);
  const identity: GatewayIdentity = provisioned
    ? identityOf(provisioned)
    : loadOrCreateIdentity(
        paths.identity,
        {
          facilityId: options.facilityId,
          tenantId: options.tenantId,
          ...(options.sudanState ? { sudanState: options.sudanState } : {}),
        },
        newId,
        clock,
      );
  const facility = {
    facilityId: identity.facilityId,
    tenantId: identity.tenantId,
    ...(identity.sudanState ? { sudanState: identity.sudanState } : {}),
  };
  const keyring = provisioned
    ? keyringOf(provisioned, kekSourceFromEnvironment(process.env))
    : loadOrCreatePhiKeyring(paths.phiKeys, clock);
  const db = openDatabase({ path: paths.database });
  const log = new EventLog(db, { gatewayId: identity.gatewayId, clock });
  const projections = new ProjectionStore(db, gatewayProjections);
  const quarantine = createQuarantineWriter(db, keyring, clock);
  const metrics = createGatewayMetrics();
  const liveFeed = new LiveFeed((error) => logger?.error({ err: error }, 'live stream listener failed'));
  const criticalValues: CriticalValueContext = {
    rules: news2DefaultRules,
    newId,
    openEpisode: (subjectId, parameter) =>
      projections.getCached<AlertEpisodeDoc>('alertEpisodes', episodeKey(subjectId, parameter)),
  };
  const news2Alerts: News2AlertContext = {
    rule: news2AggregateRule,
    newId,
    openEpisode: criticalValues.openEpisode,
    latestVitals: (subjectId) => projections.getCached<LatestVitalsDoc>('latestVitals', subjectId),
    spo2ScaleOf: (patientId) =>
      spo2ScaleOfPatient((name, docId) => projections.getCached(name, docId), patientId),
  };
  const storage = createStorageGuard({
    dir: options.dataDir,
    lowWaterBytes: options.storageLowWaterBytes,
    criticalBytes: options.storageCriticalBytes,
    recoverMarginBytes: options.storageRecoverMarginBytes,
    checkEveryMs: options.storageCheckEveryMs,
    // Measure again after a tenth of the recovery margin: the estimate never drifts far.
    refreshAfterBytes: Math.max(64 * 1024, Math.floor(options.storageRecoverMarginBytes / 10)),
    reusableBytes: () => reusableBytes(db),
    ...(options.storagePruneWhenLow ? { relieve: () => pruneForSpace(db) } : {}),
    report(freeBytes, stateValue) {
      metrics.storageFreeBytes.set(freeBytes);
      metrics.storageState.set(stateValue);
    },
    logger: (logger ?? pino({ level: 'silent' })).child({ component: 'storage' }),
  });
  const registry = createDeviceRegistry(db, clock);
  const deviceClock = { floor: options.deviceClockFloor, aheadSeconds: options.deviceClockAheadSeconds };
  const recorder = createClinicalRecorder({
    db,
    log,
    projections,
    quarantine,
    keyring,
    annotate: (draft) =>
      withDeviceClockVerdict(draft, clock(), deviceClock, (deviceId) => registry.get(deviceId)?.createdAt),
    reactors: [
      (event) => reactToVitals(event, criticalValues),
      (event) => reactToNews2(event, news2Alerts),
      (event) => reactToLabResult(event, { ...criticalValues, rules: defaultLabRules }),
    ],
    liveFeed,
    metrics,
    storage,
  });
  metrics.deadLetterQueueSize.set(quarantine.count());
  // Validated before anything listens: a broken catalogue stops the start (GW_ERR_LAB_TESTS_INVALID).
  const labOrders = createLabOrderBook({
    projections,
    liveFeed,
    catalogue: loadLabTestCatalogue(labTestsFilePath(options.dataDir)),
  });
  return {
    options,
    identity,
    facility,
    db,
    log,
    projections,
    alerts: createAlertQueries(db),
    recorder,
    quarantine,
    registry,
    keyring,
    liveFeed,
    metrics,
    clock,
    newId,
    startedAt: clock(),
    storage,
    labOrders,
    labOrderViews: labOrders,
    admissions: createAdmissionSagaRunner({
      recorder,
      projections,
      facility,
      wards: parseWards(options.wards),
      notifier: createCareTeamNotifier({
        webhookUrl: options.careTeamWebhookUrl,
        timeoutMs: options.careTeamWebhookTimeoutMs,
      }),
      policy: { reservationSeconds: options.bedReservationSeconds },
      clock,
      newId,
      ...(logger ? { logger: logger.child({ component: 'admissions' }) } : {}),
    }),
  };
}
