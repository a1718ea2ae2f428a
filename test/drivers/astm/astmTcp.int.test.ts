import { writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame } from '../../../drivers/astm/astmFrame.ts';
import { draftFor } from '../../../gateway/http/draftFor.ts';
import { astmCapture, framesOf } from '../../harness/astmAnalyzer.ts';
import { type EventLogReader, openEventLogReader } from '../../harness/eventLogReader.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { waitFor } from '../../harness/waitFor.ts';

// An analyzer whose LIS port connects to the gateway over TCP: same E1381
// exchange, same records, same critical-value rules.

let gateway: TestGateway;
let reader: EventLogReader;
const configDir = tempDataDir('nilecare-astm-tcp-');

beforeAll(async () => {
  const driversFile = join(configDir.path, 'drivers.json');
  writeFileSync(
    driversFile,
    JSON.stringify({
      tcpListeners: [
        { protocol: 'astm', host: '127.0.0.1', port: 0, deviceId: 'chem-1', utcOffset: '+02:00' },
      ],
    }),
  );
  gateway = await startTestGateway({ driversFile });
  reader = openEventLogReader(gateway.dataDir);
});

afterAll(async () => {
  reader?.close();
  await gateway?.stop();
  configDir.remove();
});

/** A TCP analyzer: each write waits for the one-byte ACK/NAK answer. */
async function analyzer(): Promise<{ socket: Socket; exchange(bytes: Buffer): Promise<number> }> {
  const socket = connect(gateway.drivers!.tcpPorts['chem-1']!, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const replies: number[] = [];
  socket.on('data', (chunk: Buffer) => replies.push(...chunk));
  return {
    socket,
    async exchange(bytes) {
      const count = replies.length;
      socket.write(bytes);
      await waitFor('the gateway to answer', () => replies.length > count);
      return replies[count]!;
    },
  };
}

describe('ASTM over TCP', () => {
  it('stores a capture sent over a TCP connection, with device_connected and device_disconnected', async () => {
    const before = reader.headSeq();
    const { socket, exchange } = await analyzer();
    expect(await exchange(Buffer.from([0x05]))).toBe(0x06);
    for (const frame of framesOf(astmCapture('cobas_c111.txt'))) expect(await exchange(frame)).toBe(0x06);
    socket.end(Buffer.from([0x04]));
    await waitFor('the disconnection to be recorded', () => reader.ofType('device_disconnected', before)[0]);
    expect(reader.ofType('lab_result_available', before)).toHaveLength(1);
    expect(reader.ofType('device_connected', before)[0]?.data).toMatchObject({
      deviceId: 'chem-1',
      transport: 'astm-tcp',
    });
  });

  it('raises a critical alert for a critical potassium, filed under the patient the P record names', async () => {
    await gateway.services.recorder.record({
      channel: 'internal',
      origin: 'test',
      draft: {
        ...draftFor(
          gateway.services,
          'patient_registered',
          { firstName: 'Test', lastName: 'Patient', sex: 'male', registeredAt: new Date().toISOString() },
          { patientId: 'p-k' },
        ),
        patientMRN: 'MRN-77',
      },
    });
    const before = reader.headSeq();
    const { socket, exchange } = await analyzer();
    expect(await exchange(Buffer.from([0x05]))).toBe(0x06);
    const text = [
      'H|\\^&|||chem^1',
      'P|1|MRN-77',
      'O|1|SPEC-9||^^^K',
      'R|1|^^^K|7.1|mmol/L|3.5 to 5.1|HH||F||||20261126093000',
      'L|1|N',
      '',
    ].join('\r');
    expect(await exchange(encodeFrame({ frameNumber: 1, text, final: true }))).toBe(0x06);
    socket.end(Buffer.from([0x04]));
    const [result] = reader.ofType('lab_result_available', before);
    expect(result?.patientId).toBe('p-k');
    expect(result?.data).toMatchObject({
      testCode: 'K',
      value: 7.1,
      referenceRange: { low: 3.5, high: 5.1 },
      flags: ['HH'],
    });
    const alert = await waitFor(
      'the critical value alert',
      () => reader.ofType('critical_value_detected', before)[0],
    );
    expect(alert.patientId).toBe('p-k');
    expect(alert.causationId).toBe(result?.eventId);
    expect(alert.data).toMatchObject({
      parameter: 'potassium',
      value: 7.1,
      ruleId: 'kost1990-potassium',
      priority: 'high',
    });
  });

  it('acknowledges every frame of messages with Q and M records, storing the results with their order id', async () => {
    const before = reader.headSeq();
    const quarantinedBefore = reader.quarantineHead();
    const { socket, exchange } = await analyzer();
    expect(await exchange(Buffer.from([0x05]))).toBe(0x06);
    // Each record in its own frame, every one but the last ended with ETB (as the cobas c111 sends).
    const records = [
      'H|\\^&|||chem^1',
      'P|1||LAB-Q1',
      'O|1|ACC-42|7^3|^^^GLU',
      'R|1|^^^GLU|5.4|mmol/L||N||F||||20261126093000',
      'M|1|RR^BM^c111^1|-21|-21\\-21\\1|0.018514',
      'Q|1|^ACC-43||^^^ALL||||||||O',
      'L|1|N',
      // A host query on its own: answered ACK, nothing to store.
      'H|\\^&|||chem^1',
      'Q|1|^ACC-44||^^^ALL||||||||O',
      'L|1|N',
    ];
    for (const [index, record] of records.entries()) {
      const frame = encodeFrame({
        frameNumber: (index + 1) % 8,
        text: `${record}\r`,
        final: index === records.length - 1,
      });
      expect(await exchange(frame), record).toBe(0x06);
    }
    socket.end(Buffer.from([0x04]));
    const [result] = await waitFor('the result', () => reader.ofType('lab_result_available', before));
    expect(reader.ofType('lab_result_available', before)).toHaveLength(1);
    expect(result).toMatchObject({
      patientMRN: 'LAB-Q1',
      data: { testCode: 'GLU', orderId: 'ACC-42', specimen: { specimenId: 'ACC-42' } },
      metadata: { astm: { specimenId: 'ACC-42', instrumentSpecimenId: '7', patientMatched: false } },
    });
    expect(reader.quarantinedAfter(quarantinedBefore)).toEqual([]);
  });
});
