import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { astmDriver } from '../../../drivers/astm/astmDriver.ts';
import { driverWatchContext } from '../../harness/driverWatchContext.ts';
import { connectInstrument, type E1381Instrument, recordsOfFrames } from '../../harness/e1381Instrument.ts';
import { inMemoryLabOrderBook, placedOrder } from '../../harness/labOrderBookInMemory.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { waitFor } from '../../harness/waitFor.ts';

// An analyzer configured with orderDownload gets each order placed for it
// without asking: the gateway queues it durably and sends it as an E1381
// sender when the line is free (docs/devices.md#order-download).

let gateway: TestGateway;
let stopWatching: () => void;
const configDir = tempDataDir('nilecare-astm-download-');
const book = inMemoryLabOrderBook();
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
          deviceId: 'haem-1',
          utcOffset: '+02:00',
          orderDownload: true,
          testCodes: { WBC: 'WBC', HGB: 'HGB' },
        },
      ],
    }),
  );
  gateway = await startTestGateway({ driversFile });
  // The labOrders read model arrives with another part of the gateway: its place is taken by an
  // in-memory book, watched as startDrivers watches the configured port.
  gateway.services.labOrders = book;
  stopWatching = astmDriver.watch!(
    { deviceId: 'haem-1', orderDownload: true },
    driverWatchContext(gateway.services, book),
  );
});

afterAll(async () => {
  stopWatching?.();
  for (const instrument of instruments) instrument.close();
  await gateway?.stop();
  configDir.remove();
});

const outboxRows = () =>
  gateway.services.db
    .prepare<[], { order_id: string; delivered_at: string | null; attempts: number }>(
      'SELECT order_id, delivered_at, attempts FROM astm_order_outbox ORDER BY id',
    )
    .all();

const cbc = (orderId: string, specimenId: string, performer = 'haem-1') =>
  placedOrder({
    orderId,
    specimenId,
    specimenType: 'whole_blood',
    performer,
    priority: 'routine',
    tests: [
      { testCode: 'WBC', testName: 'White cells' },
      { testCode: 'HGB', testName: 'Haemoglobin' },
    ],
  });

describe('order download to an analyzer (orderDownload: true)', () => {
  it('keeps an order placed while the analyzer is away, and sends it when it connects, until it is accepted', async () => {
    book.place(cbc('ord-cbc-1', 'SPC-H1'));
    book.place(cbc('ord-other', 'SPC-H2', 'chem-1'));
    expect(outboxRows()).toEqual([{ order_id: 'ord-cbc-1', delivered_at: null, attempts: 0 }]);

    const analyzer = await instrument();
    // The analyzer refuses every frame: after six tries the gateway gives up with EOT; the order waits.
    const first = await analyzer.receive(await analyzer.awaitEnq(0), () => 'NAK');
    expect(first).toEqual([]);
    await waitFor('the failed try to be counted', () => outboxRows()[0]?.attempts === 1);
    expect(outboxRows()[0]?.delivered_at).toBeNull();
  });

  it('sends an order placed while the analyzer is connected, and marks it delivered once ACKed', async () => {
    const analyzer = await instrument();
    const from = analyzer.received().length;
    book.place(cbc('ord-cbc-2', 'SPC-H3'));
    const frames = await analyzer.receive(await analyzer.awaitEnq(from));
    const records = recordsOfFrames(frames);
    expect(records[2]?.split('|')).toEqual([
      'O',
      '1',
      'SPC-H3',
      '',
      '^^^WBC\\^^^HGB',
      'R',
      '20261207103000',
      '',
      '',
      '',
      '',
      'N',
      '',
      '',
      '',
      'whole_blood',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      'O',
    ]);
    expect(records.at(-1)).toBe('L|1|N');
    await waitFor(
      'the order to be marked delivered',
      () => outboxRows().find((row) => row.order_id === 'ord-cbc-2')?.delivered_at,
    );
  });

  it('queues a cancellation as an order of its own (action code C)', async () => {
    const analyzer = await instrument();
    const from = analyzer.received().length;
    book.place({ ...cbc('ord-cbc-2', 'SPC-H3'), status: 'cancelled' });
    const records = recordsOfFrames(await analyzer.receive(await analyzer.awaitEnq(from)));
    expect(records[2]?.split('|')[11]).toBe('C');
  });
});

async function instrument(): Promise<E1381Instrument> {
  for (const previous of instruments.splice(0)) previous.close();
  const connected = await connectInstrument(gateway.drivers!.tcpPorts['haem-1']!);
  instruments.push(connected);
  return connected;
}
