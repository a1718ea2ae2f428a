import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftFor } from '../../../gateway/http/draftFor.ts';
import { type EventLogReader, openEventLogReader } from '../../harness/eventLogReader.ts';
import { createPtyPair, type DeviceEnd, openDeviceEnd, type PtyPair } from '../../harness/ptyPair.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { waitFor } from '../../harness/waitFor.ts';

// A pulse oximeter on a real pseudo-terminal: its lines become vital signs and
// feed the same critical-value rules as MQTT monitors; unplugged and plugged
// back in, its port is reopened on its own.

let gateway: TestGateway;
let pair: PtyPair;
let device: DeviceEnd;
let reader: EventLogReader;
const configDir = tempDataDir('nilecare-oximeter-');

beforeAll(async () => {
  pair = await createPtyPair();
  const driversFile = join(configDir.path, 'drivers.json');
  writeFileSync(
    driversFile,
    JSON.stringify({
      serialPorts: [
        { path: pair.gatewayPath, protocol: 'pulse-oximeter', deviceId: 'oximeter-b3', bed: 'B3' },
      ],
    }),
  );
  device = await openDeviceEnd(pair.devicePath);
  gateway = await startTestGateway({ driversFile });
  reader = openEventLogReader(gateway.dataDir);
  await gateway.services.recorder.record({
    channel: 'internal',
    origin: 'test',
    draft: draftFor(
      gateway.services,
      'patient_registered',
      { firstName: 'Test', lastName: 'Patient', sex: 'female', registeredAt: new Date().toISOString() },
      { patientId: 'p-b3' },
    ),
  });
  // Bound after start: the driver reads the registry's binding at each line.
  gateway.services.registry.bind('oximeter-b3', { patientId: 'p-b3', bed: 'B3' });
  await waitFor('the oximeter port to open', () => reader.ofType('device_connected').length > 0);
});

afterAll(async () => {
  reader?.close();
  await device?.close();
  await gateway?.stop();
  await pair?.close();
  configDir.remove();
});

async function next(eventType: string, afterSeq: number) {
  return waitFor(`a ${eventType} after seq ${afterSeq}`, () => reader.ofType(eventType, afterSeq)[0]);
}

describe('a pulse oximeter on a serial port', () => {
  it('records a Nonin line as vital signs of the bound patient and bed', async () => {
    const before = reader.headSeq();
    await device.write('SPO2=097 HR=072\r\n');
    const reading = await next('vital_signs_recorded', before);
    expect(reading.patientId).toBe('p-b3');
    expect(reading.data).toMatchObject({
      deviceId: 'oximeter-b3',
      bed: 'B3',
      method: 'device',
      oxygenSaturation: { value: 97, unit: '%' },
      heartRate: { value: 72, unit: '/min' },
    });
  });

  it('raises a critical alert from a low SpO2, as for MQTT monitors', async () => {
    const before = reader.headSeq();
    await device.write('SPO2=086 HR=118\r\n');
    const alert = await next('critical_value_detected', before);
    expect(alert.patientId).toBe('p-b3');
    expect(alert.data).toMatchObject({ parameter: 'oxygenSaturation', value: 86, severity: 'critical' });
  });

  it('records nothing for "---", and quarantines garbage with a clear code', async () => {
    const before = reader.headSeq();
    const quarantined = reader.quarantineHead();
    await device.write('SPO2=--- HR=---\r\n\x00\x7fgarbage\xff\r\n');
    const rows = await waitFor('the garbage to be quarantined', () => {
      const found = reader.quarantinedAfter(quarantined);
      return found.length > 0 && found;
    });
    expect(rows.map((row) => row.reasonCode)).toEqual(['GW_ERR_OXIMETER_LINE_INVALID']);
    expect(reader.ofType('vital_signs_recorded', before)).toHaveLength(0);
  });

  it('records a Masimo sensor-off exception as a technical device alert, and no reading', async () => {
    const before = reader.headSeq();
    await device.write(
      '11/26/26 10:00:00 SN=0000093112 SPO2=000% BPM=000 PI=00.00% ALARM=0000 EXC=000820\r\n',
    );
    const alarm = await next('device_alert_triggered', before);
    expect(alarm.data).toMatchObject({ alarmCode: 'masimo-sensor-off', kind: 'technical' });
    expect(reader.ofType('vital_signs_recorded', before)).toHaveLength(0);
  });

  it('records the port unplugged, reopens it when it is back, and reads on', async () => {
    const before = reader.headSeq();
    await device.close();
    await pair.unplug();
    const gone = await next('device_disconnected', before);
    expect(gone.data).toMatchObject({ deviceId: 'oximeter-b3', transport: 'serial', reason: 'unplugged' });
    await pair.plugIn();
    device = await openDeviceEnd(pair.devicePath);
    const back = await waitFor('the port reopened', () => reader.ofType('device_connected', before)[0], {
      timeoutMs: 10_000,
    });
    expect(back.data).toMatchObject({ deviceId: 'oximeter-b3', transport: 'serial', port: pair.gatewayPath });
    const afterReopen = reader.headSeq();
    await device.write('SPO2=098 HR=070\r\n');
    const reading = await next('vital_signs_recorded', afterReopen);
    expect(reading.data).toMatchObject({ oxygenSaturation: { value: 98, unit: '%' } });
  });
});
