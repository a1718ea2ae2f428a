import { hostname } from 'node:os';
import { compileSchema } from '../kernel/events/validateEvent.ts';
import { HubError } from './errors.ts';
import { type ComplianceRules, defaultComplianceRules } from './services/audit/complianceRules.ts';

/** The hub services `nilecare hub start --only` can name. */
export const hubServiceNames = [
  'ingest-guard',
  'fhir',
  'audit',
  'cds',
  'notifications',
  'analytics',
] as const;
export type HubServiceName = (typeof hubServiceNames)[number];

export interface RetryOptions {
  /** Tries of one record before it goes to the dead-letter topic (first try included). */
  attempts: number;
  /** Wait before the second try, in milliseconds; doubles each time, with jitter. */
  initialDelayMs: number;
  /** Longest wait between tries, in milliseconds. */
  maxDelayMs: number;
}

/** Everything the hub process can be told; one object, validated once at start. */
export interface HubOptions {
  /** Kafka bootstrap brokers, "host:port". */
  kafkaBrokers: string[];
  /** PostgreSQL connection string (production: NILECARE_HUB_DATABASE_URL). */
  databaseUrl: string;
  /** Put before every topic name (tests and shared clusters); empty in production. */
  topicPrefix: string;
  /** Consumer group of service S is `<consumerGroupPrefix>.<S>`. */
  consumerGroupPrefix: string;
  /** Services to run. */
  services: HubServiceName[];
  /** /metrics and /health. */
  httpHost: string;
  httpPort: number;
  /**
   * Where API clients reach the hub's HTTP API, e.g. `https://hub.moh.sd` behind a TLS proxy:
   * FHIR Bundle links and `fullUrl` are built on it, never on a request's Host header.
   * None = `http://<httpHost>:<port>`, the host name of the machine when httpHost is a wildcard.
   */
  publicBaseUrl?: string;
  retry: RetryOptions;
  /**
   * How long a later seq may wait for a missing earlier one before the hole is
   * reported as a gap, in milliseconds. Events of one gateway travel on ten
   * topics and many partitions, so they arrive out of order; this is the slack.
   */
  gapGraceMs: number;
  /** How often waiting events are checked for gaps, in milliseconds. */
  gapCheckIntervalMs: number;
  /** How often the outbox (dead letters, compliance events) is swept for unsent records, in ms. */
  outboxIntervalMs: number;
  /** Partitions one service works on at once (records of one partition stay in order). */
  partitionsConsumedConcurrently: number;
  /** JSON file overriding the catalogue's publishers per event type; none = the catalogue's. */
  publishersFile?: string;
  /** facilityId and tenantId of the hub's own events when the offending record names none. */
  hubFacilityId: string;
  hubTenantId: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * How long a downstream service waits for the ingest guard's verdict on an
   * event before dead-lettering it (HUB_ERR_EVENT_NOT_GUARDED), in ms.
   */
  guardWaitMs: number;
  /** JSON file of the gateways' PHI keys, for the national ID in FHIR Patient (docs/fhir.md); none = none. */
  phiKeysFile?: string;
  /** Bearer token of the FHIR and audit APIs (they serve PHI); none = those APIs answer 401. */
  apiToken?: string;
  /** The client phi_access_log names for FHIR API reads of national IDs; none = 'hub-api-token'. */
  apiClient?: string;
  /** Thresholds of the audit service's compliance rules over national-ID reads. */
  compliance: ComplianceRules;
  /** SMTP server for e-mail notifications, smtp://user:pass@host:port or smtps://...; none = no e-mail. */
  smtpUrl?: string;
  /** The From of notification e-mails. */
  notifyFrom: string;
  /** SMS aggregator webhook (HTTP POST, docs/notifications.md); none = no SMS. */
  smsWebhookUrl?: string;
  /** Delivery tries of one notification before it is dead-lettered. */
  notifyAttempts: number;
  /** Wait before the second delivery try, in ms; doubles each time up to notifyMaxDelayMs. */
  notifyInitialDelayMs: number;
  notifyMaxDelayMs: number;
  /** How often due notifications are looked for, in ms. */
  notifyIntervalMs: number;
  /** When the Ministry of Health quarterly report runs (cron, hub clock in UTC). */
  mohReportCron: string;
}

