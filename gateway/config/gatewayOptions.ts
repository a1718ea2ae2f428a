import { resolve } from 'node:path';
import cron from 'node-cron';
import { GatewayError } from '../errors.ts';
import { compileSchema } from '../../kernel/events/validateEvent.ts';
import { defaultDeviceClockPolicy } from '../rules/deviceClock.ts';
import { defaultEscalationPolicy, type EscalationPolicy } from '../rules/escalationPolicy.ts';
import { defaultWardsSpec, parseWards } from './wards.ts';
import { checkShiftTimezone, parseShiftChanges } from '../handover/shiftStart.ts';

/** Everything the gateway process can be told; one object, validated once at start. */
export interface GatewayOptions {
  /** Folder for the database, keys and identity. */
  dataDir: string;
  /** HTTP API and nurse UI. */
  httpHost: string;
  httpPort: number;
  /** Embedded MQTT broker for devices. */
  mqttHost: string;
  mqttPort: number;
  /** Largest MQTT packet accepted, in bytes. */
  maxPacketBytes: number;
  /** A connection that sends no CONNECT within this long is closed, in milliseconds. */
  mqttConnectTimeoutMs: number;
  /** Failed MQTT logins per source address, and per device id, within the window; more are refused unchecked. */
  mqttLoginMaxFailures: number;
  /** The failed-login window, and the period refused logins are quarantined once per source, in milliseconds. */
  mqttLoginWindowMs: number;
  /** Device passwords checked (scrypt) at once; the rest wait, so sign-ins keep threads to hash on. */
  mqttLoginConcurrentChecks: number;
  /** Facility this gateway serves, for new identities (provisioning sets them for real). */
  facilityId: string;
  tenantId: string;
  sudanState?: string;
  escalation: EscalationPolicy;
  /** How often unacknowledged alerts are checked for escalation, in milliseconds. */
  escalationCheckMs: number;
  /** A reading older than this is shown as stale, in seconds. */
  staleAfterSeconds: number;
  /** Run simulated bedside devices that publish over real MQTT (the demo). */
  simulate: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** The hub's Kafka bootstrap brokers, "host:port"; none: the sync engine does not run (docs/sync.md). */
  kafkaBrokers: string[];
  /** Put before every Kafka topic name (a shared cluster, tests); empty in production. */
  syncTopicPrefix: string;
  /** Bandwidth budget of the sync engine, in record bytes per second; 0: no limit. */
  syncBandwidthBytesPerSecond: number;
  /** Most events in one send to Kafka. */
  syncBatchMaxEvents: number;
  /** Most record bytes in one send to Kafka, in bytes. */
  syncBatchMaxBytes: number;
  /** Events the hub acknowledged may be pruned from the log once older than this, in days; 0: never. */
  syncRetentionDays: number;
  /** Reconnect backoff (exponential, full jitter): the first and the longest wait, in milliseconds. */
  syncReconnectMinMs: number;
  syncReconnectMaxMs: number;
  /** How long one Kafka request may take before it counts as failed, in milliseconds. */
  syncRequestTimeoutMs: number;
  /** Folder of scheduled backups; empty: `<dataDir>/backups`. */
  backupDir: string;
  /** When to back up (cron expression, node-cron); empty: never. */
  backupSchedule: string;
  /** How many backups to keep (the oldest go first). */
  backupKeep: number;
  /** IANA time zone the backup schedule is read in. */
  backupTimezone: string;
  /** Listen on plain HTTP and MQTT too; a provisioned gateway may turn them off once all clients use TLS. */
  plainPorts: boolean;
  /** HTTPS and MQTT over TLS ports of a provisioned gateway; absent: the ports in its configuration. */
  httpsPort?: number;
  mqttsPort?: number;
  /** The device drivers file (serial ports, TCP listeners); default <dataDir>/drivers.json, see docs/devices.md. */
  driversFile?: string;
  /** A nurse's session ends after this long without a request, in minutes (docs/security-access.md). */
  sessionIdleMinutes: number;
  /** A session ends this long after sign-in whatever its use, in hours. */
  sessionMaxHours: number;
  /** Below this much free disk space telemetry that raises no alert is refused, in bytes (docs/operations.md). */
  storageLowWaterBytes: number;
  /** Below this much free disk space only alerts, acknowledgements and clinician actions are taken, in bytes. */
  storageCriticalBytes: number;
  /** A disk-space state is left only this far above its threshold, in bytes (no flapping). */
  storageRecoverMarginBytes: number;
  /** How often free disk space is measured, in milliseconds (it is also estimated as events are appended). */
  storageCheckEveryMs: number;
  /** Below the low-water mark, prune hub-acknowledged events before their retention age (even with retention off). */
  storagePruneWhenLow: boolean;
  /** Wards and beds of the clinic, "Ward A:A1-A8;Maternity:M1-M4" (config/wards.ts, docs/admission-saga.md). */
  wards: string;
  /** The care team's webhook on the clinic LAN, told of each admission; empty: the ward board only. */
  careTeamWebhookUrl: string;
  /** How long the care-team webhook may take to answer before the admission is rolled back, in milliseconds. */
  careTeamWebhookTimeoutMs: number;
  /** How long an admission may hold a bed before it must be admitted or released, in seconds. */
  bedReservationSeconds: number;
  /**
   * A device or analyzer measurement time before this instant is implausible (a clock reset to
   * 1970): kept, flagged, never resolves an alert (docs/devices.md#device-clocks).
   */
  deviceClockFloor: string;
  /** A measurement time further ahead of the gateway's clock than this is implausible, in seconds. */
  deviceClockAheadSeconds: number;
  /** When the nursing shifts start, local "HH:MM" times separated by commas (docs/ui.md#shift-handover). */
  shiftChanges: string;
  /** The time zone the shift changes are read in (IANA name). */
  shiftTimezone: string;
}

