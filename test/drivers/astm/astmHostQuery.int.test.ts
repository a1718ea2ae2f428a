import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectInstrument,
  type E1381Instrument,
  instrumentFrames,
  recordsOfFrames,
} from '../../harness/e1381Instrument.ts';
import { type EventLogReader, openEventLogReader } from '../../harness/eventLogReader.ts';
import { inMemoryLabOrderBook, placedOrder } from '../../harness/labOrderBookInMemory.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { waitFor } from '../../harness/waitFor.ts';

// An analyzer reads a tube's barcode and asks the gateway what to run on it
// (E1394 Q record); the gateway answers in a transmission of its own, as an
// E1381 sender, after the analyzer's has ended (docs/devices.md#host-queries-and-orders-to-the-analyzer).

let gateway: TestGateway;
let reader: EventLogReader;
const configDir = tempDataDir('nilecare-astm-query-');
const book = inMemoryLabOrderBook([placedOrder()]);
const instruments: E1381Instrument[] = [];

beforeAll(async () => {
  const driversFile = join(configDir.path, 'drivers.json');
  writeFileSync(
    driversFile,
    JSON.stringify({
      tcpListeners: [
        {
          protocol: 'astm',
          host: '127.0.0.1',
          port: 0,
          deviceId: 'chem-1',
          analyzer: 'Mindray BS-240',
          utcOffset: '+02:00',
          testCodes: { '717': 'K', '718': 'NA' },
        },
      ],
    }),
  );
  gateway = await startTestGateway({ driversFile });
  // The labOrders read model is another part of the gateway; its book is what the drivers consult.
  gateway.services.labOrders = book;
  reader = openEventLogReader(gateway.dataDir);
});

afterAll(async () => {
  for (const instrument of instruments) instrument.close();
  reader?.close();
  await gateway?.stop();
  configDir.remove();
});

async function instrument(): Promise<E1381Instrument> {
  const connected = await connectInstrument(gateway.drivers!.tcpPorts['chem-1']!);
  instruments.push(connected);
  return connected;
}

const query = (specimen: string) => ['H|\\^&|||BS-240', `Q|1|^${specimen}||ALL||||||||O`, 'L|1|N'];

describe('an analyzer asking for the orders of a tube (host query)', () => {
  it("receives, after its EOT, the tube's order in a new transmission: P, O with its own test codes, L", async () => {
    const analyzer = await instrument();
    const from = analyzer.received().length;
    await analyzer.transmit(query('SPC-0001'));
    const enqAt = await analyzer.awaitEnq(from);
    const frames = await analyzer.receive(enqAt);
    expect(frames.every((frame) => frame.checksumOk)).toBe(true);
    expect(frames.map((frame) => frame.frameNumber)).toEqual([1, 2, 3, 4]);
    const records = recordsOfFrames(frames);
    expect(records[0]).toMatch(/^H\|\\\^&\|\|\|NileCare\^gateway\|{5}Mindray BS-240\|\|P\|LIS2-A2\|\d{14}$/);
    expect(records[1]).toBe('P|1|patient-1');
    expect(records[2]?.split('|').slice(0, 7)).toEqual([
      'O',
      '1',
      'SPC-0001',
      '',
      '^^^717\\^^^718',
      'S',
      '20261207103000',
    ]);
    expect(records[3]).toBe('L|1|N');
  });

  it('receives "no information" (L|1|I) for a tube nobody ordered anything on', async () => {
    const analyzer = await instrument();
    const from = analyzer.received().length;
    await analyzer.transmit(query('SPC-UNKNOWN'));
    const frames = await analyzer.receive(await analyzer.awaitEnq(from));
    expect(recordsOfFrames(frames).slice(1)).toEqual(['L|1|I']);
  });

  it('gets a NAKed frame again, the same bytes, and the whole reply', async () => {
    const analyzer = await instrument();
    const from = analyzer.received().length;
    await analyzer.transmit(query('SPC-0001'));
    const sent: Buffer[] = [];
    const frames = await analyzer.receive(await analyzer.awaitEnq(from), (frame, index) => {
      sent.push(frame.raw);
      return index === 1 && sent.length === 2 ? 'NAK' : 'ACK';
    });
    expect(sent[2]).toEqual(sent[1]);
    expect(recordsOfFrames(frames)).toHaveLength(4);
  });

  it('gives way when both send ENQ at once: ACKs the analyzer, stores its results linked to the order, and answers 20 s later', async () => {
    const before = reader.headSeq();
    const analyzer = await instrument();
    const from = analyzer.received().length;
    // The query, then EOT and at once ENQ for the analyzer's results: it crosses the gateway's ENQ.
    await analyzer.transmit(query('SPC-0001'), { eot: false });
    await analyzer.write([0x04, 0x05]);
    const contentionAt = Date.now();
    const gatewayEnq = await analyzer.awaitEnq(from);
    await waitFor('the gateway to ACK the analyzer', () => analyzer.received().indexOf(0x06, gatewayEnq) > 0);
    // The analyzer has priority: it sends its results now (its ENQ was just ACKed).
    const results = [
      'H|\\^&|||BS-240',
      'P|1|patient-1',
      'O|1|SPC-0001||^^^717\\^^^718',
      'R|1|^^^717|6.8|mmol/L||HH||F||||20261207104500',
      'L|1|N',
    ];
    for (const frame of instrumentFrames(results)) {
      const at = analyzer.received().length;
      await analyzer.write(frame);
      await waitFor('the frame to be answered', () => analyzer.received().indexOf(0x06, at) >= 0);
    }
    const afterResults = analyzer.received().length;
    await analyzer.write([0x04]);
    const stored = await waitFor(
      'the potassium to be stored',
      () => reader.ofType('lab_result_available', before)[0],
    );
    expect(stored.data).toMatchObject({ testCode: 'K', orderId: 'ord-0001', value: 6.8 });
    // The gateway tries again no sooner than 20 s after the contention (E1381), and the answer comes whole.
    const retryAt = await analyzer.awaitEnq(afterResults, 30_000);
    expect(Date.now() - contentionAt).toBeGreaterThanOrEqual(19_000);
    const frames = await analyzer.receive(retryAt);
    expect(recordsOfFrames(frames)[2]).toMatch(/^O\|1\|SPC-0001\|/);
  }, 60_000);
});
