import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventLogReader } from '../harness/eventLogReader.ts';
import { type GatewayProcess, runNilecare, startGatewayProcess } from '../harness/gatewayProcess.ts';
import { metricValue, scrapeMetrics } from '../harness/prometheusText.ts';
import { connackReturnCode } from '../harness/rawMqttSocket.ts';
import { loginOverHttp } from '../harness/sessions.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';

// Attack: 200 parallel MQTT CONNECTs with a wrong password. Each used to cost
// a scrypt on the thread pool the nurses' sign-in hashes on, and a durable
// quarantine row (docs/security.md#d-person-or-entity-authentication).

const burst = 200;
const nursePassword = 'flood-test-nurse-password';
const dir = tempDataDir('nilecare-flood-');
let gateway: GatewayProcess | undefined;
let base: string;

beforeAll(async () => {
  const device = await runNilecare([
    'devices',
    'add',
    'monitor-flooded',
    '--password',
    'the-right-device-secret',
    '--data-dir',
    dir.path,
  ]);
  expect(device.code, device.stderr).toBe(0);
  const nurse = await runNilecare(
    ['users', 'add', '--data-dir', dir.path, '--username', 'amna', '--name', 'Amna', '--role', 'nurse'],
    { input: `${nursePassword}\n` },
  );
  expect(nurse.code, nurse.stderr).toBe(0);
  // The gateway's own defaults: 10 failures per address and device id a minute, 2 checks at once.
  gateway = await startGatewayProcess(dir.path);
  base = `http://127.0.0.1:${gateway.httpPort}`;
}, 60_000);

afterAll(async () => {
  gateway?.child.kill('SIGTERM');
  await gateway?.exited;
  dir.remove();
});

/** How long one nurse sign-in over HTTP takes, in milliseconds. */
async function timedSignIn(): Promise<number> {
  const started = performance.now();
  await loginOverHttp(base, 'amna', nursePassword);
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe(`${burst} parallel MQTT logins with a wrong password`, () => {
  it('are refused, most without hashing, leave a handful of quarantine rows, and do not hold up a nurse signing in', async () => {
    const port = gateway!.mqttPort;
    const unloaded = median([await timedSignIn(), await timedSignIn(), await timedSignIn()]);

    const refusals = Array.from({ length: burst }, (_, n) =>
      connackReturnCode(port, {
        clientId: `monitor-flooded/${n}`,
        username: 'monitor-flooded',
        password: `guess-${n}`,
      }),
    );
    const duringFlood = await timedSignIn();
    const codes = await Promise.all(refusals);

    expect(codes.filter((code) => code === 4 || code === 5)).toHaveLength(burst);
    const metrics = await scrapeMetrics(gateway!.httpPort);
    expect(metricValue(metrics, 'nilecare_mqtt_connects_refused_total')).toBe(burst);
    // Only the first ten of the address (and of the device id) reach scrypt.
    expect(metricValue(metrics, 'nilecare_mqtt_login_checks_total')).toBeLessThanOrEqual(10);
    expect(
      metricValue(metrics, 'nilecare_mqtt_connects_refused_total', {
        reason: 'GW_ERR_DEVICE_LOGIN_THROTTLED',
      }),
    ).toBeGreaterThanOrEqual(burst - 10);

    const reader = openEventLogReader(dir.path);
    try {
      const rows = reader.quarantinedAfter(0).filter((row) => row.channel === 'mqtt');
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(rows.length).toBeLessThanOrEqual(4);
    } finally {
      reader.close();
    }

    // Relative to the same sign-in unloaded, with a second of slack for a shared 2-core machine.
    expect(duringFlood).toBeLessThan(3 * unloaded + 1000);
  }, 60_000);

  it('keep that address and device id refused unchecked for the rest of the window, even with the right password', async () => {
    const before = metricValue(await scrapeMetrics(gateway!.httpPort), 'nilecare_mqtt_login_checks_total');
    const code = await connackReturnCode(gateway!.mqttPort, {
      clientId: 'monitor-flooded',
      username: 'monitor-flooded',
      password: 'the-right-device-secret',
    });
    expect(code).toBe(5);
    const after = metricValue(await scrapeMetrics(gateway!.httpPort), 'nilecare_mqtt_login_checks_total');
    expect(after).toBe(before);
  });
});
