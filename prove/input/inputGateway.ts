import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveGatewayOptions } from '../../gateway/config/gatewayOptions.ts';
import { openGatewayStore } from '../../gateway/openGatewayStore.ts';
import { uuidV7 } from '../../kernel/events/ids.ts';
import { type Role, roles } from '../../kernel/roles/permissions.ts';
import { type GatewayProcess, startGatewayProcess } from '../../test/harness/gatewayProcess.ts';
import { freePort } from '../../test/harness/mllpClient.ts';
import { addTestUser, sessionCookieFor } from '../../test/harness/sessions.ts';

/** The device, analyzer and HL7 sender the hostile input is sent as. */
export const hostileDevice = 'hostile-monitor';
export const hostileAnalyzer = 'hostile-analyzer';
/** How long the gateway waits for a CONNECT (NILECARE_MQTT_CONNECT_TIMEOUT_MS), short so the campaign measures it. */
export const mqttConnectTimeoutMs = 2000;

export interface InputGateway {
  process: GatewayProcess;
  dataDir: string;
  baseUrl: string;
  facilityId: string;
  devicePassword: string;
  astmPort: number;
  hl7Port: number;
  /** The `cookie` header of a session of each role. */
  sessions: Record<Role, { cookie: string }>;
  /** /health's `quarantined`, or undefined when it did not answer 200. */
  health(): Promise<{ status: number | undefined; quarantined: number }>;
  stop(): Promise<void>;
}

/**
 * A gateway process for the campaign: a data folder with the device, a user
 * and session of every role written before it starts (as `nilecare devices
 * add` and `users add` would), an ASTM and an HL7 listener in drivers.json
 * (docs/devices.md), and a short MQTT connect timeout.
 */
export async function startInputGateway(workDir: string): Promise<InputGateway> {
  const dataDir = join(workDir, 'gateway');
  mkdirSync(dataDir, { recursive: true });
  const store = openGatewayStore(
    resolveGatewayOptions({ dataDir, logLevel: 'silent' }),
    () => new Date(),
    uuidV7,
  );
  let devicePassword: string;
  const sessions = {} as Record<Role, { cookie: string }>;
  try {
    ({ password: devicePassword } = await store.registry.add({ deviceId: hostileDevice }));
    for (const role of roles) sessions[role] = sessionCookieFor(store, await addTestUser(store, role));
  } finally {
    store.db.close();
  }
  const [astmPort, hl7Port] = [await freePort(), await freePort()];
  writeFileSync(
    join(dataDir, 'drivers.json'),
    JSON.stringify({
      tcpListeners: [
        { protocol: 'astm', host: '127.0.0.1', port: astmPort, deviceId: hostileAnalyzer },
        { protocol: 'hl7', host: '127.0.0.1', port: hl7Port },
      ],
    }),
  );
  const running = await startGatewayProcess(dataDir, {
    // A machine loaded by other work can take longer than the harness's 20 s default to start it.
    readyTimeoutMs: 90_000,
    env: { NILECARE_MQTT_CONNECT_TIMEOUT_MS: String(mqttConnectTimeoutMs) },
  });
  const baseUrl = `http://127.0.0.1:${running.httpPort}`;
  const health = async () => {
    try {
      const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(5000) });
      const body = (await response.json()) as { quarantined?: number };
      return { status: response.status, quarantined: body.quarantined ?? 0 };
    } catch {
      return { status: undefined, quarantined: 0 };
    }
  };
  const facilityId = ((await (await fetch(`${baseUrl}/health`)).json()) as { facilityId: string }).facilityId;
  return {
    process: running,
    dataDir,
    baseUrl,
    facilityId,
    devicePassword,
    astmPort,
    hl7Port,
    sessions,
    health,
    async stop() {
      if (running.child.exitCode === null && running.child.signalCode === null) {
        running.child.kill('SIGTERM');
        await Promise.race([running.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        if (running.child.exitCode === null) running.child.kill('SIGKILL');
      }
    },
  };
}
