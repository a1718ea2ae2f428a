import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEventLogReader } from '../../test/harness/eventLogReader.ts';
import type { Campaign, CampaignOptions, CampaignReport, Violation } from '../campaign.ts';
import { startGatewayToHub } from '../link/gatewayToHub.ts';
import { linkEndViolations } from '../link/linkInvariants.ts';
import { publishReadings, readingsInLog } from '../link/wardDevices.ts';
import {
  type ClockJumps,
  expectedResolutionViolations,
  hubClockViolations,
  type LoggedFact,
  logClockViolations,
} from './clockInvariants.ts';
import { scriptedMonitor } from './scriptedMonitor.ts';

const shim = fileURLToPath(new URL('./clockShim.cjs', import.meta.url));
const hour = 3_600_000;
const day = 24 * hour;
/** One cycle of the gateway's clock: back an hour, forward a day (from real time), back in step. */
const cycle = [-hour, day, 0];
const jumpsBySize = { short: 3, full: 30 };
/** The gateway's default NILECARE_DEVICE_CLOCK_FLOOR (docs/devices.md#device-clocks). */
const clockFloor = '2020-01-01T00:00:00.000Z';
/** A device clock reset to the epoch. */
const epoch = (seconds: number) => new Date(seconds * 1000);
const ward = ['clock-ward-1', 'clock-ward-2', 'clock-ward-3'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `--campaign clock` (docs/reliability.md#clock-faults): the gateway process's
 * wall clock jumps back an hour, forward a day and back in step (a
 * `--require` shim, clockShim.cjs: the machine's clock is shared), a monitor
 * resets its clock to 1970, the ward publishes throughout and the hub
 * consumes; then the log, the alert episodes and the hub's clock figures.
 */
export const clockCampaign: Campaign = {
  name: 'clock',
  summary:
    "the gateway's clock jumps back an hour and forward a day, a monitor's clock resets to 1970, under load",
  run: runClockCampaign,
};

async function runClockCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const started = Date.now();
  const jumps = options.rounds ?? jumpsBySize[options.size];
  const offsetFile = join(options.workDir, 'gateway-clock-offset-ms');
  writeFileSync(offsetFile, '0');
  options.progress('starting Kafka, PostgreSQL, the hub and a gateway whose clock the campaign sets');
  const path = await startGatewayToHub(options.workDir, [...ward, 'clock-monitor', 'reset-monitor'], {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${shim}`.trim(),
    PROVE_CLOCK_OFFSET_FILE: offsetFile,
  });
  const violations: Violation[] = [];
  /** What stops the devices; run in `finally` too, so a failed campaign does not keep the runner alive. */
  const devicesStop: (() => Promise<unknown>)[] = [];
  try {
    const load = await publishReadings(path.gateway.mqttPort, path.facilityId, ward, 200);
    devicesStop.push(() => load.stop());
    const monitor = await scriptedMonitor(path.gateway.mqttPort, path.facilityId, 'clock-monitor');
    devicesStop.push(() => monitor.close());
    const reset = await scriptedMonitor(path.gateway.mqttPort, path.facilityId, 'reset-monitor');
    devicesStop.push(() => reset.close());
    const expected: { raisedBySeq: number; resolvedBySeq: number }[] = [];
    const taken: ClockJumps = { furthestBehindMs: 0, furthestAheadMs: 0, backwardJumps: 0 };
    let offset = 0;
    /** One episode under the clock as it is: raised, not resolved by a 1970 reading, resolved by a true one. */
    const episode = async () => {
      const raisedBySeq = await monitor.reading({ spo2: { value: 82, unit: '%' } }, new Date());
      await sleep(200);
      await monitor.reading({}, epoch(expected.length + 5));
      await sleep(200);
      expected.push({ raisedBySeq, resolvedBySeq: await monitor.reading({}, new Date()) });
      await reset.reading({ heartRate: { value: 35, unit: '/min' } }, epoch(expected.length));
      await reset.reading({}, epoch(expected.length + 1));
      await sleep(500);
    };
    await episode();
    for (let jump = 1; jump <= jumps; jump += 1) {
      const next = cycle[(jump - 1) % cycle.length]!;
      if (next < offset) taken.backwardJumps += 1;
      offset = next;
      taken.furthestBehindMs = Math.max(taken.furthestBehindMs, -offset);
      taken.furthestAheadMs = Math.max(taken.furthestAheadMs, offset);
      writeFileSync(offsetFile, String(offset));
      await sleep(300); // the shim reads the file every 50 ms
      await episode();
      if (jump % 10 === 0 || jump === jumps) options.progress(`${jump}/${jumps} clock jumps`);
    }
    for (const stop of devicesStop.splice(0)) await stop();
    if (offset !== 0) writeFileSync(offsetFile, '0');

    options.progress('waiting for the hub to settle');
    const settled = await path.settle(120_000);
    if (!settled) violations.push({ round: jumps, guarantee: 'the hub settles', detail: 'not within 120 s' });
    const ends = {
      ...(await path.ends()),
      acknowledgedReadings: readingsInLog(path.dataDir, load.acknowledged),
    };
    violations.push(...linkEndViolations(ends, jumps));
    const reader = openEventLogReader(path.dataDir);
    const log: LoggedFact[] = reader.all();
    reader.close();
    violations.push(...logClockViolations(log, clockFloor, jumps));
    violations.push(...expectedResolutionViolations(log, 'clock-monitor', expected, jumps));
    const view = await path.hub.pool.query<{ min: string | null; max: string | null; resets: string }>(
      'SELECT clock_offset_min_ms AS min, clock_offset_max_ms AS max, clock_resets AS resets FROM gateway_chains WHERE gateway_id = $1',
      [path.gatewayId],
    );
    const row = view.rows[0];
    const hubView = {
      offsetMinMs: row?.min == null ? null : Number(row.min),
      offsetMaxMs: row?.max == null ? null : Number(row.max),
      clockResets: Number(row?.resets ?? 0),
    };
    violations.push(...hubClockViolations(hubView, taken, 60_000, jumps));
    const flagged = log.filter((fact) => fact.metadata?.gatewayClockWentBackwards !== undefined).length;
    if (flagged < taken.backwardJumps)
      violations.push({
        round: jumps,
        guarantee:
          'the gateway flags each event after its clock went backwards (docs/architecture.md#the-event)',
        detail: `${flagged} flagged for ${taken.backwardJumps} jumps back`,
      });
    for (const problem of await path.stopGatewayAndVerify())
      violations.push({
        round: jumps,
        guarantee: 'the gateway stops cleanly and its log verifies',
        detail: problem,
      });

    const count = (predicate: (fact: LoggedFact) => boolean) => log.filter(predicate).length;
    return {
      campaign: 'clock',
      rounds: jumps,
      roundUnit: 'clock jumps',
      figures: {
        backwardJumps: taken.backwardJumps,
        eventsInGatewayLog: log.length,
        eventsAtHub: ends.hubEvents.length,
        readingsPubacked: load.acknowledged.size + expected.length * 5,
        episodesRaisedAndResolved: expected.length,
        implausibleClockReadings: count((fact) => fact.metadata?.deviceClockImplausible !== undefined),
        gatewayClockWentBackwardsFlags: count(
          (fact) => fact.metadata?.gatewayClockWentBackwards !== undefined,
        ),
        alertsEscalated: count((fact) => fact.eventType === 'alert_escalated'),
        hubClockOffsetMinMs: hubView.offsetMinMs ?? 'none',
        hubClockOffsetMaxMs: hubView.offsetMaxMs ?? 'none',
        hubClockResets: hubView.clockResets,
      },
      violations,
      limitations: [
        "the gateway's wall clock is shifted inside its process (a --require shim over Date), not the machine's: the machine is shared, and libfaketime is not installed here; monotonic timers are untouched, as with a real jump",
      ],
      durationMs: Date.now() - started,
    };
  } finally {
    for (const stop of devicesStop) await stop().catch(() => undefined);
    await path.close();
  }
}
