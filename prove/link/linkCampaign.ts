import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { benchDatabase } from '../../bench/hubServices.ts';
import { benchPostgres } from '../../bench/benchPostgres.ts';
import { leadersOf } from '../../bench/syncKafka.ts';
import { uuidV7 } from '../../kernel/events/ids.ts';
import { deadLetterTopic, downstreamTopic, topicNames } from '../../kernel/kafka/kafkaTopics.ts';
import { resolveHubOptions } from '../../hub/hubOptions.ts';
import { type Hub, startHub } from '../../hub/hubProcess.ts';
import { runNilecare, startGatewayProcess } from '../../test/harness/gatewayProcess.ts';
import { startProxiedKafka } from '../../test/harness/proxiedKafka.ts';
import { waitFor } from '../../test/harness/waitFor.ts';
import type { Campaign, CampaignOptions, CampaignReport, Violation } from '../campaign.ts';
import { startFaultyLink } from './faultyLink.ts';
import { injectLinkFault } from './injectLinkFault.ts';
import { type LinkFaultKind, linkFaultKinds, linkFaultPlan } from './linkFaults.ts';
import { linkEndViolations } from './linkInvariants.ts';
import { readGatewaySide, readHubSide, recordsOn } from './linkEnds.ts';
import { between, seededRandom } from './seededRandom.ts';
import { publishReadings, readingsInLog, registerDevices } from './wardDevices.ts';

