import type { GatewayMetrics } from '../gateway/metrics/gatewayMetrics.ts';
import { startTestGateway, type TestGateway } from '../test/harness/testGateway.ts';
import type { FleetDevice } from './fleetProtocol.ts';
import { benchDeviceId } from './vitalsReadings.ts';

/** The fleet process and the storage run are TypeScript entries run through tsx. */
export const tsxExecArgv = ['--import', 'tsx'] as const;
export const fleetEntry = new URL('./deviceFleet.ts', import.meta.url);

/** A whole gateway in this process (test/harness: fresh data folder, free ports, log level silent) with `count` devices registered. */
export async function startBenchGateway(
  count: number,
): Promise<{ gateway: TestGateway; devices: FleetDevice[] }> {
  const gateway = await startTestGateway();
  const devices = await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const deviceId = benchDeviceId(index);
      return { deviceId, password: await gateway.addDevice(deviceId), topic: gateway.vitalsTopic(deviceId) };
    }),
  );
  return { gateway, devices };
}

/** Sum and count of nilecare_group_commit_batch_size so far. */
export async function commitBatches(metrics: GatewayMetrics): Promise<{ sum: number; count: number }> {
  const { values } = await metrics.commitBatchSize.get();
  const value = (suffix: string) =>
    values.find((entry) => entry.metricName === `nilecare_group_commit_batch_size_${suffix}`)?.value ?? 0;
  return { sum: value('sum'), count: value('count') };
}

export function countEvents(gateway: TestGateway, eventType: string): number {
  return (
    gateway.services.db.prepare('SELECT count(*) AS n FROM events WHERE event_type = ?').get(eventType) as {
      n: number;
    }
  ).n;
}

/** CPU time (user + system) since `since`, as a percentage of one core over `elapsedMs`. */
export function cpuPercent(since: NodeJS.CpuUsage, elapsedMs: number): number {
  const used = process.cpuUsage(since);
  return Math.round(((used.user + used.system) / 1000 / elapsedMs) * 100);
}
