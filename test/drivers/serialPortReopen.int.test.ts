import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEventLogReader } from '../harness/eventLogReader.ts';
import { createPtyPair, type DeviceEnd, openDeviceEnd, type PtyPair } from '../harness/ptyPair.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';
import { waitFor } from '../harness/waitFor.ts';

let gateway: TestGateway | undefined;
let pair: PtyPair | undefined;
let device: DeviceEnd | undefined;
const configDir = tempDataDir('nilecare-reopen-');

afterAll(async () => {
  await device?.close();
  await gateway?.stop();
  await pair?.close();
  configDir.remove();
});

describe('a serial port missing when the gateway starts', () => {
  it('does not stop the gateway, and is opened as soon as it appears', async () => {
    pair = await createPtyPair();
    await pair.unplug();
    const driversFile = join(configDir.path, 'drivers.json');
    writeFileSync(
      driversFile,
      JSON.stringify({
        serialPorts: [{ path: pair.gatewayPath, protocol: 'pulse-oximeter', deviceId: 'late-oximeter' }],
      }),
    );
    gateway = await startTestGateway({ driversFile });
    const reader = openEventLogReader(gateway.dataDir);
    try {
      expect(reader.ofType('device_connected')).toHaveLength(0);
      await pair.plugIn();
      const connected = await waitFor('the port to be opened', () => reader.ofType('device_connected')[0], {
        timeoutMs: 10_000,
      });
      expect(connected.data).toMatchObject({ deviceId: 'late-oximeter', transport: 'serial' });
      device = await openDeviceEnd(pair.devicePath);
      await device.write('SPO2=095 HR=080\r\n');
      await waitFor('the first reading', () => reader.ofType('vital_signs_recorded')[0]);
    } finally {
      reader.close();
    }
  });
});
