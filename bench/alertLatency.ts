import type { BenchOptions } from './benchOptions.ts';
import { countEvents, cpuPercent, fleetEntry, startBenchGateway, tsxExecArgv } from './benchGateway.ts';
import { signInOverHttp } from '../test/harness/sessions.ts';
import { runChild } from './childProcess.ts';
import type { AlertSource, FleetDevice, PacedCommand, PacedResult } from './fleetProtocol.ts';
import { type LatencySummary, summarizeLatencies } from './percentiles.ts';
import { startPlainBroker } from './plainAedesBaseline.ts';
import { benchDeviceId, vitalsTopic } from './vitalsReadings.ts';

export interface LatencyRun extends LatencySummary {
  criticalSent: number;
  /** Critical readings sent whose arrival was never seen. */
  missing: number;
  unmatched: number;
  achievedRate: number;
  brokerCpuPct: number;
}

export interface AlertLatencyFigures {
  rate: number;
  seconds: number;
  /** Device publish -> critical_value_detected frame on GET /api/v1/stream. */
  gateway: LatencyRun & { alertsInLog: number };
  /** Device publish -> the same reading at a subscriber on a plain aedes broker. */
  plainAedes: LatencyRun;
}

const graceMs = 1000;

async function paced(
  mqttUrl: string,
  devices: readonly FleetDevice[],
  source: AlertSource,
  options: BenchOptions,
): Promise<LatencyRun> {
  const command: PacedCommand = {
    kind: 'paced',
    mqttUrl,
    devices,
    ratePerDevice: options.latencyRate / options.publishers,
    durationMs: options.latencySeconds * 1000,
    criticalEvery: options.criticalEvery,
    graceMs,
    source,
  };
  let cpuBefore = process.cpuUsage();
  const result = await runChild<PacedResult>(fleetEntry, tsxExecArgv, command, () => {
    cpuBefore = process.cpuUsage();
  });
  return {
    ...summarizeLatencies(result.latenciesMs),
    criticalSent: result.criticalSent,
    missing: result.criticalSent - result.latenciesMs.length,
    unmatched: result.unmatched,
    achievedRate: Math.round(result.achievedRate),
    brokerCpuPct: cpuPercent(cpuBefore, command.durationMs + graceMs),
  };
}

/** Device-to-alert latency at a steady rate, beside a plain broker's publish-to-subscriber latency at the same rate. */
export async function measureAlertLatency(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<AlertLatencyFigures> {
  log(
    `latency: gateway, ${options.publishers} devices, ${options.latencyRate} readings/s for ${options.latencySeconds} s, every ${options.criticalEvery}th critical`,
  );
  const { gateway, devices } = await startBenchGateway(options.publishers);
  let gatewayRun: AlertLatencyFigures['gateway'];
  try {
    const { headers } = await signInOverHttp(gateway, 'nurse');
    const source: AlertSource = {
      kind: 'sse',
      url: `http://127.0.0.1:${gateway.httpPort}/api/v1/stream`,
      cookie: headers.cookie,
    };
    const run = await paced(`mqtt://127.0.0.1:${gateway.mqttPort}`, devices, source, options);
    gatewayRun = { ...run, alertsInLog: countEvents(gateway, 'critical_value_detected') };
  } finally {
    await gateway.stop();
  }

  log('latency: plain aedes, same devices and rate, a subscriber on clinic/+/devices/+/vitals');
  const broker = await startPlainBroker();
  let plainRun: LatencyRun;
  try {
    const plainDevices = Array.from({ length: options.publishers }, (_, index) => ({
      deviceId: benchDeviceId(index),
      password: '',
      topic: vitalsTopic('facility-bench', benchDeviceId(index)),
    }));
    const source: AlertSource = {
      kind: 'mqtt',
      url: `mqtt://127.0.0.1:${broker.port}`,
      topic: 'clinic/+/devices/+/vitals',
    };
    plainRun = await paced(`mqtt://127.0.0.1:${broker.port}`, plainDevices, source, options);
  } finally {
    await broker.close();
  }
  return {
    rate: options.latencyRate,
    seconds: options.latencySeconds,
    gateway: gatewayRun,
    plainAedes: plainRun,
  };
}