export const defaultGatewayOptions: GatewayOptions = {
  dataDir: './data',
  httpHost: '0.0.0.0',
  httpPort: 8080, // TCP port
  mqttHost: '0.0.0.0',
  mqttPort: 1883, // TCP port, MQTT's registered port
  maxPacketBytes: 16 * 1024, // bytes: a vitals reading is a few hundred
  mqttConnectTimeoutMs: 10_000, // ms: a device sends CONNECT at once
  mqttLoginMaxFailures: 10, // failed logins per address and per device id
  mqttLoginWindowMs: 60_000, // ms
  mqttLoginConcurrentChecks: 2, // scrypt checks: half of libuv's default 4 threads
  facilityId: 'facility-dev',
  tenantId: 'tenant-dev',
  escalation: defaultEscalationPolicy,
  escalationCheckMs: 1000, // ms
  staleAfterSeconds: 60, // s
  simulate: false,
  logLevel: 'info',
  kafkaBrokers: [],
  syncTopicPrefix: '',
  syncBandwidthBytesPerSecond: 0, // bytes/s; 0: no limit
  syncBatchMaxEvents: 500, // events
  syncBatchMaxBytes: 512 * 1024, // bytes, under Kafka's default max.message.bytes (1 MiB)
  syncRetentionDays: 0, // days; 0: keep every event
  syncReconnectMinMs: 250, // ms
  syncReconnectMaxMs: 30_000, // ms
  syncRequestTimeoutMs: 30_000, // ms, kafkajs' default
  backupDir: '',
  backupSchedule: '15 2 * * *', // every night at 02:15
  backupKeep: 14, // backups
  backupTimezone: 'Africa/Khartoum',
  plainPorts: true,
  sessionIdleMinutes: 15, // min
  sessionMaxHours: 12, // h: one shift
  storageLowWaterBytes: 1024 * 1024 * 1024, // bytes: 1 GiB, about a million readings
  storageCriticalBytes: 256 * 1024 * 1024, // bytes: room for days of alerts and actions
  storageRecoverMarginBytes: 64 * 1024 * 1024, // bytes
  storageCheckEveryMs: 10_000, // ms
  storagePruneWhenLow: true,
  wards: defaultWardsSpec,
  careTeamWebhookUrl: '', // none: the ward board only
  careTeamWebhookTimeoutMs: 5000, // ms
  bedReservationSeconds: 600, // s
  deviceClockFloor: defaultDeviceClockPolicy.floor, // ISO 8601 instant
  deviceClockAheadSeconds: defaultDeviceClockPolicy.aheadSeconds, // s
  shiftChanges: '07:00,19:00', // local wall-clock times: a day and a night shift
  shiftTimezone: 'Africa/Khartoum',
};

const idSchema = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' };
const port = { type: 'integer', minimum: 0, maximum: 65535 };

