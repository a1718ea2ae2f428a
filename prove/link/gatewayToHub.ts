import { join } from 'node:path';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { benchPostgres } from '../../bench/benchPostgres.ts';
import { benchDatabase } from '../../bench/hubServices.ts';
import { leadersOf } from '../../bench/syncKafka.ts';
import { resolveHubOptions } from '../../hub/hubOptions.ts';
import { type Hub, startHub } from '../../hub/hubProcess.ts';
import { uuidV7 } from '../../kernel/events/ids.ts';
import { deadLetterTopic, downstreamTopic, topicNames } from '../../kernel/kafka/kafkaTopics.ts';
import { type GatewayProcess, runNilecare, startGatewayProcess } from '../../test/harness/gatewayProcess.ts';
import { type ProxiedKafka, startProxiedKafka } from '../../test/harness/proxiedKafka.ts';
import { waitFor } from '../../test/harness/waitFor.ts';
import { type FaultyLink, startFaultyLink } from './faultyLink.ts';
import { type LinkEnds, readGatewaySide, readHubSide, recordsOn } from './linkEnds.ts';
import { registerDevices } from './wardDevices.ts';

/**
 * The whole path of a clinical fact from a ward to the hub, as real as this
 * machine allows: `nilecare start` as a child process with its monitors
 * registered, syncing through a proxy the campaign controls
 * (faultyLink.ts) to a Kafka broker of its own, and the hub's services
 * consuming into a PostgreSQL database of its own (POSTGRES_URL's server,
 * else one started for the run). `close()` undoes everything, in reverse.
 */
export interface GatewayToHub {
  kafka: ProxiedKafka<FaultyLink>;
  admin: Admin;
  hub: Hub;
  gateway: GatewayProcess;
  dataDir: string;
  gatewayId: string;
  facilityId: string;
  /** The ten event topics under the campaign's prefix. */
  eventTopics: string[];
  deadLetterTopic: string;
  /** Waits until the gateway's backlog is empty and the hub's chain head is its last seq; false after `timeoutMs`. */
  settle(timeoutMs: number): Promise<boolean>;
  /** Both ends as they are now (acknowledgedReadings left empty: the devices' ledgers fill it). */
  ends(): Promise<LinkEnds>;
  /** SIGTERM, then `nilecare verify`: what went wrong, if anything. */
  stopGatewayAndVerify(): Promise<string[]>;
  close(): Promise<void>;
}

const prefix = 'prove.';

export async function startGatewayToHub(
  workDir: string,
  devices: readonly string[],
  gatewayEnv: Record<string, string> = {},
): Promise<GatewayToHub> {
  const cleanup: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  };
  try {
    const kafka = await startProxiedKafka((brokerPort, relayPort) => startFaultyLink(brokerPort, relayPort));
    cleanup.push(() => kafka.close());
    const postgres = await benchPostgres();
    cleanup.push(() => postgres.stop());
    const database = await benchDatabase(postgres.url, `prove_${Date.now().toString(36)}`);
    cleanup.push(() => database.drop());

    const admin = new Kafka({
      clientId: 'prove-admin',
      brokers: kafka.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 12 },
    }).admin();
    await admin.connect();
    cleanup.push(() => admin.disconnect());
    const eventTopics = topicNames.map((topic) => `${prefix}${topic}`);
    const allTopics = [...eventTopics, `${prefix}${deadLetterTopic}`, `${prefix}${downstreamTopic}`];
    await admin.createTopics({
      waitForLeaders: false,
      topics: allTopics.map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })),
    });
    await leadersOf(admin, allTopics, 3);

    const dataDir = join(workDir, 'gateway');
    const { gatewayId, facilityId } = await registerDevices(dataDir, devices);
    const gateway = await startGatewayProcess(dataDir, {
      // A loaded 2-core machine can take far longer than the harness's default 20 s.
      readyTimeoutMs: 120_000,
      env: {
        NILECARE_KAFKA_BROKERS: kafka.brokers.join(','),
        NILECARE_SYNC_TOPIC_PREFIX: prefix,
        NILECARE_SYNC_BATCH_MAX_EVENTS: '25',
        NILECARE_SYNC_RECONNECT_MIN_MS: '50',
        NILECARE_SYNC_RECONNECT_MAX_MS: '1000',
        NILECARE_SYNC_REQUEST_TIMEOUT_MS: '3000',
        ...gatewayEnv,
      },
    });
    cleanup.push(async () => {
      if (gateway.child.exitCode === null && gateway.child.signalCode === null) gateway.child.kill('SIGKILL');
      await gateway.exited;
    });

    const hub: Hub = await startHub(
      resolveHubOptions({
        kafkaBrokers: kafka.brokers,
        databaseUrl: database.url,
        topicPrefix: prefix,
        consumerGroupPrefix: `${prefix}group`,
        httpHost: '127.0.0.1',
        httpPort: 0,
        gapGraceMs: 60_000,
        logLevel: 'silent',
      }),
      // PROVE_HUB_LOG=warn shows the hub's own account of a failed run (stderr).
      {
        clock: () => new Date(),
        newId: uuidV7,
        logger: pino({ level: process.env.PROVE_HUB_LOG ?? 'silent' }, pino.destination(2)),
      },
    );
    cleanup.push(() => hub.close());

    const ends = async (): Promise<LinkEnds> => {
      const gatewaySide = readGatewaySide(dataDir);
      return {
        gatewayLog: gatewaySide.gatewayLog,
        ...(await readHubSide(hub.pool, gatewayId)),
        hubDeadLetters: await recordsOn(admin, [`${prefix}${deadLetterTopic}`]),
        gatewayBacklog: gatewaySide.backlog,
        gatewayDeadLetters: gatewaySide.deadLetters,
        acknowledgedReadings: new Map(),
      };
    };
    return {
      kafka,
      admin,
      hub,
      gateway,
      dataDir,
      gatewayId,
      facilityId,
      eventTopics,
      deadLetterTopic: `${prefix}${deadLetterTopic}`,
      settle: (timeoutMs) =>
        waitFor(
          'the hub to accept every event of the gateway',
          async () => {
            const side = readGatewaySide(dataDir);
            const hubSide = await readHubSide(hub.pool, gatewayId);
            return side.backlog === 0 && hubSide.hubChain?.headSeq === (side.gatewayLog.at(-1)?.seq ?? 0);
          },
          { timeoutMs, intervalMs: 500 },
        ).catch(() => false),
      ends,
      async stopGatewayAndVerify() {
        const problems: string[] = [];
        gateway.child.kill('SIGTERM');
        const exit = await gateway.exited;
        if (exit.code !== 0) problems.push(`the gateway stopped with exit ${exit.code} ${exit.signal}`);
        const verify = await runNilecare(['verify', '--data-dir', dataDir]);
        if (verify.code !== 0) problems.push(`nilecare verify failed: ${verify.stdout.slice(-300)}`);
        return problems;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