const devices = ['link-monitor-1', 'link-monitor-2', 'link-monitor-3', 'link-monitor-4', 'link-monitor-5'];
/** Each monitor's reading interval, in milliseconds: 25 readings/s for the ward. */
const readingIntervalMs = 200;
const faultsBySize = { short: 5, full: 100 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const limitations = [
  "slow links are the campaign's own proxy pacing bytes (2-64 kB/s), not `tc qdisc tbf`: tc is installed, but the gateway and the broker meet on lo, and a tbf on lo would slow every other user of this shared machine; a veth pair in a network namespace of its own would be the place for it",
  "the hub consumes through the same proxy as the gateway (the broker advertises it), so every fault hits the hub's link too",
];

/**
 * `--campaign link` (docs/reliability.md#link-campaign): a gateway process
 * syncing through a proxy the campaign controls to a Kafka broker of its own,
 * the hub's services consuming into PostgreSQL, monitors publishing all the
 * while; a seeded plan of cuts, stalls, slow links, lost produce
 * acknowledgements and broker restarts; then both ends compared.
 */
export const linkCampaign: Campaign = {
  name: 'link',
  summary:
    'cuts, stalls, slow links, lost produce acks and broker restarts between gateway and Kafka, the hub consuming',
  run: runLinkCampaign,
};

async function runLinkCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const started = Date.now();
  const random = seededRandom(options.seed);
  const plan = linkFaultPlan(options.rounds ?? faultsBySize[options.size], random);
  const violations: Violation[] = [];
  const faults = Object.fromEntries(linkFaultKinds.map((kind) => [kind, 0])) as Record<LinkFaultKind, number>;
  let lostAcksThatFailedASend = 0;
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    options.progress('starting a Kafka broker behind the proxy, PostgreSQL, the gateway and the hub');
    const kafka = await startProxiedKafka((brokerPort, relayPort) => startFaultyLink(brokerPort, relayPort));
    cleanup.push(() => kafka.close());
    const postgres = await benchPostgres();
    cleanup.push(() => postgres.stop());
    const database = await benchDatabase(postgres.url, `prove_link_${Date.now().toString(36)}`);
    cleanup.push(() => database.drop());

    const prefix = 'prove-link.';
    const admin = new Kafka({
      clientId: 'prove-link',
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

    const dataDir = join(options.workDir, 'gateway');
    const { gatewayId, facilityId } = await registerDevices(dataDir, devices);
    const gateway = await startGatewayProcess(dataDir, {
      env: {
        NILECARE_KAFKA_BROKERS: kafka.brokers.join(','),
        NILECARE_SYNC_TOPIC_PREFIX: prefix,
        NILECARE_SYNC_BATCH_MAX_EVENTS: '25',
        NILECARE_SYNC_RECONNECT_MIN_MS: '50',
        NILECARE_SYNC_RECONNECT_MAX_MS: '1000',
        NILECARE_SYNC_REQUEST_TIMEOUT_MS: '3000',
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
      { clock: () => new Date(), newId: uuidV7, logger: pino({ level: 'silent' }) },
    );
    cleanup.push(() => hub.close());

    const ward = await publishReadings(gateway.mqttPort, facilityId, devices, readingIntervalMs);
    let wardStopped = false;
    cleanup.push(async () => {
      if (!wardStopped) await ward.stop();
    });
    const lastSyncErrorAt = () => readGatewaySide(dataDir).lastErrorAt;

    for (const [index, fault] of plan.entries()) {
      await sleep(between(random, 300, 1500)); // a healthy stretch: the backlog moves
      const outcome = await injectLinkFault(fault, kafka, lastSyncErrorAt);
      faults[fault.kind] += 1;
      if (outcome.sendFailed) lostAcksThatFailedASend += 1;
      if (gateway.child.exitCode !== null || gateway.child.signalCode !== null)
        violations.push({
          round: index + 1,
          guarantee: 'the gateway outlives its link',
          detail: `it exited after ${fault.kind}`,
        });
      if ((index + 1) % 10 === 0 || index + 1 === plan.length)
        options.progress(`${index + 1}/${plan.length} faults, ${ward.acknowledged.size} readings PUBACKed`);
    }
    await sleep(1000);
    await ward.stop();
    wardStopped = true;

    options.progress('link whole again: waiting for the gateway to drain and the hub to settle');
    const settleStarted = Date.now();
    const head = () => readGatewaySide(dataDir).gatewayLog.at(-1)?.seq ?? 0;
    const settled = await waitFor(
      'the hub to accept every event of the gateway',
      async () => {
        const side = readGatewaySide(dataDir);
        const hubSide = await readHubSide(hub.pool, gatewayId);
        return side.backlog === 0 && hubSide.hubChain?.headSeq === head() ? true : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 500 },
    ).catch(() => false);
    const settleMs = Date.now() - settleStarted;

    const gatewaySide = readGatewaySide(dataDir);
    const hubSide = await readHubSide(hub.pool, gatewayId);
    const onKafka = await recordsOn(admin, eventTopics);
    const hubDeadLetters = await recordsOn(admin, [`${prefix}${deadLetterTopic}`]);
    violations.push(
      ...linkEndViolations(
        {
          gatewayLog: gatewaySide.gatewayLog,
          ...hubSide,
          hubDeadLetters,
          gatewayBacklog: gatewaySide.backlog,
          gatewayDeadLetters: gatewaySide.deadLetters,
          acknowledgedReadings: readingsInLog(dataDir, ward.acknowledged),
        },
        plan.length,
      ),
    );
    if (!settled)
      violations.push({
        round: plan.length,
        guarantee: 'the hub settles once the link is whole',
        detail: 'not within 180 s',
      });

    gateway.child.kill('SIGTERM');
    const exit = await gateway.exited;
    if (exit.code !== 0)
      violations.push({
        round: plan.length,
        guarantee: 'the gateway stops cleanly',
        detail: `exit ${exit.code} ${exit.signal}`,
      });
    const verify = await runNilecare(['verify', '--data-dir', dataDir]);
    if (verify.code !== 0)
      violations.push({
        round: plan.length,
        guarantee: 'nilecare verify passes',
        detail: verify.stdout.slice(-300),
      });

    const events = gatewaySide.gatewayLog.length;
    return {
      campaign: 'link',
      rounds: plan.length,
      roundUnit: 'faults',
      figures: {
        ...Object.fromEntries(Object.entries(faults).map(([kind, count]) => [`${kind}s`, count])),
        lostAcksThatFailedASend,
        readingsSent: ward.sent,
        readingsPubacked: ward.acknowledged.size,
        eventsInGatewayLog: events,
        eventsAtHub: hubSide.hubEvents.length,
        recordsOnKafka: onKafka,
        duplicatesOnKafka: onKafka - events,
        proxyConnections: kafka.relay.connections,
        settleMs,
      },
      violations,
      limitations,
      durationMs: Date.now() - started,
    };
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  }
}