const optionsSchema = {
  type: 'object',
  additionalProperties: false,
  required: Object.keys(defaultGatewayOptions),
  properties: {
    dataDir: { type: 'string', minLength: 1 },
    httpHost: { type: 'string', minLength: 1 },
    httpPort: port,
    mqttHost: { type: 'string', minLength: 1 },
    mqttPort: port,
    maxPacketBytes: { type: 'integer', minimum: 256, maximum: 16 * 1024 * 1024 },
    mqttConnectTimeoutMs: { type: 'integer', minimum: 100, maximum: 600_000 },
    mqttLoginMaxFailures: { type: 'integer', minimum: 1, maximum: 100_000 },
    mqttLoginWindowMs: { type: 'integer', minimum: 1000, maximum: 86_400_000 },
    mqttLoginConcurrentChecks: { type: 'integer', minimum: 1, maximum: 64 },
    facilityId: idSchema,
    tenantId: idSchema,
    sudanState: { type: 'string', minLength: 1, maxLength: 64 },
    escalation: {
      type: 'object',
      additionalProperties: false,
      required: ['highAfterSeconds', 'mediumAfterSeconds', 'repeatEverySeconds', 'maxLevel'],
      properties: {
        highAfterSeconds: { type: 'number', exclusiveMinimum: 0 },
        mediumAfterSeconds: { type: 'number', exclusiveMinimum: 0 },
        repeatEverySeconds: { type: 'number', exclusiveMinimum: 0 },
        maxLevel: { type: 'integer', minimum: 1, maximum: 10 },
      },
    },
    escalationCheckMs: { type: 'integer', minimum: 10, maximum: 60000 },
    staleAfterSeconds: { type: 'number', exclusiveMinimum: 0 },
    simulate: { type: 'boolean' },
    logLevel: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    kafkaBrokers: {
      type: 'array',
      maxItems: 32,
      items: { type: 'string', pattern: '^[A-Za-z0-9._\\[\\]:-]+:[0-9]{1,5}$' },
    },
    syncTopicPrefix: { type: 'string', pattern: '^[A-Za-z0-9._-]{0,100}$' },
    syncBandwidthBytesPerSecond: { type: 'integer', minimum: 0 },
    syncBatchMaxEvents: { type: 'integer', minimum: 1, maximum: 100_000 },
    syncBatchMaxBytes: { type: 'integer', minimum: 1024, maximum: 64 * 1024 * 1024 },
    syncRetentionDays: { type: 'number', minimum: 0 },
    syncReconnectMinMs: { type: 'integer', minimum: 1, maximum: 600_000 },
    syncReconnectMaxMs: { type: 'integer', minimum: 1, maximum: 3_600_000 },
    syncRequestTimeoutMs: { type: 'integer', minimum: 100, maximum: 600_000 },
    backupDir: { type: 'string' },
    backupSchedule: { type: 'string', maxLength: 100 },
    backupKeep: { type: 'integer', minimum: 1, maximum: 10_000 },
    backupTimezone: { type: 'string', minLength: 1, maxLength: 64 },
    plainPorts: { type: 'boolean' },
    httpsPort: port,
    mqttsPort: port,
    driversFile: { type: 'string', minLength: 1 },
    sessionIdleMinutes: { type: 'number', exclusiveMinimum: 0, maximum: 24 * 60 },
    sessionMaxHours: { type: 'number', exclusiveMinimum: 0, maximum: 7 * 24 },
    storageLowWaterBytes: { type: 'integer', minimum: 0 },
    storageCriticalBytes: { type: 'integer', minimum: 0 },
    storageRecoverMarginBytes: { type: 'integer', minimum: 0 },
    storageCheckEveryMs: { type: 'integer', minimum: 50, maximum: 3_600_000 },
    storagePruneWhenLow: { type: 'boolean' },
    wards: { type: 'string', minLength: 1, maxLength: 10_000 },
    careTeamWebhookUrl: { type: 'string', pattern: '^(https?://[^\\s]+)?$', maxLength: 2000 },
    careTeamWebhookTimeoutMs: { type: 'integer', minimum: 100, maximum: 120_000 },
    bedReservationSeconds: { type: 'integer', minimum: 10, maximum: 86_400 },
    deviceClockFloor: { type: 'string', format: 'date-time' },
    deviceClockAheadSeconds: { type: 'integer', minimum: 60, maximum: 7 * 86_400 },
    shiftChanges: { type: 'string', minLength: 5, maxLength: 200 },
    shiftTimezone: { type: 'string', minLength: 1, maxLength: 64 },
  },
} as const;

