import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventLogReader, openEventLogReader } from '../harness/eventLogReader.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';
import { waitFor, within } from '../harness/waitFor.ts';

// Attack: TCP connections to the MQTT port that never send CONNECT, each
// holding a socket open for as long as the client likes (docs/security.md).

let gateway: TestGateway;
let reader: EventLogReader;

beforeAll(async () => {
  gateway = await startTestGateway({ mqttConnectTimeoutMs: 500 });
  reader = openEventLogReader(gateway.dataDir);
});

afterAll(async () => {
  reader?.close();
  await gateway?.stop();
});

function openSocket(): Promise<{ socket: Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: gateway.mqttPort });
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('error', () => undefined); // a reset is one way of being closed
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

describe('a TCP connection to the MQTT port', () => {
  it('that sends nothing is closed once the CONNECT timeout passes, and quarantined as a refusal', async () => {
    const { closed } = await openSocket();
    await within('the silent socket closed by the gateway', closed, 5000);
    const [row] = await waitFor('the timeout quarantined', () => {
      const rows = reader
        .quarantinedAfter(0)
        .filter((row) => row.reasonCode === 'GW_ERR_DEVICE_CONNECT_TIMEOUT');
      return rows.length > 0 && rows;
    });
    expect(row).toMatchObject({ channel: 'mqtt', origin: '127.0.0.1' });
  });

  it('that sends only part of a CONNECT is closed as well', async () => {
    const { socket, closed } = await openSocket();
    socket.write(Buffer.from([0x10, 0x20, 0x00])); // a CONNECT header announcing 32 bytes, then silence
    await within('the half-sent CONNECT closed by the gateway', closed, 5000);
  });
});
