import { type GatewayProcess, startGatewayProcess } from '../../test/harness/gatewayProcess.ts';
import { connectDevices, type DeviceLedger } from './bedsideDevices.ts';
import { type InstrumentLedger, runAnalyzer, runHl7Sender } from './lineClients.ts';
import { type NurseLedger, runNurse } from './wardNurse.ts';

/** Everything the clients of the gateway were told across the campaign, and where they reach it. */
export interface Ward {
  dataDir: string;
  facilityId: string;
  env: Record<string, string>;
  astmPort: number;
  hl7Port: number;
  hl7PatientId: string;
  devices: DeviceLedger[];
  nurse: NurseLedger;
  analyzer: InstrumentLedger;
  hl7: InstrumentLedger;
  /** One reading per device every this many milliseconds. */
  readingIntervalMs: number;
}

/**
 * One round: start the gateway as production does, put the whole ward to
 * work on it (monitors, nurse, analyzer, HL7 sender; the sync engine drains
 * to Kafka on its own), SIGKILL it after `killAfterMs`, and wait until every
 * client has read what the gateway wrote before it died.
 */
export async function killMidWork(
  ward: Ward,
  killAfterMs: number,
): Promise<{ signal: NodeJS.Signals | null; startMs: number }> {
  const starting = Date.now();
  const gateway: GatewayProcess = await startGatewayProcess(ward.dataDir, {
    env: ward.env,
    readyTimeoutMs: 60_000,
  });
  const startMs = Date.now() - starting;
  let running = true;
  const devices = await connectDevices(
    ward.devices,
    gateway.mqttPort,
    ward.facilityId,
    ward.readingIntervalMs,
  );
  const isRunning = () => running;
  const clients = [
    runNurse(gateway.httpPort, ward.nurse, isRunning),
    runAnalyzer(ward.astmPort, ward.analyzer, isRunning),
    runHl7Sender(ward.hl7Port, ward.hl7PatientId, ward.hl7, isRunning),
  ];
  await new Promise((resolve) => setTimeout(resolve, killAfterMs)); // the random moment is the point
  gateway.child.kill('SIGKILL');
  const { signal } = await gateway.exited;
  await devices.closed();
  running = false;
  await Promise.all(clients);
  await devices.stop();
  return { signal, startMs };
}
