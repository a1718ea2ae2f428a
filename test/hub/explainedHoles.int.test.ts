import { CompressionTypes, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import { toDeadLetterNotice } from '../../kernel/kafka/wireFormat.ts';
import { metricValue } from '../harness/prometheusText.ts';
import { waitFor } from '../harness/waitFor.ts';
import { fakeGateway, uniqueGatewayId } from '../harness/fakeGateway.ts';
import { startTestHub, type TestHub, violations } from '../harness/hubUnderTest.ts';

// docs/hub.md#gaps-and-out-of-order-arrival: a hole a gateway explained by its dead-letter notice is not a gap. Real Kafka, real PostgreSQL.
describe('a gateway dead-letter notice at the ingest guard', () => {
  let t: TestHub;
  let producer: Producer;
  beforeAll(async () => {
    t = await startTestHub();
    producer = t.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  }, 90_000);
  afterAll(async () => {
    await producer?.disconnect();
    await t?.close();
  });

  /** The notice sync/deadLettering.ts sends when Kafka refuses `event` for good. */
  async function sendNotice(event: ClinicalEvent) {
    const notice = toDeadLetterNotice(
      event,
      {
        code: 'MESSAGE_TOO_LARGE',
        message: 'The request included a message larger than the max message size',
        recordBytes: 2_000_000,
      },
      { topic: t.topics.deadLetter, originalTopic: t.topics.of('device-events'), at: new Date() },
    );
    await producer.send({
      topic: notice.topic,
      acks: -1,
      compression: CompressionTypes.GZIP,
      messages: [{ key: notice.key, value: notice.value, headers: notice.headers }],
    });
  }
  const noticeStored = (gatewayId: string, seq: number) =>
    waitFor(
      `the notice of seq ${seq} stored`,
      async () =>
        (
          await t.query('SELECT 1 FROM gateway_dead_letters WHERE gateway_id = $1 AND seq = $2', [
            gatewayId,
            seq,
          ])
        ).length === 1,
      { timeoutMs: 20_000, intervalMs: 50 },
    );
  const accepted = (gatewayId: string, count: number) =>
    waitFor(
      `${count} accepted events of ${gatewayId}`,
      async () => (await t.statuses(gatewayId)).filter((row) => row.status === 'accepted').length === count,
      { timeoutMs: 20_000, intervalMs: 50 },
    );
  const gaps = (gatewayId: string) =>
    t.query<{ from_seq: number; to_seq: number; explanation: string | null; explained: boolean }>(
      `SELECT from_seq::int, to_seq::int, explanation, explained_at IS NOT NULL AS explained
       FROM sequence_gaps WHERE gateway_id = $1 ORDER BY from_seq`,
      [gatewayId],
    );
  const aboutGateway = (gatewayId: string) => ({
    deadLetters: t.deadLetters.filter(
      (record) =>
        record.headers.gatewayId === gatewayId && record.headers['x-nilecare-service'] !== 'gateway-sync',
    ),
    violations: violations(t.compliance).filter((event) => JSON.stringify(event).includes(gatewayId)),
  });
  const allLinked = (count: number) =>
    Array.from({ length: count }, () => ({ status: 'accepted', chain: 'linked', reason: null }));

  it('steps over the hole with the hash the notice gives: the events after it are accepted, no gap, no violation', async () => {
    const gateway = fakeGateway(uniqueGatewayId('gw-dl-first'));
    const events = [1, 2, 3, 4, 5].map((n) => gateway.vitals('p-1', 60 + n));
    await t.produce([events[0]!, events[1]!]);
    await accepted(gateway.gatewayId, 2);
    await sendNotice(events[2]!); // seq 3 refused by Kafka at the gateway
    await noticeStored(gateway.gatewayId, 3);
    await t.produce([events[3]!, events[4]!]);
    await accepted(gateway.gatewayId, 4);

    expect((await t.statuses(gateway.gatewayId)).map(({ seq, ...rest }) => ({ seq, ...rest }))).toEqual(
      [1, 2, 4, 5].map((seq, index) => ({ seq, ...allLinked(4)[index]! })),
    );
    expect(await t.hub.ingestGuard!.checkGaps({ graceMs: 0, gatewayId: gateway.gatewayId })).toBe(0);
    expect(await gaps(gateway.gatewayId)).toEqual([
      { from_seq: 3, to_seq: 3, explanation: 'dead_lettered_at_gateway', explained: true },
    ]);
    expect(aboutGateway(gateway.gatewayId)).toEqual({ deadLetters: [], violations: [] });
    expect(
      metricValue(await t.scrape(), 'events_processed_total', { outcome: 'dead_letter_notice' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('lets the events waiting above the hole go on when the notice comes after them', async () => {
    const gateway = fakeGateway(uniqueGatewayId('gw-dl-later'));
    const events = [1, 2, 3, 4].map((n) => gateway.vitals('p-2', 70 + n));
    await t.produce([events[0]!, events[2]!, events[3]!]); // seq 2 refused by Kafka at the gateway
    await waitFor('seq 3 and 4 waiting', async () => {
      const rows = await t.statuses(gateway.gatewayId);
      return rows.filter((row) => row.chain === 'awaiting').length === 2;
    });
    await sendNotice(events[1]!);
    await accepted(gateway.gatewayId, 3);
    expect(await gaps(gateway.gatewayId)).toEqual([
      { from_seq: 2, to_seq: 2, explanation: 'dead_lettered_at_gateway', explained: true },
    ]);
    expect(aboutGateway(gateway.gatewayId)).toEqual({ deadLetters: [], violations: [] });
  });

  it('explains a gap reported before the notice came, and links the event after it after all', async () => {
    const gateway = fakeGateway(uniqueGatewayId('gw-dl-late'));
    const events = [1, 2, 3].map((n) => gateway.vitals('p-3', 80 + n));
    await t.produce([events[0]!, events[2]!]);
    await waitFor('seq 3 waiting', async () =>
      (await t.statuses(gateway.gatewayId)).some((row) => row.chain === 'awaiting'),
    );
    expect(await t.hub.ingestGuard!.checkGaps({ graceMs: 0, gatewayId: gateway.gatewayId })).toBe(1);
    expect(await gaps(gateway.gatewayId)).toEqual([
      { from_seq: 2, to_seq: 2, explanation: null, explained: false },
    ]);

    await sendNotice(events[1]!);
    await noticeStored(gateway.gatewayId, 2);
    await accepted(gateway.gatewayId, 2);
    expect(await t.statuses(gateway.gatewayId)).toEqual([
      { seq: 1, status: 'accepted', chain: 'linked', reason: null },
      { seq: 3, status: 'accepted', chain: 'linked', reason: 'HUB_ERR_SEQ_GAP' },
    ]);
    expect(await gaps(gateway.gatewayId)).toEqual([
      { from_seq: 2, to_seq: 2, explanation: 'dead_lettered_at_gateway', explained: true },
    ]);
  });

  it('does not take a notice whose hash does not fit: the event after it is a broken link', async () => {
    const gateway = fakeGateway(uniqueGatewayId('gw-dl-forged'));
    const events = [1, 2, 3].map((n) => gateway.vitals('p-4', 90 + n));
    await t.produce([events[0]!]);
    await accepted(gateway.gatewayId, 1);
    await sendNotice({ ...events[1]!, hash: 'f'.repeat(64) });
    await noticeStored(gateway.gatewayId, 2);
    await t.produce([events[2]!]);
    await waitFor('seq 3 settled', async () =>
      (await t.statuses(gateway.gatewayId)).some((row) => row.seq === 3 && row.chain !== 'awaiting'),
    );
    expect((await t.statuses(gateway.gatewayId)).find((row) => row.seq === 3)).toMatchObject({
      status: 'rejected',
      chain: 'broken',
      reason: 'HUB_ERR_CHAIN_BROKEN',
    });
  });
});
