import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import { deadLetterHeaders } from '../../hub/services/deadLetterRecord.ts';
import { metricValue } from '../harness/prometheusText.ts';
import { waitFor } from '../harness/waitFor.ts';
import { fakeGateway, uniqueGatewayId } from '../harness/fakeGateway.ts';
import { startTestHub, type TestHub } from '../harness/hubUnderTest.ts';

const graceMs = 2500;

// One gateway's chain spans ten topics and many partitions: the hub sees its
// events in any order, and must neither report a false gap nor miss a real one.
describe('the ingest guard with events arriving out of order', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ gapGraceMs: graceMs, gapCheckIntervalMs: 200 });
  }, 90_000);
  afterAll(async () => {
    await t?.close();
  });

  const settled = (gatewayId: string, count: number) =>
    waitFor(
      `${count} settled events of ${gatewayId}`,
      async () => {
        const rows = await t.statuses(gatewayId);
        return rows.length === count && rows.every((row) => row.status !== 'pending') ? rows : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 50 },
    );

  it('links events sent newest first across three topics without reporting a gap', async () => {
    const gateway = fakeGateway(uniqueGatewayId('gw-reverse'));
    const events: ClinicalEvent[] = [];
    for (let n = 0; n < 10; n += 1) {
      events.push(
        gateway.patientRegistered(`p-${n}`),
        gateway.vitals(`p-${n}`, 70 + n),
        gateway.deviceConnected(`m-${n}`),
      );
    }
    // The later half first (patient-, device- and alert topics, keys spread over partitions), then the rest.
    await t.produce(events.slice(15).reverse());
    await waitFor('the later half waiting', async () => (await t.statuses(gateway.gatewayId)).length === 15);
    await new Promise((resolve) => setTimeout(resolve, 500)); // several gap checks run meanwhile
    await t.produce(events.slice(0, 15).reverse());

    const rows = await settled(gateway.gatewayId, 30);
    expect(rows.every((row) => row.status === 'accepted' && row.chain === 'linked')).toBe(true);
    expect(await t.query('SELECT * FROM sequence_gaps WHERE gateway_id = $1', [gateway.gatewayId])).toEqual(
      [],
    );
    expect(t.deadLetters.filter((record) => record.headers.gatewayId === gateway.gatewayId)).toEqual([]);
  });

  it('reports a hole once it has stayed open for the grace time, and links the missing event when it comes late', async () => {
    const gateway = fakeGateway(uniqueGatewayId('gw-late'));
    const events = [1, 2, 3, 4, 5].map((n) => gateway.vitals('p-late', 60 + n));
    const sentAt = Date.now();
    await t.produce([events[0]!, events[1]!, events[3]!, events[4]!]);

    const letter = await waitFor(
      'the gap dead letter',
      () => t.deadLetters.find((record) => record.headers.ce_id === events[3]!.eventId),
      { timeoutMs: 20_000 },
    );
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(graceMs);
    expect(letter.headers[deadLetterHeaders.reasonCode]).toBe('HUB_ERR_SEQ_GAP');
    expect((await settled(gateway.gatewayId, 4)).map((row) => row.status)).toEqual([
      'accepted',
      'accepted',
      'rejected',
      'accepted',
    ]);

    await t.produce([events[2]!]); // seq 3, after its gap was reported
    await waitFor('seq 3 accepted late and the gap filled', async () => {
      const gaps = await t.query<{ filled_at: Date | null }>(
        'SELECT filled_at FROM sequence_gaps WHERE gateway_id = $1',
        [gateway.gatewayId],
      );
      return gaps[0]?.filled_at instanceof Date;
    });
    expect(await t.statuses(gateway.gatewayId)).toEqual([
      { seq: 1, status: 'accepted', chain: 'linked', reason: null },
      { seq: 2, status: 'accepted', chain: 'linked', reason: null },
      { seq: 3, status: 'accepted', chain: 'linked', reason: null },
      // Dead-lettered when the gap was reported; accepted once its link is known to hold.
      { seq: 4, status: 'accepted', chain: 'linked', reason: 'HUB_ERR_SEQ_GAP' },
      { seq: 5, status: 'accepted', chain: 'linked', reason: null },
    ]);
    expect(metricValue(await t.scrape(), 'nilecare_hub_sequence_gaps_total')).toBeGreaterThanOrEqual(1);
  });

  it("records each gateway's clock offset and flags a clock that went backwards", async () => {
    const behind = fakeGateway(uniqueGatewayId('gw-slow-clock'), { clockOffsetMs: -3_600_000 });
    const onTime = fakeGateway(uniqueGatewayId('gw-good-clock'));
    await t.produce([behind.vitals('p-c', 80), behind.vitals('p-c', 81)]);
    await t.produce([
      onTime.vitals('p-d', 80),
      onTime.next(
        {
          eventType: 'vital_signs_recorded',
          source: 'device-integration-service',
          patientId: 'p-d',
          data: {
            method: 'manual',
            measuredAt: new Date().toISOString(),
            heartRate: { value: 81, unit: '/min' },
          },
          metadata: { gatewayClockWentBackwards: true },
        },
        { recordedAt: new Date(Date.now() - 60_000) },
      ),
    ]);
    await settled(behind.gatewayId, 2);
    await settled(onTime.gatewayId, 2);

    const clocks = await t.query<{ gateway_id: string; offset: string; resets: string }>(
      'SELECT gateway_id, clock_offset_min_ms AS offset, clock_resets AS resets FROM gateway_chains WHERE gateway_id = ANY($1)',
      [[behind.gatewayId, onTime.gatewayId]],
    );
    const of = (id: string) => clocks.find((row) => row.gateway_id === id)!;
    expect(Number(of(behind.gatewayId).offset)).toBeGreaterThan(3_590_000);
    expect(Number(of(behind.gatewayId).offset)).toBeLessThan(3_620_000);
    expect(Math.abs(Number(of(onTime.gatewayId).offset))).toBeLessThan(20_000);
    expect(Number(of(behind.gatewayId).resets)).toBe(0);
    expect(Number(of(onTime.gatewayId).resets)).toBe(1);
    const flagged = await t.query<{ seq: string }>(
      'SELECT seq FROM gateway_events WHERE gateway_id = $1 AND clock_went_backwards',
      [onTime.gatewayId],
    );
    expect(flagged.map((row) => Number(row.seq))).toEqual([2]);

    const text = await t.scrape();
    expect(
      metricValue(text, 'nilecare_gateway_clock_offset_seconds', { gateway_id: behind.gatewayId }),
    ).toBeGreaterThan(3590);
    expect(metricValue(text, 'nilecare_gateway_clock_resets_total', { gateway_id: onTime.gatewayId })).toBe(
      1,
    );
  });
});
