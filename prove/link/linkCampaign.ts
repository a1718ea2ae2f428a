import type { Campaign, CampaignOptions, CampaignReport, Violation } from '../campaign.ts';
import { startGatewayToHub } from './gatewayToHub.ts';
import { injectLinkFault } from './injectLinkFault.ts';
import { readGatewaySide, recordsOn } from './linkEnds.ts';
import { type LinkFaultKind, linkFaultKinds, linkFaultPlan } from './linkFaults.ts';
import { linkEndViolations } from './linkInvariants.ts';
import { between, seededRandom } from './seededRandom.ts';
import { publishReadings, readingsInLog } from './wardDevices.ts';

const devices = ['link-monitor-1', 'link-monitor-2', 'link-monitor-3', 'link-monitor-4', 'link-monitor-5'];
/** Each monitor's reading interval, in milliseconds: 25 readings/s for the ward. */
const readingIntervalMs = 200;
const faultsBySize = { short: 5, full: 100 };
/** How long the hub may take to settle once the link is whole (a broker restart costs a consumer-group rejoin). */
const settleTimeoutMs = 180_000;
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
  const last = plan.length;
  const violations: Violation[] = [];
  const faults = Object.fromEntries(linkFaultKinds.map((kind) => [kind, 0])) as Record<LinkFaultKind, number>;
  let lostAcksThatFailedASend = 0;
  options.progress('starting a Kafka broker behind the proxy, PostgreSQL, the gateway and the hub');
  const path = await startGatewayToHub(options.workDir, devices);
  let ward: Awaited<ReturnType<typeof publishReadings>> | undefined;
  try {
    const { gateway, dataDir } = path;
    ward = await publishReadings(gateway.mqttPort, path.facilityId, devices, readingIntervalMs);
    const lastSyncErrorAt = () => readGatewaySide(dataDir).lastErrorAt;
    for (const [index, fault] of plan.entries()) {
      await sleep(between(random, 300, 1500)); // a healthy stretch: the backlog moves
      const outcome = await injectLinkFault(fault, path.kafka, lastSyncErrorAt);
      faults[fault.kind] += 1;
      if (outcome.sendFailed) lostAcksThatFailedASend += 1;
      if (gateway.child.exitCode !== null || gateway.child.signalCode !== null)
        violations.push({
          round: index + 1,
          guarantee: 'the gateway outlives its link',
          detail: `it exited after ${fault.kind}`,
        });
      if ((index + 1) % 10 === 0 || index + 1 === last)
        options.progress(`${index + 1}/${last} faults, ${ward.acknowledged.size} readings PUBACKed`);
    }
    await sleep(1000);
    await ward.stop();
    const published = ward;
    ward = undefined;

    options.progress('link whole again: waiting for the gateway to drain and the hub to settle');
    const settleStarted = Date.now();
    const settled = await path.settle(settleTimeoutMs);
    const settleMs = Date.now() - settleStarted;
    const ends = {
      ...(await path.ends()),
      acknowledgedReadings: readingsInLog(dataDir, published.acknowledged),
    };
    violations.push(...linkEndViolations(ends, last));
    if (!settled)
      violations.push({
        round: last,
        guarantee: 'the hub settles once the link is whole',
        detail: `not within ${settleTimeoutMs / 1000} s`,
      });
    const onKafka = await recordsOn(path.admin, path.eventTopics);
    for (const problem of await path.stopGatewayAndVerify())
      violations.push({
        round: last,
        guarantee: 'the gateway stops cleanly and its log verifies',
        detail: problem,
      });

    const events = ends.gatewayLog.length;
    return {
      campaign: 'link',
      rounds: last,
      roundUnit: 'faults',
      figures: {
        ...Object.fromEntries(Object.entries(faults).map(([kind, count]) => [`${kind}s`, count])),
        lostAcksThatFailedASend,
        readingsSent: published.sent,
        readingsPubacked: published.acknowledged.size,
        eventsInGatewayLog: events,
        eventsAtHub: ends.hubEvents.length,
        recordsOnKafka: onKafka,
        duplicatesOnKafka: onKafka - events,
        proxyConnections: path.kafka.relay.connections,
        settleMs,
      },
      violations,
      limitations,
      durationMs: Date.now() - started,
    };
  } finally {
    // A campaign that failed midway still stops its monitors: their reconnecting clients
    // and timers would keep the runner's process alive.
    await ward?.stop().catch(() => undefined);
    await path.close();
  }
}
