import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDriverMetrics } from '../../../drivers/driverMetrics.ts';
import { fieldValue, segmentsNamed } from '../../../drivers/hl7/hl7Message.ts';
import { hl7Driver } from '../../../drivers/hl7/hl7Driver.ts';
import { openHl7OrderOutbox } from '../../../drivers/hl7/hl7OrderOutbox.ts';
import { driverWatchContext } from '../../harness/driverWatchContext.ts';
import {
  inMemoryLabOrderBook,
  type InMemoryLabOrderBook,
  placedOrder,
} from '../../harness/labOrderBookInMemory.ts';
import { freePort } from '../../harness/mllpClient.ts';
import { type MllpReceiver, startMllpReceiver } from '../../harness/mllpReceiver.ts';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { waitFor } from '../../harness/waitFor.ts';

// Orders whose performer is an HL7 listener with orderTo go to its laboratory
// system over MLLP, from a durable outbox, until an ACK accepts them
// (docs/devices.md#orders-to-a-laboratory-system-hl7). Real SQLite, real TCP.

let gateway: TestGateway;
const stops: (() => void)[] = [];
const receivers: MllpReceiver[] = [];

beforeAll(async () => {
  gateway = await startTestGateway();
});

afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  for (const receiver of receivers.splice(0)) await receiver.close();
});

afterAll(async () => {
  await gateway?.stop();
});

type OutboxRow = {
  order_id: string;
  order_control: string;
  control_id: string;
  attempts: number;
  refusals: number;
  delivered_at: string | null;
  failed_at: string | null;
  last_error: string | null;
};

const rowsOf = (listener: string) =>
  gateway.services.db
    .prepare<[string], OutboxRow>(
      `SELECT order_id, order_control, control_id, attempts, refusals, delivered_at, failed_at, last_error
       FROM hl7_order_outbox WHERE listener = ? ORDER BY id`,
    )
    .all(listener);

/** Watches an HL7 listener with orderTo as startDrivers does, with short retry pauses. */
function watchListener(
  listener: string,
  port: number,
  book: InMemoryLabOrderBook,
  extra: Record<string, unknown> = {},
  metrics = createDriverMetrics(new Registry()),
) {
  const stop = hl7Driver.watch!(
    {
      deviceId: listener,
      orderTo: { host: '127.0.0.1', port, ackTimeoutMs: 500, retryBaseMs: 100, retryMaxMs: 400, ...extra },
    },
    driverWatchContext(gateway.services, book, {
      metrics,
      patientForInstrument: () => ({ mrn: 'MRN-1001', familyName: 'Osman', givenName: 'Amna' }),
    }),
  );
  stops.push(stop);
  return stop;
}

const potassium = (orderId: string, performer: string) =>
  placedOrder({ orderId, specimenId: `SPC-${orderId}`, performer });

