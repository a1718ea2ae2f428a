import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frame } from '../../drivers/hl7/mllpFraming.ts';
import { openEventLogReader } from '../harness/eventLogReader.ts';
import { type GatewayProcess, runNilecare, startGatewayProcess } from '../harness/gatewayProcess.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';
import { waitFor } from '../harness/waitFor.ts';
import { type ModemPeer, startModemPeer } from '../harness/modemPeer.ts';
import { type PtyPair, socatPtyPair } from '../harness/socatPty.ts';
import { hl7Samples } from '../harness/hl7Testdata.ts';
import { freePort, mllpClient } from '../harness/mllpClient.ts';

// The HL7 listener and the GSM modem configured in drivers.json, like every
// other port, in a real `nilecare start` process: no NILECARE_HL7_* or
// NILECARE_GSM_* variable is set (the harness strips them).

const dir = tempDataDir('nilecare-drivers-hl7-gsm-');
let pty: PtyPair | undefined;
let peer: ModemPeer | undefined;
let gateway: GatewayProcess | undefined;
let hl7Port: number;

beforeAll(async () => {
  pty = await socatPtyPair();
  peer = await startModemPeer(pty.peerPath);
  hl7Port = await freePort();
  const created = await runNilecare(['devices', 'list', '--data-dir', dir.path]);
  expect(created.code, created.stderr).toBe(0);
  writeFileSync(
    join(dir.path, 'drivers.json'),
    JSON.stringify({
      tcpListeners: [
        { protocol: 'hl7', host: '127.0.0.1', port: hl7Port, deviceId: 'lis-main', utcOffset: '+02:00' },
      ],
      gsmModem: {
        path: pty.gatewayPath,
        baudRate: 115200,
        onCall: [{ id: 'nurse-oncall', phone: '+249912000001' }],
        commandTimeoutMs: 2000,
      },
    }),
  );
  gateway = await startGatewayProcess(dir.path);
}, 60_000);

afterAll(async () => {
  if (gateway && gateway.child.exitCode === null && gateway.child.signalCode === null) {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
  }
  await peer?.close();
  await pty?.close();
  dir.remove();
});

describe('drivers.json with an hl7 listener and a gsmModem section', () => {
  it('answers an ORU^R01 from the public samples with MSA|AA once its results are stored', async () => {
    const sample = hl7Samples()[0]!;
    // A real MLLP peer ends segments with CR; the sample file has LF.
    const text = sample.bytes
      .toString('utf8')
      .replace(/\r?\n/g, '\r')
      .replace(/^(MSH(?:\|[^|\r]*){8})\|[^|\r]*/, '$1|FROM-DRIVERS-JSON');
    const client = await mllpClient(hl7Port);
    await client.write(frame(text));
    const [ack] = await client.ackCount(1);
    client.close();
    expect(ack).toMatchObject({ code: 'AA', controlId: 'FROM-DRIVERS-JSON' });

    const reader = openEventLogReader(dir.path);
    try {
      const stored = reader
        .ofType('lab_result_available')
        .filter(
          (event) =>
            (event.metadata?.hl7 as { controlId?: string } | undefined)?.controlId === 'FROM-DRIVERS-JSON',
        );
      expect(stored.length).toBeGreaterThan(0);
      // The listener's deviceId registers the sender and records its connections as HL7 MLLP.
      const connected = reader
        .ofType('device_connected')
        .filter((event) => (event.data as { deviceId?: string }).deviceId === 'lis-main');
      expect(connected.map((event) => (event.data as { transport: string }).transport)).toContain('hl7-mllp');
    } finally {
      reader.close();
    }
    const listed = await runNilecare(['devices', 'list', '--data-dir', dir.path]);
    expect(listed.stdout).toContain('lis-main');
  });

  it('opens the modem on the configured path and sets it up for PDU-mode SMS with delivery reports', async () => {
    const modem = peer!;
    await waitFor('the modem set-up commands', () => modem.commands.includes('AT+CNMI=2,1,0,1,0'), {
      timeoutMs: 15_000,
    });
    expect(modem.commands.slice(0, 5)).toEqual(['AT', 'ATE0', 'AT+CMEE=1', 'AT+CMGF=0', 'AT+CNMI=2,1,0,1,0']);
    expect(gateway!.recentOutput()).toContain('GSM modem ready');
  });
});
