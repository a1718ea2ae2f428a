import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { type Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { IdSource } from '../kernel/events/ids.ts';
import { type HubPool, openHubPool } from './db/hubDatabase.ts';
import { migrateHubDatabase } from './db/migrations.ts';
import { HubError } from './errors.ts';
import { auditRoutes } from './http/auditRoutes.ts';
import { fhirRoutes } from './http/fhirRoutes.ts';
import { buildHubHttp } from './http/hubHttp.ts';
import { type HubOptions, publicBaseUrlOf } from './hubOptions.ts';
import { hubTopics } from './hubTopicNames.ts';
import { createIngestGuard, type IngestGuard } from './ingestGuard/ingestGuard.ts';
import { loadPublisherPolicy } from './ingestGuard/publisherPolicy.ts';
import { kafkaLogCreator } from './kafkaLogging.ts';
import { createHubMetrics, type HubMetrics } from './metrics/hubMetrics.ts';
import { analyticsRoutes } from './http/analyticsRoutes.ts';
import { createAnalyticsService, analyticsServiceName } from './services/analytics/analyticsService.ts';
import { createMohReports, type MohReports } from './services/analytics/mohReports.ts';
import { createCdsService } from './services/cds/cdsService.ts';
import {
  createNotificationDelivery,
  type NotificationDelivery,
} from './services/notifications/notificationDelivery.ts';
import {
  type Channel,
  type NotificationProvider,
  pushWebhookProvider,
  smsWebhookProvider,
  smtpProvider,
} from './services/notifications/notificationProviders.ts';
import {
  createNotificationService,
  notificationServiceName,
} from './services/notifications/notificationService.ts';
import { loadCdsTables } from './services/cds/cdsTables.ts';
import { refreshKafkaGauges } from './services/consumerLag.ts';
import { createHubProducer, type HubProducer } from './services/hubProducer.ts';
import { createAuditService } from './services/audit/auditService.ts';
import { createFhirService } from './services/fhir/fhirService.ts';
import { loadHubPhiKeys } from './services/fhir/hubPhiKeys.ts';
import type { HubService } from './services/hubService.ts';
import { createOutboxRelay, type OutboxRelay } from './services/outbox.ts';
import { listenForVerdicts } from './services/verdictSignal.ts';
import { type RunningService, startServiceRunner, type TransactionDeps } from './services/serviceRunner.ts';

export interface HubRuntime {
  clock: () => Date;
  newId: IdSource;
  logger: Logger;
}

export interface Hub {
  http: FastifyInstance;
  httpPort: number;
  pool: HubPool;
  metrics: HubMetrics;
  services: RunningService[];
  /** The ingest guard, when it runs in this process. */
  ingestGuard: IngestGuard | undefined;
  outbox: OutboxRelay;
  /** Notification delivery, when the notification service runs in this process. */
  notificationDelivery?: NotificationDelivery | undefined;
  /** The MoH quarterly reports, when the analytics service runs in this process. */
  mohReports?: MohReports | undefined;
  /** Stops everything in reverse order of start; safe to call more than once. */
  close(): Promise<void>;
}

const hubVersion = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/**
 * The hub's composition root: PostgreSQL (migrated), Kafka producer and
 * admin, the outbox relay, each service as its own consumer group, and the
 * HTTP endpoints; closed in reverse order, idempotently.
 */
export async function startHub(options: HubOptions, runtime: HubRuntime): Promise<Hub> {
  const { logger, clock } = runtime;
  const closers: (() => Promise<unknown> | unknown)[] = [];
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      for (const closer of closers.reverse()) {
        try {
          await closer();
        } catch (error) {
          logger.error({ err: error }, 'error while stopping');
        }
      }
    })();
    return closing;
  };

  try {
    const pool = await openHubPool(options.databaseUrl);
    closers.push(() => pool.end());
    const migrated = await migrateHubDatabase(pool);
    if (migrated.applied.length > 0) logger.info({ migrations: migrated.applied }, 'hub database migrated');
    const policy = loadPublisherPolicy(options.publishersFile);
    const phiKeys = loadHubPhiKeys(options.phiKeysFile);
    if (!phiKeys.configured && options.services.includes('fhir'))
      logger.warn('no hub PHI key file (NILECARE_HUB_PHI_KEYS): FHIR Patients are made without national IDs');

    const kafka = new Kafka({
      clientId: 'nilecare-hub',
      brokers: options.kafkaBrokers,
      logCreator: kafkaLogCreator(logger.child({ component: 'kafka' })),
    });
    const producer = await connected(createHubProducer(kafka), options);
    closers.push(() => producer.disconnect());
    const admin = await connected(kafka.admin(), options);
    closers.push(() => admin.disconnect());

    const metrics = createHubMetrics();
    const topics = hubTopics(options.topicPrefix);
    const outbox = createOutboxRelay({ pool, producer, logger, intervalMs: options.outboxIntervalMs });
    outbox.start();
    closers.push(() => outbox.stop());
    const transaction: TransactionDeps = {
      pool,
      outbox,
      metrics,
      logger,
      clock,
      deadLetterTopic: topics.deadLetter,
    };

    // Downstream services wait for the guard's verdicts by notification, not by polling (docs/hub.md).
    const verdicts = options.services.some((name) => name !== 'ingest-guard')
      ? await listenForVerdicts(options.databaseUrl, logger)
      : undefined;
    if (verdicts) closers.push(() => verdicts.close());
    let ingestGuard: IngestGuard | undefined;
    let notificationDelivery: NotificationDelivery | undefined;
    let mohReports: MohReports | undefined;
    const services: RunningService[] = [];
    for (const name of options.services) {
      const serviceLogger = logger.child({ service: name });
      let service: HubService;
      switch (name) {
        case 'ingest-guard':
          service = ingestGuard = createIngestGuard({
            topics,
            policy,
            pool,
            transaction,
            newId: runtime.newId,
            hub: { facilityId: options.hubFacilityId, tenantId: options.hubTenantId, version: hubVersion },
            metrics,
            gapGraceMs: options.gapGraceMs,
            gapCheckIntervalMs: options.gapCheckIntervalMs,
            logger: serviceLogger,
          });
          break;
        case 'fhir':
          service = createFhirService({
            topics,
            policy,
            phiKeys,
            newId: runtime.newId,
            hubVersion,
          });
          break;
        case 'audit':
          service = createAuditService({
            topics,
            policy,
            rules: options.compliance,
            metrics,
            newId: runtime.newId,
            hubVersion,
          });
          break;
        case 'cds':
          service = createCdsService({
            topics,
            policy,
            topicPrefix: options.topicPrefix,
            tables: loadCdsTables(),
            newId: runtime.newId,
            version: hubVersion,
          });
          break;
        case 'notifications': {
          const providers = new Map<Channel, NotificationProvider>([['push', pushWebhookProvider()]]);
          if (options.smtpUrl) providers.set('email', smtpProvider(options.smtpUrl, options.notifyFrom));
          if (options.smsWebhookUrl) providers.set('sms', smsWebhookProvider(options.smsWebhookUrl));
          notificationDelivery = createNotificationDelivery({
            serviceName: notificationServiceName,
            transaction: { ...transaction, logger: serviceLogger },
            topics,
            providers,
            newId: runtime.newId,
            retry: {
              attempts: options.notifyAttempts,
              initialDelayMs: options.notifyInitialDelayMs,
              maxDelayMs: options.notifyMaxDelayMs,
            },
            intervalMs: options.notifyIntervalMs,
          });
          service = createNotificationService({
            topics,
            policy,
            newId: runtime.newId,
            channels: [...providers.keys()],
            delivery: notificationDelivery,
          });
          break;
        }
        case 'analytics':
          mohReports = createMohReports({
            serviceName: analyticsServiceName,
            transaction: { ...transaction, logger: serviceLogger },
            topics,
            newId: runtime.newId,
            version: hubVersion,
            cronExpression: options.mohReportCron,
          });
          service = createAnalyticsService({ topics, policy, timers: mohReports });
          break;
        default: {
          const unknown: never = name;
          throw new HubError('HUB_ERR_OPTION_INVALID', ['services', 'unknown service', String(unknown)]);
        }
      }
      const running = await startServiceRunner(service, {
        ...transaction,
        kafka,
        producer,
        logger: serviceLogger,
        groupId: `${options.consumerGroupPrefix}.${name}`,
        retry: options.retry,
        partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
        notReadyTimeoutMs: options.guardWaitMs,
        ...(verdicts && name !== 'ingest-guard' ? { verdicts } : {}),
      });
      services.push(running);
      closers.push(() => running.close());
    }
    if (ingestGuard) {
      // Gateways' dead-letter notices explain holes in their seq (docs/hub.md): a consumer group of its own.
      const notices = await startServiceRunner(ingestGuard.notices, {
        ...transaction,
        kafka,
        producer,
        logger: logger.child({ service: ingestGuard.notices.name }),
        groupId: `${options.consumerGroupPrefix}.${ingestGuard.notices.name}`,
        retry: options.retry,
        partitionsConsumedConcurrently: 1,
      });
      services.push(notices);
      closers.push(() => notices.close());
    }
    // Rows a previous run committed but did not send.
    outbox.flush().catch((error: unknown) => logger.warn({ err: error }, 'outbox not sent yet'));

    // Set once the API listens (its port may be 0 until then); requests arrive only after.
    let publicBaseUrl = publicBaseUrlOf(options, options.httpPort);
    const http = buildHubHttp({
      registry: metrics.registry,
      beforeScrape: async () => {
        await refreshKafkaGauges(admin, metrics, services, topics.deadLetter);
        metrics.outboxPending.set(await outbox.pending());
        await ingestGuard?.refreshGauges();
      },
      health: () => hubHealth(pool, services, outbox),
      apis: [
        {
          prefix: '/fhir',
          register: (app) =>
            fhirRoutes(app, {
              pool,
              apiToken: options.apiToken,
              version: hubVersion,
              clock,
              phiKeys,
              apiClient: options.apiClient ?? 'hub-api-token',
              newId: runtime.newId,
              publicBaseUrl: () => publicBaseUrl,
            }),
        },
        {
          prefix: '/api/v1/audit',
          register: (app) => auditRoutes(app, { pool, apiToken: options.apiToken }),
        },
      ],
    });
    await http.register(analyticsRoutes, { pool, reports: mohReports, apiToken: options.apiToken });
    await http
      .listen({ port: options.httpPort, host: options.httpHost })
      .catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'EADDRINUSE'
          ? new HubError('HUB_ERR_PORT_IN_USE', [
              `${options.httpHost}:${options.httpPort} (HTTP)`,
              error.message,
            ])
          : error;
      });
    closers.push(() => http.close());
    const httpPort = (http.server.address() as AddressInfo).port;
    publicBaseUrl = publicBaseUrlOf(options, httpPort);
    return {
      http,
      httpPort,
      pool,
      metrics,
      services,
      ingestGuard,
      outbox,
      notificationDelivery,
      mohReports,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function connected<T extends HubProducer | Admin>(client: T, options: HubOptions): Promise<T> {
  try {
    await client.connect();
    return client;
  } catch (error) {
    throw new HubError('HUB_ERR_KAFKA_UNREACHABLE', [
      options.kafkaBrokers.join(','),
      (error as Error).message,
    ]);
  }
}

async function hubHealth(pool: HubPool, services: RunningService[], outbox: OutboxRelay) {
  const postgres = await pool.query('SELECT 1').then(
    () => 'ok',
    (error: Error) => error.message,
  );
  const serviceHealth = services.map((service) => service.health());
  const ok = postgres === 'ok' && serviceHealth.every((service) => service.running);
  return {
    status: ok ? ('ok' as const) : ('degraded' as const),
    postgres,
    services: serviceHealth,
    outboxPending: postgres === 'ok' ? await outbox.pending() : null,
  };
}
