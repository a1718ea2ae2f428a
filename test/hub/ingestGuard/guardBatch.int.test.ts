import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterHeaders } from '../../../hub/services/deadLetterRecord.ts';
import { fakeGateway, uniqueGatewayId } from '../../harness/fakeGateway.ts';
import { startTestHub, type TestHub, violations } from '../../harness/hubUnderTest.ts';
import { metricValue } from '../../harness/prometheusText.ts';
import { waitFor } from '../../harness/waitFor.ts';

// The ingest guard's batch transactions (docs/hub.md, "Batches") keep docs/architecture.md#guarantee-4
// and #guarantee-8 at a batch's edges: real Kafka and PostgreSQL from the global setup.
describe("the ingest guard's batches", () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  }, 90_000);
  afterAll(async () => {
    await t?.close();
  });

  /** Committed guard transactions of more than two records so far. */
  const largeBatches = async () => {
    const text = await t.scrape();
    const labels = { service: 'ingest-guard' };
    return (
      metricValue(text, 'nilecare_hub_batch_records_count', labels) -
      metricValue(text, 'nilecare_hub_batch_records_bucket', { ...labels, le: '2' })
    );
  };
  const settled = (gatewayId: string, count: number) =>
    waitFor(
      `${count} settled events of ${gatewayId}`,
      async () => {
        const rows = await t.statuses(gatewayId);
        return rows.length === count && rows.every((row) => row.status !== 'pending') && rows;
      },
      { timeoutMs: 20_000, intervalMs: 50 },
    );
  const lettersOf = (gatewayId: string) =>
    t.deadLetters.filter((record) => record.headers.gatewayId === gatewayId);

  it('stores a duplicate inside one batch once and dead-letters a conflicting copy, accepting the rest', async () => {
    const gateway = fakeGateway(uniqueGatewayId('gw-batch-dup'));
    const events = [1, 2, 3, 4].map((n) => gateway.vitals('p-dup', 70 + n));
    const forged = { ...events[2]!, seq: 99 }; // same eventId, other content
    const before = await largeBatches();
    await t.produceTogether([events[0]!, events[1]!, events[1]!, events[2]!, forged, events[3]!]);

    expect(await settled(gateway.gatewayId, 4)).toEqual(
      [1, 2, 3, 4].map((seq) => ({ seq, status: 'accepted', chain: 'linked', reason: null })),
    );
    const letter = await waitFor('the conflicting copy dead-lettered', () => lettersOf(gateway.gatewayId)[0]);
    expect(letter.headers[deadLetterHeaders.reasonCode]).toBe('HUB_ERR_EVENT_CONFLICT');
    expect(JSON.parse(letter.value ?? '{}').seq).toBe(99);
    expect(lettersOf(gateway.gatewayId)).toHaveLength(1);
    expect(await largeBatches()).toBeGreaterThan(before);
  });

  it('links a chain whose hole is filled by the next batch, without reporting a gap', async () => {
    const gateway = fakeGateway(uniqueGatewayId('gw-batch-gap'));
    const events = [1, 2, 3, 4, 5, 6].map((n) => gateway.vitals('p-gap', 60 + n));
    await t.produceTogether([events[0]!, events[1]!, events[3]!, events[4]!]); // seq 3 comes later
    await waitFor('seq 4 and 5 waiting for seq 3', async () => {
      const rows = await t.statuses(gateway.gatewayId);
      return rows.filter((row) => row.chain === 'awaiting').length === 2;
    });
    await t.produceTogether([events[2]!, events[5]!]);

    expect(await settled(gateway.gatewayId, 6)).toEqual(
      [1, 2, 3, 4, 5, 6].map((seq) => ({ seq, status: 'accepted', chain: 'linked', reason: null })),
    );
    const [chain] = await t.query<{ head_seq: string; head_hash: string }>(
      'SELECT head_seq, head_hash FROM gateway_chains WHERE gateway_id = $1',
      [gateway.gatewayId],
    );
    expect(chain).toEqual({ head_seq: '6', head_hash: events[5]!.hash });
    expect(await t.hub.ingestGuard!.checkGaps({ graceMs: 0, gatewayId: gateway.gatewayId })).toBe(0);
    expect(lettersOf(gateway.gatewayId)).toEqual([]);
  });

  it('reports a hole that spans two batches and is never filled, and goes on from the event after it', async () => {
    const gateway = fakeGateway(uniqueGatewayId('gw-batch-hole'));
    const events = [1, 2, 3, 4, 5].map((n) => gateway.vitals('p-hole', 60 + n));
    await t.produceTogether([events[0]!, events[1]!]);
    await settled(gateway.gatewayId, 2);
    await t.produceTogether([events[3]!, events[4]!]); // seq 3 never sent
    await waitFor('seq 4 and 5 waiting', async () => {
      const rows = await t.statuses(gateway.gatewayId);
      return rows.filter((row) => row.chain === 'awaiting').length === 2;
    });
    expect(await t.hub.ingestGuard!.checkGaps({ graceMs: 0, gatewayId: gateway.gatewayId })).toBe(1);
    expect(await settled(gateway.gatewayId, 4)).toEqual([
      { seq: 1, status: 'accepted', chain: 'linked', reason: null },
      { seq: 2, status: 'accepted', chain: 'linked', reason: null },
      { seq: 4, status: 'rejected', chain: 'after_gap', reason: 'HUB_ERR_SEQ_GAP' },
      { seq: 5, status: 'accepted', chain: 'linked', reason: null },
    ]);
  });

  it('dead-letters an altered record in the middle of a batch with its reason, and accepts its neighbours', async () => {
    const gateway = fakeGateway(uniqueGatewayId('gw-batch-poison'));
    const events = [1, 2, 3, 4, 5].map((n) => gateway.vitals('p-poison', 80 + n));
    const victim = events[2]!;
    await t.produceTogether(events, (event, value) =>
      event.eventId === victim.eventId ? value.replace('"monitor-1"', '"monitor-2"') : value,
    );

    expect(await settled(gateway.gatewayId, 5)).toEqual([
      { seq: 1, status: 'accepted', chain: 'linked', reason: null },
      { seq: 2, status: 'accepted', chain: 'linked', reason: null },
      { seq: 3, status: 'rejected', chain: 'broken', reason: 'HUB_ERR_CHAIN_BROKEN' },
      { seq: 4, status: 'accepted', chain: 'linked', reason: null },
      { seq: 5, status: 'accepted', chain: 'linked', reason: null },
    ]);
    const letter = await waitFor('the dead letter', () => lettersOf(gateway.gatewayId)[0]);
    expect(letter.headers.ce_id).toBe(victim.eventId);
    expect(letter.headers[deadLetterHeaders.reasonCode]).toBe('HUB_ERR_CHAIN_BROKEN');
    expect(letter.headers[deadLetterHeaders.reason]).toContain(`seq ${victim.seq}`);
    expect(letter.headers[deadLetterHeaders.originalOffset]).toMatch(/^\d+$/);
    await waitFor('the violation raised', () =>
      violations(t.compliance).find((event) => event.data.offendingEventId === victim.eventId),
    );
    expect(lettersOf(gateway.gatewayId)).toHaveLength(1);
  });

  it('changes nothing when a whole batch is delivered again', async () => {
    const gateway = fakeGateway(uniqueGatewayId('gw-batch-again'));
    const events = [1, 2, 3].map((n) => gateway.vitals('p-again', 90 + n));
    await t.produceTogether(events);
    const first = await settled(gateway.gatewayId, 3);
    const dump = () =>
      t.query(
        'SELECT seq, status, chain, settled_at FROM gateway_events WHERE gateway_id = $1 ORDER BY seq',
        [gateway.gatewayId],
      );
    const stored = await dump();
    const duplicates = async () =>
      metricValue(await t.scrape(), 'events_processed_total', {
        service: 'ingest-guard',
        outcome: 'duplicate',
      });
    const before = await duplicates();
    await t.produceTogether(events);
    await waitFor('three more duplicates', async () => (await duplicates()) >= before + 3, {
      timeoutMs: 20_000,
    });
    expect(await t.statuses(gateway.gatewayId)).toEqual(first);
    expect(await dump()).toEqual(stored);
    expect(lettersOf(gateway.gatewayId)).toEqual([]);
  });
});