export const defaultHubOptions: Omit<HubOptions, 'databaseUrl'> = {
  kafkaBrokers: ['127.0.0.1:9092'],
  topicPrefix: '',
  consumerGroupPrefix: 'nilecare-hub',
  services: [...hubServiceNames],
  httpHost: '0.0.0.0',
  httpPort: 9464, // TCP port: the Prometheus exporter range
  retry: {
    attempts: 5,
    initialDelayMs: 200, // ms
    maxDelayMs: 10_000, // ms
  },
  gapGraceMs: 5 * 60_000, // ms: a backlog drains lane by lane; alerts first, telemetry last
  gapCheckIntervalMs: 10_000, // ms
  outboxIntervalMs: 1_000, // ms
  partitionsConsumedConcurrently: 4,
  hubFacilityId: 'hub',
  hubTenantId: 'hub',
  logLevel: 'info',
  guardWaitMs: 30 * 60_000, // ms: well past the gap grace time, so a settled chain never times out
  compliance: defaultComplianceRules,
  notifyFrom: 'NileCare Edge <notifications@nilecare.invalid>',
  notifyAttempts: 6,
  notifyInitialDelayMs: 5_000, // ms
  notifyMaxDelayMs: 10 * 60_000, // ms
  notifyIntervalMs: 2_000, // ms
  mohReportCron: '0 6 1 1,4,7,10 *', // 06:00 UTC on the first day of each quarter: the quarter just ended
};

const positiveMs = { type: 'integer', minimum: 0, maximum: 7 * 24 * 3600 * 1000 };

const optionsSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...Object.keys(defaultHubOptions), 'databaseUrl'],
  properties: {
    kafkaBrokers: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', pattern: '^[^\\s:,]+:[0-9]{1,5}$' },
    },
    databaseUrl: { type: 'string', pattern: '^postgres(ql)?://' },
    topicPrefix: { type: 'string', pattern: '^[A-Za-z0-9._-]{0,100}$' },
    consumerGroupPrefix: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,100}$' },
    services: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', enum: hubServiceNames },
    },
    httpHost: { type: 'string', minLength: 1 },
    httpPort: { type: 'integer', minimum: 0, maximum: 65535 },
    // An origin and an optional path: no user, query or fragment.
    publicBaseUrl: {
      type: 'string',
      maxLength: 500,
      pattern: '^https?://[A-Za-z0-9.:\\[\\]-]+(/[^\\s?#]*)?$',
    },
    retry: {
      type: 'object',
      additionalProperties: false,
      required: ['attempts', 'initialDelayMs', 'maxDelayMs'],
      properties: {
        attempts: { type: 'integer', minimum: 1, maximum: 100 },
        initialDelayMs: positiveMs,
        maxDelayMs: positiveMs,
      },
    },
    gapGraceMs: positiveMs,
    gapCheckIntervalMs: { type: 'integer', minimum: 10, maximum: 3600_000 },
    outboxIntervalMs: { type: 'integer', minimum: 10, maximum: 3600_000 },
    partitionsConsumedConcurrently: { type: 'integer', minimum: 1, maximum: 64 },
    publishersFile: { type: 'string', minLength: 1 },
    hubFacilityId: { type: 'string', minLength: 1, maxLength: 64 },
    hubTenantId: { type: 'string', minLength: 1, maxLength: 64 },
    logLevel: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    guardWaitMs: positiveMs,
    phiKeysFile: { type: 'string', minLength: 1 },
    apiToken: { type: 'string', minLength: 16 },
    apiClient: { type: 'string', minLength: 1, maxLength: 128 },
    compliance: {
      type: 'object',
      additionalProperties: false,
      required: ['revealsPerHour', 'timeZone', 'workingDays', 'workdayStartHour', 'workdayEndHour'],
      properties: {
        revealsPerHour: { type: 'integer', minimum: 1, maximum: 100_000 },
        timeZone: { type: 'string', minLength: 1 },
        workingDays: { type: 'array', uniqueItems: true, items: { type: 'integer', minimum: 0, maximum: 6 } },
        workdayStartHour: { type: 'number', minimum: 0, maximum: 24 },
        workdayEndHour: { type: 'number', minimum: 0, maximum: 24 },
      },
    },
    smtpUrl: { type: 'string', pattern: '^smtps?://' },
    notifyFrom: { type: 'string', minLength: 3, maxLength: 200 },
    smsWebhookUrl: { type: 'string', pattern: '^https?://' },
    notifyAttempts: { type: 'integer', minimum: 1, maximum: 50 },
    notifyInitialDelayMs: positiveMs,
    notifyMaxDelayMs: positiveMs,
    notifyIntervalMs: { type: 'integer', minimum: 10, maximum: 3600_000 },
    mohReportCron: { type: 'string', minLength: 9, maxLength: 100 },
  },
} as const;

