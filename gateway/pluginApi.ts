/**
 * What the gateway's plug-ins (drivers/ and sync/) may use of it, and nothing
 * more: an import rule (test/architecture/importRules.unit.test.ts) refuses
 * any other path from drivers/ or sync/ into gateway/. Everything else they
 * need is in kernel/. Widening this list is a design decision: say why here.
 */

/** What the composition root hands a plug-in when it starts it. */
export type { GatewayServices } from './gatewayServices.ts';
export type { GatewayOptions } from './config/gatewayOptions.ts';
export type { GatewayMetrics } from './metrics/gatewayMetrics.ts';
export type { DeviceRegistry } from './devices/deviceRegistry.ts';

/** Recording what a device reported, the one way into the event log (docs/architecture.md). */
export type { ClinicalRecorder, RecordInput, RecordOutcome } from './recording/clinicalRecorder.ts';
export { summarize } from './recording/clinicalRecorder.ts';

/** The gateway's SQLite file: plug-ins keep their own tables in it and read the log in order. */
export type { SqliteDatabase } from './eventStore/openDatabase.ts';
export { rowToEvent } from './eventStore/eventLog.ts';
export { uuidToBytes } from './eventStore/uuidBytes.ts';

/** Read models a driver consults (the GSM modem's escalation SMS names the alert and the patient's bed). */
export type { AlertDoc } from './projections/alerts.ts';
export type { PatientDoc } from './projections/patients.ts';

/** The provisioned identity and secrets the sync engine connects to the hub with. */
export { type ProvisionedConfig, provisionedPaths } from './provisioning/gatewayConfig.ts';
export { deriveKek, type KekSource, unwrapSecret } from './provisioning/keyEncryptionKey.ts';

/** The gateway's coded errors, which drivers raise for what devices send (docs/errors.md). */
export { GatewayError, isGatewayError } from './errors.ts';

/** Plug-ins keep their own migrations beside their code; the gateway lists them in one numbered sequence. */
export type { Migration } from './eventStore/migration.ts';

// Lab orders for the analyzer drivers (host queries, order download, HL7 orders out).
export type { LabOrderBook, OrderedTest, PlacedLabOrder } from './labOrders/labOrderBook.ts';
