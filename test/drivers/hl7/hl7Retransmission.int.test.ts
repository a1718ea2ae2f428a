import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { frame } from '../../../drivers/hl7/mllpFraming.ts';
import { resolveGatewayOptions } from '../../../gateway/config/gatewayOptions.ts';
import { uuidV7 } from '../../../kernel/events/ids.ts';
import { type Gateway, startGateway } from '../../../gateway/gateway.ts';
import { openEventLogReader } from '../../harness/eventLogReader.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { pcd01Message } from '../../harness/hl7Testdata.ts';
import { freePort, mllpClient } from '../../harness/mllpClient.ts';

const dir = tempDataDir();
let gateway: Gateway | undefined;

async function start(port: number) {
  process.env.NILECARE_HL7_PORT = String(port);
  process.env.NILECARE_HL7_HOST = '127.0.0.1';
  const options = resolveGatewayOptions({
    dataDir: dir.path,
    httpHost: '127.0.0.1',
    httpPort: 0,
    mqttHost: '127.0.0.1',
    mqttPort: 0,
    logLevel: 'silent',
  });
  gateway = await startGateway(options, {
    clock: () => new Date(),
    newId: uuidV7,
    logger: pino({ level: 'silent' }),
  });
}

afterEach(async () => {
  await gateway?.close();
  dir.remove();
});

describe('an HL7 sender that retransmits after the gateway restarted', () => {
  it('gets AA again and the message is still stored once', async () => {
    const port = await freePort();
    const message = frame(pcd01Message('ACROSS-RESTART-1', 'UNREGISTERED-9'));
    await start(port);
    const first = await mllpClient(port);
    await first.write(message);
    expect((await first.ackCount(1))[0]?.code).toBe('AA');
    first.close();
    await gateway!.close();

    await start(port);
    const second = await mllpClient(port);
    await second.write(message);
    expect((await second.ackCount(1))[0]).toMatchObject({ code: 'AA', controlId: 'ACROSS-RESTART-1' });
    second.close();

    const reader = openEventLogReader(dir.path);
    const stored = reader.ofType('vital_signs_recorded');
    reader.close();
    expect(stored).toHaveLength(1);
    // A patient not registered here: kept under the facility, with the identifier the sender gave.
    expect(stored[0]).toMatchObject({ patientMRN: 'UNREGISTERED-9' });
    expect(stored[0]!.patientId).toBeUndefined();
  });
});
