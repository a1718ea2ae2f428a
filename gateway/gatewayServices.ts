import type { GatewayIdentity } from './config/gatewayIdentity.ts';
import type { GatewayOptions } from './config/gatewayOptions.ts';
import type { DeviceRegistry } from './devices/deviceRegistry.ts';
import type { IdSource } from '../kernel/events/ids.ts';
import type { EventLog } from './eventStore/eventLog.ts';
import type { SqliteDatabase } from './eventStore/openDatabase.ts';
import type { GatewayMetrics } from './metrics/gatewayMetrics.ts';
import type { PhiKeyring } from '../kernel/phi/phiKeyring.ts';
import type { AlertQueries } from './projections/alertQueries.ts';
import type { ProjectionStore } from './projections/projectionStore.ts';
import type { ClinicalRecorder } from './recording/clinicalRecorder.ts';
import type { LiveFeed } from './recording/liveFeed.ts';
import type { QuarantineWriter } from './recording/quarantine.ts';
import type { StorageGuard } from './storage/storageGuard.ts';
import type { AdmissionSagaRunner } from './sagas/admissionSagaRunner.ts';
import type { FacilityContext } from '../kernel/events/eventDraft.ts';
import type { LabOrderBook } from './labOrders/labOrderBook.ts';
import type { GatewayLabOrders } from './labOrders/readModelLabOrderBook.ts';

/** What the composition root builds and hands to the HTTP API, the broker and the CLI. */
export interface GatewayServices {
  options: GatewayOptions;
  identity: GatewayIdentity;
  facility: FacilityContext;
  db: SqliteDatabase;
  log: EventLog;
  projections: ProjectionStore;
  alerts: AlertQueries;
  recorder: ClinicalRecorder;
  quarantine: QuarantineWriter;
  registry: DeviceRegistry;
  keyring: PhiKeyring;
  liveFeed: LiveFeed;
  metrics: GatewayMetrics;
  clock: () => Date;
  newId: IdSource;
  startedAt: Date;
  /** Free space of the data folder; refuses low-priority input when the disk fills (started by the gateway). */
  storage: StorageGuard;
  /** Admissions as sagas over the configured wards' beds (sagas/, docs/admission-saga.md). */
  admissions: AdmissionSagaRunner;
  /** Lab orders by specimen and order number, for the analyzer drivers (labOrders/labOrderBook.ts). */
  labOrders: LabOrderBook;
  /** The same orders as the chart, the worklist and the overdue rule read them, with the test catalogue. */
  labOrderViews: GatewayLabOrders;
}
