import { afterAll, describe, expect, it } from 'vitest';
import { runNilecare, startGatewayProcess } from '../../harness/gatewayProcess.ts';
import { freePort } from '../../harness/mllpClient.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';

// `nilecare devices add` prints the broker a device is to be configured with:
// the MQTT port the gateway is configured with, read from the same
// NILECARE_MQTT_PORT that `nilecare start` reads, never a fixed 1883.

const dir = tempDataDir('nilecare-devices-add-');
afterAll(() => dir.remove());

describe('nilecare devices add', () => {
  it('prints the configured MQTT port in its broker line, not 1883', async () => {
    const added = await runNilecare(['devices', 'add', 'monitor-p1', '--data-dir', dir.path], {
      env: { NILECARE_MQTT_PORT: '18830' },
    });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^ {2}broker: mqtt:\/\/\S+:18830$/m);
    expect(added.stdout).not.toContain(':1883\n');
  }, 60_000);

  it('prints 1883, the registered MQTT port, when no port is configured', async () => {
    const added = await runNilecare(['devices', 'add', 'monitor-p2', '--data-dir', dir.path]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^ {2}broker: mqtt:\/\/\S+:1883$/m);
  }, 60_000);

  it('prints the port the running gateway took with --mqtt-port, from a shell without its settings', async () => {
    const running = tempDataDir('nilecare-devices-add-running-');
    const port = await freePort();
    const gateway = await startGatewayProcess(running.path, { mqttPort: port });
    try {
      const added = await runNilecare(['devices', 'add', 'monitor-p3', '--data-dir', running.path]);
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toMatch(new RegExp(`^ {2}broker: mqtt://\\S+:${port}$`, 'm'));
    } finally {
      gateway.child.kill('SIGTERM');
      await gateway.exited;
      running.remove();
    }
  }, 90_000);
});