const validateOptions = compileSchema<GatewayOptions>(optionsSchema);

/** Environment variables each option can be set by. */
export const optionEnvironment: Partial<Record<keyof GatewayOptions, string>> = {
  dataDir: 'NILECARE_DATA_DIR',
  httpHost: 'NILECARE_HTTP_HOST',
  httpPort: 'NILECARE_HTTP_PORT',
  mqttHost: 'NILECARE_MQTT_HOST',
  mqttPort: 'NILECARE_MQTT_PORT',
  maxPacketBytes: 'NILECARE_MAX_PACKET_BYTES',
  mqttConnectTimeoutMs: 'NILECARE_MQTT_CONNECT_TIMEOUT_MS',
  mqttLoginMaxFailures: 'NILECARE_MQTT_LOGIN_MAX_FAILURES',
  mqttLoginWindowMs: 'NILECARE_MQTT_LOGIN_WINDOW_MS',
  mqttLoginConcurrentChecks: 'NILECARE_MQTT_LOGIN_CONCURRENT_CHECKS',
  facilityId: 'NILECARE_FACILITY_ID',
  tenantId: 'NILECARE_TENANT_ID',
  sudanState: 'NILECARE_SUDAN_STATE',
  logLevel: 'NILECARE_LOG_LEVEL',
  simulate: 'NILECARE_SIMULATE',
  kafkaBrokers: 'NILECARE_KAFKA_BROKERS',
  syncTopicPrefix: 'NILECARE_SYNC_TOPIC_PREFIX',
  syncBandwidthBytesPerSecond: 'NILECARE_SYNC_BANDWIDTH_BYTES_PER_SECOND',
  syncBatchMaxEvents: 'NILECARE_SYNC_BATCH_MAX_EVENTS',
  syncBatchMaxBytes: 'NILECARE_SYNC_BATCH_MAX_BYTES',
  syncRetentionDays: 'NILECARE_SYNC_RETENTION_DAYS',
  syncReconnectMinMs: 'NILECARE_SYNC_RECONNECT_MIN_MS',
  syncReconnectMaxMs: 'NILECARE_SYNC_RECONNECT_MAX_MS',
  syncRequestTimeoutMs: 'NILECARE_SYNC_REQUEST_TIMEOUT_MS',
  backupDir: 'NILECARE_BACKUP_DIR',
  backupSchedule: 'NILECARE_BACKUP_SCHEDULE',
  backupKeep: 'NILECARE_BACKUP_KEEP',
  backupTimezone: 'NILECARE_BACKUP_TIMEZONE',
  plainPorts: 'NILECARE_PLAIN_PORTS',
  httpsPort: 'NILECARE_HTTPS_PORT',
  mqttsPort: 'NILECARE_MQTTS_PORT',
  driversFile: 'NILECARE_DRIVERS_FILE',
  sessionIdleMinutes: 'NILECARE_SESSION_IDLE_MINUTES',
  sessionMaxHours: 'NILECARE_SESSION_MAX_HOURS',
  storageLowWaterBytes: 'NILECARE_STORAGE_LOW_WATER_BYTES',
  storageCriticalBytes: 'NILECARE_STORAGE_CRITICAL_BYTES',
  storageRecoverMarginBytes: 'NILECARE_STORAGE_RECOVER_MARGIN_BYTES',
  storageCheckEveryMs: 'NILECARE_STORAGE_CHECK_EVERY_MS',
  storagePruneWhenLow: 'NILECARE_STORAGE_PRUNE_WHEN_LOW',
  wards: 'NILECARE_WARDS',
  careTeamWebhookUrl: 'NILECARE_CARE_TEAM_WEBHOOK_URL',
  careTeamWebhookTimeoutMs: 'NILECARE_CARE_TEAM_WEBHOOK_TIMEOUT_MS',
  bedReservationSeconds: 'NILECARE_BED_RESERVATION_SECONDS',
  deviceClockFloor: 'NILECARE_DEVICE_CLOCK_FLOOR',
  deviceClockAheadSeconds: 'NILECARE_DEVICE_CLOCK_AHEAD_SECONDS',
  shiftChanges: 'NILECARE_SHIFT_CHANGES',
  shiftTimezone: 'NILECARE_SHIFT_TIMEZONE',
};