const validateOptions = compileSchema<HubOptions>(optionsSchema);

/** Environment variables each option can be set by. */
export const hubOptionEnvironment = {
  kafkaBrokers: 'NILECARE_KAFKA_BROKERS',
  databaseUrl: 'NILECARE_HUB_DATABASE_URL',
  topicPrefix: 'NILECARE_HUB_TOPIC_PREFIX',
  httpHost: 'NILECARE_HUB_HTTP_HOST',
  httpPort: 'NILECARE_HUB_HTTP_PORT',
  publicBaseUrl: 'NILECARE_HUB_PUBLIC_BASE_URL',
  gapGraceMs: 'NILECARE_HUB_GAP_GRACE_MS',
  publishersFile: 'NILECARE_HUB_PUBLISHERS_FILE',
  logLevel: 'NILECARE_LOG_LEVEL',
  guardWaitMs: 'NILECARE_HUB_GUARD_WAIT_MS',
  phiKeysFile: 'NILECARE_HUB_PHI_KEYS',
  apiToken: 'NILECARE_HUB_API_TOKEN',
  smtpUrl: 'NILECARE_HUB_SMTP_URL',
  notifyFrom: 'NILECARE_HUB_NOTIFY_FROM',
  smsWebhookUrl: 'NILECARE_HUB_SMS_WEBHOOK_URL',
  mohReportCron: 'NILECARE_HUB_MOH_REPORT_CRON',
  apiClient: 'NILECARE_HUB_API_CLIENT',
} as const satisfies Partial<Record<keyof HubOptions, string>>;

/** Options from the environment (strings turned into the option's type). */
export function hubOptionsFromEnvironment(env: NodeJS.ProcessEnv): Partial<HubOptions> {
  const out: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(hubOptionEnvironment)) {
    const text = env[variable];
    if (text === undefined || text === '') continue;
    if (name === 'kafkaBrokers') out[name] = text.split(',').map((broker) => broker.trim());
    else if (name === 'httpPort' || name === 'gapGraceMs' || name === 'guardWaitMs')
      // Text that is not a number stays text, so the error shows what was received.
      out[name] = Number.isFinite(Number(text)) ? Number(text) : text;
    else out[name] = text;
  }
  return out as Partial<HubOptions>;
}

/** Defaults, then each layer in turn; validated once. The error names the option and the value. */
export function resolveHubOptions(...layers: Partial<HubOptions>[]): HubOptions {
  const merged: Record<string, unknown> = { ...defaultHubOptions };
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      merged[name] =
        name === 'retry' || name === 'compliance'
          ? { ...(merged[name] as object), ...(value as object) }
          : value;
    }
  }
  if (merged.databaseUrl === undefined)
    throw new HubError('HUB_ERR_OPTION_INVALID', [
      'databaseUrl',
      `a PostgreSQL connection string is required (set ${hubOptionEnvironment.databaseUrl})`,
      'nothing',
    ]);
  if (!validateOptions(merged)) {
    const error = validateOptions.errors?.[0];
    const path = (error?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const name =
      path || (error?.keyword === 'additionalProperties' ? String(error.params.additionalProperty) : '/');
    const received = path ? valueAt(merged, path) : undefined;
    throw new HubError('HUB_ERR_OPTION_INVALID', [
      name,
      error?.message ?? 'invalid',
      name === 'databaseUrl'
        ? '(a connection string, not shown)'
        : name === 'apiToken'
          ? '(a token, not shown)'
          : JSON.stringify(received),
    ]);
  }
  return merged as unknown as HubOptions;
}

function valueAt(root: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown>)?.[key], root);
}

/**
 * The base URL API clients use (HubOptions.publicBaseUrl), without a
 * trailing slash; `port` is the port the HTTP API took (it may have been 0).
 */
export function publicBaseUrlOf(
  options: Pick<HubOptions, 'publicBaseUrl' | 'httpHost'>,
  port: number,
): string {
  if (options.publicBaseUrl) return options.publicBaseUrl.replace(/\/+$/, '');
  const wildcard = options.httpHost === '0.0.0.0' || options.httpHost === '::';
  const host = wildcard ? hostname() : options.httpHost;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