describe('orders sent to a laboratory system over HL7 (orderTo)', () => {
  it('sends an order again after an AE, and stops once an AA accepts it, with one control id throughout', async () => {
    const receiver = await startMllpReceiver(0, (_, index) => (index === 0 ? 'AE' : 'AA'));
    receivers.push(receiver);
    const book = inMemoryLabOrderBook();
    watchListener('lis-ae', receiver.port, book);

    book.place(potassium('ord-ae-1', 'lis-ae'));
    book.place(potassium('ord-elsewhere', 'chem-1'));
    await waitFor('the order to be delivered', () => rowsOf('lis-ae')[0]?.delivered_at ?? undefined);

    expect(receiver.controlIds()).toEqual(['NWordae1', 'NWordae1']);
    expect(rowsOf('lis-ae')).toEqual([
      expect.objectContaining({ order_id: 'ord-ae-1', order_control: 'NW', attempts: 2, refusals: 1 }),
    ]);
    const message = receiver.received[1]!.message;
    expect(fieldValue(segmentsNamed(message, 'ORC')[0], 1)).toBe('NW');
    expect(fieldValue(segmentsNamed(message, 'ORC')[0], 2)).toBe('ord-ae-1');
    expect(fieldValue(segmentsNamed(message, 'PID')[0], 3)).toBe('MRN-1001');
    expect(receiver.received[1]!.text).not.toContain('Osman');
    // Delivered once: nothing more arrives.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(receiver.received).toHaveLength(2);
  });

  it('keeps an order while the laboratory system is down, and delivers it when it comes up', async () => {
    const port = await freePort();
    const book = inMemoryLabOrderBook();
    watchListener('lis-down', port, book);
    book.place(potassium('ord-down-1', 'lis-down'));
    await waitFor('two failed tries', () => (rowsOf('lis-down')[0]?.attempts ?? 0) >= 2);
    expect(rowsOf('lis-down')[0]).toMatchObject({ delivered_at: null, failed_at: null, refusals: 0 });
    expect(rowsOf('lis-down')[0]?.last_error).toMatch(/connection failed/);

    const receiver = await startMllpReceiver(port);
    receivers.push(receiver);
    await waitFor('the order to be delivered', () => rowsOf('lis-down')[0]?.delivered_at ?? undefined);
    expect(receiver.controlIds()).toEqual(['NWorddown1']);
  });

  it('retries a laboratory system that does not answer, then delivers with the same control id', async () => {
    const receiver = await startMllpReceiver(0, (_, index) => (index === 0 ? 'silent' : 'AA'));
    receivers.push(receiver);
    const book = inMemoryLabOrderBook();
    watchListener('lis-silent', receiver.port, book);
    book.place(potassium('ord-silent-1', 'lis-silent'));
    await waitFor('the order to be delivered', () => rowsOf('lis-silent')[0]?.delivered_at ?? undefined);
    expect(receiver.controlIds()).toEqual(['NWordsilent1', 'NWordsilent1']);
    expect(rowsOf('lis-silent')[0]?.refusals).toBe(0);
  });

  it('marks an order failed after maxRefusals refusals, counts it, and sends it no more', async () => {
    const receiver = await startMllpReceiver(0, () => 'AR');
    receivers.push(receiver);
    const book = inMemoryLabOrderBook();
    const metrics = createDriverMetrics(new Registry());
    watchListener('lis-refuses', receiver.port, book, { maxRefusals: 2 }, metrics);
    book.place(potassium('ord-refused-1', 'lis-refuses'));
    await waitFor('the order to be marked failed', () => rowsOf('lis-refuses')[0]?.failed_at ?? undefined);
    expect(rowsOf('lis-refuses')[0]).toMatchObject({ attempts: 2, refusals: 2, delivered_at: null });
    expect(rowsOf('lis-refuses')[0]?.last_error).toBe('MSA-1 AR: test code unknown here');
    const counted = await metrics.hl7OrdersSent.get();
    const byOutcome = Object.fromEntries(counted.values.map((value) => [value.labels.outcome, value.value]));
    expect(byOutcome).toEqual({ refused: 1, failed: 1 });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(receiver.received).toHaveLength(2);
  });

  it('sends ORC-1 CA for an order cancelled after it was sent, and nothing for one cancelled before', async () => {
    const port = await freePort();
    const book = inMemoryLabOrderBook();
    watchListener('lis-cancel', port, book, { retryBaseMs: 5_000, retryMaxMs: 5_000 });
    // Cancelled while the laboratory system is down: its NW is withdrawn, no CA follows.
    book.place(potassium('ord-never', 'lis-cancel'));
    await waitFor('a failed try', () => (rowsOf('lis-cancel')[0]?.attempts ?? 0) >= 1);
    book.place(potassium('ord-never', 'lis-cancel'));
    book.place({ ...potassium('ord-never', 'lis-cancel'), status: 'cancelled' });
    expect(rowsOf('lis-cancel')).toEqual([
      expect.objectContaining({ order_control: 'NW', last_error: 'cancelled before it was sent' }),
    ]);
    expect(rowsOf('lis-cancel')[0]?.failed_at).toEqual(expect.any(String));

    const receiver = await startMllpReceiver(port);
    receivers.push(receiver);
    book.place(potassium('ord-sent', 'lis-cancel'));
    await waitFor('the order to be delivered', () => rowsOf('lis-cancel')[1]?.delivered_at ?? undefined);
    book.place({ ...potassium('ord-sent', 'lis-cancel'), status: 'cancelled' });
    await waitFor(
      'the cancellation to be delivered',
      () => rowsOf('lis-cancel')[2]?.delivered_at ?? undefined,
    );
    expect(receiver.controlIds()).toEqual(['NWordsent', 'CAordsent']);
    const cancel = receiver.received[1]!.message;
    expect(segmentsNamed(cancel, 'ORC').map((orc) => fieldValue(orc, 1))).toEqual(['CA', 'CA']);
  });

  it('sends, on start, an order of the book that has no outbox row (its event committed just before a crash), and not one already resulted', async () => {
    const receiver = await startMllpReceiver();
    receivers.push(receiver);
    const order = potassium('ord-crash-1', 'lis-restart');
    // The order is in the book (the read model, rebuilt from the event log) but was never queued.
    const book = inMemoryLabOrderBook([
      order,
      { ...potassium('ord-crash-2', 'lis-restart'), status: 'cancelled' },
      // Resulted before the listener had orderTo: the laboratory had it another way.
      { ...potassium('ord-old', 'lis-restart'), status: 'resulted' },
    ]);
    expect(rowsOf('lis-restart')).toEqual([]);
    watchListener('lis-restart', receiver.port, book);
    await waitFor('the order to be delivered', () => rowsOf('lis-restart')[0]?.delivered_at ?? undefined);
    expect(receiver.controlIds()).toEqual(['NWordcrash1']);
    expect(rowsOf('lis-restart').map((row) => row.order_id)).toEqual(['ord-crash-1']);
    // A second start finds it delivered and sends nothing again.
    stops.pop()!();
    watchListener('lis-restart', receiver.port, book);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.controlIds()).toEqual(['NWordcrash1']);
    expect(openHl7OrderOutbox(gateway.services.db).pendingCount('lis-restart')).toBe(0);
  });
});
