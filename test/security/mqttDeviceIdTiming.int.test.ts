import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connackReturnCode } from '../harness/rawMqttSocket.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

// Attack: telling registered device ids from unknown ones by how long a
// refused CONNECT takes (docs/security.md#d-person-or-entity-authentication).

let gateway: TestGateway;

beforeAll(async () => {
  // The throttle would stop this probe after ten failures: lifted, to measure the check itself.
  gateway = await startTestGateway({ mqttLoginMaxFailures: 1000 });
  await gateway.addDevice('monitor-registered');
});

afterAll(async () => {
  await gateway?.stop();
});

/** Milliseconds from CONNECT to its CONNACK, which must refuse the login. */
async function refusalTime(deviceId: string): Promise<number> {
  const started = performance.now();
  const code = await connackReturnCode(gateway.mqttPort, {
    clientId: deviceId,
    username: deviceId,
    password: 'not-the-password',
  });
  expect(code).toBe(4);
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('a refused MQTT login', () => {
  it('takes about as long for an unknown device id as for a registered one with a wrong password', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, so a burst of load on the machine falls on both alike.
    for (let n = 0; n < 10; n += 1) {
      known.push(await refusalTime('monitor-registered'));
      unknown.push(await refusalTime(`monitor-unknown-${n}`));
    }
    expect(median(unknown)).toBeGreaterThanOrEqual(0.5 * median(known));
  }, 60_000);
});