const numeric = new Set<keyof GatewayOptions>([
  'httpPort',
  'mqttPort',
  'maxPacketBytes',
  'mqttConnectTimeoutMs',
  'mqttLoginMaxFailures',
  'mqttLoginWindowMs',
  'mqttLoginConcurrentChecks',
  'escalationCheckMs',
  'staleAfterSeconds',
  'syncBandwidthBytesPerSecond',
  'syncBatchMaxEvents',
  'syncBatchMaxBytes',
  'syncRetentionDays',
  'syncReconnectMinMs',
  'syncReconnectMaxMs',
  'syncRequestTimeoutMs',
  'backupKeep',
  'httpsPort',
  'mqttsPort',
  'sessionIdleMinutes',
  'sessionMaxHours',
  'storageLowWaterBytes',
  'storageCriticalBytes',
  'storageRecoverMarginBytes',
  'storageCheckEveryMs',
  'careTeamWebhookTimeoutMs',
  'bedReservationSeconds',
  'deviceClockAheadSeconds',
]);

function coerce(name: keyof GatewayOptions, text: string): unknown {
  // Text that is not a number stays text, so the error shows what was received (NaN would print as null).
  if (numeric.has(name)) return text.trim() === '' || !Number.isFinite(Number(text)) ? text : Number(text);
  // "host:port,host:port": the form KAFKA_BROKERS takes everywhere.
  if (name === 'kafkaBrokers')
    return text
      .split(',')
      .map((broker) => broker.trim())
      .filter((broker) => broker !== '');
  if (name === 'simulate' || name === 'plainPorts' || name === 'storagePruneWhenLow')
    return text === 'true' || text === '1' ? true : text === 'false' || text === '0' ? false : text;
  return text;
}

/** Options from the environment (strings coerced to the option's type). */
export function optionsFromEnvironment(env: NodeJS.ProcessEnv): Partial<GatewayOptions> {
  const out: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(optionEnvironment) as [keyof GatewayOptions, string][]) {
    const value = env[variable];
    if (value !== undefined) out[name] = coerce(name, value);
  }
  return out as Partial<GatewayOptions>;
}

/**
 * Defaults, then environment, then flags: applied, validated, interpreted.
 * An invalid option is named in the error with the value received.
 */
export function resolveGatewayOptions(...layers: Partial<GatewayOptions>[]): GatewayOptions {
  const merged = Object.assign({}, defaultGatewayOptions, ...layers.map(dropUndefined)) as GatewayOptions;
  merged.escalation = { ...defaultGatewayOptions.escalation, ...merged.escalation };
  if (!validateOptions(merged)) {
    const error = validateOptions.errors![0]!;
    const name =
      error.instancePath.replace(/^\//, '').replace(/\//g, '.') ||
      String(error.params.additionalProperty ?? error.params.missingProperty ?? '');
    const received = name
      .split('.')
      .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], merged);
    throw new GatewayError('GW_ERR_OPTION_INVALID', [
      name,
      error.message ?? 'invalid',
      JSON.stringify(received),
    ]);
  }
  if (merged.syncReconnectMaxMs < merged.syncReconnectMinMs)
    throw new GatewayError('GW_ERR_OPTION_INVALID', [
      'syncReconnectMaxMs',
      `must be at least syncReconnectMinMs (${merged.syncReconnectMinMs})`,
      JSON.stringify(merged.syncReconnectMaxMs),
    ]);
  if (merged.backupSchedule !== '' && !cron.validate(merged.backupSchedule))
    throw new GatewayError('GW_ERR_OPTION_INVALID', [
      'backupSchedule',
      'is not a cron expression (five fields, or six with seconds first)',
      JSON.stringify(merged.backupSchedule),
    ]);
  if (merged.storageCriticalBytes > merged.storageLowWaterBytes)
    throw new GatewayError('GW_ERR_OPTION_INVALID', [
      'storageCriticalBytes',
      `must be at most storageLowWaterBytes (${merged.storageLowWaterBytes})`,
      JSON.stringify(merged.storageCriticalBytes),
    ]);
  parseWards(merged.wards);
  parseShiftChanges(merged.shiftChanges);
  checkShiftTimezone(merged.shiftTimezone);
  const dataDir = resolve(merged.dataDir);
  return { ...merged, dataDir, backupDir: resolve(dataDir, merged.backupDir || 'backups') };
}

function dropUndefined<T extends object>(layer: T): Partial<T> {
  return Object.fromEntries(Object.entries(layer).filter(([, value]) => value !== undefined)) as Partial<T>;
}
