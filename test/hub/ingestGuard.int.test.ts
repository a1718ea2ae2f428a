import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterHeaders } from '../../hub/services/deadLetterRecord.ts';
import { metricValue } from '../harness/prometheusText.ts';
import { waitFor } from '../harness/waitFor.ts';
import { fakeGateway, uniqueGatewayId } from '../harness/fakeGateway.ts';
import { startTestHub, type TestHub, violations } from '../harness/hubUnderTest.ts';

// docs/architecture.md#guarantee-4 and #guarantee-8, against a real Kafka broker and a real PostgreSQL.
describe('the ingest guard', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  }, 90_000);
  afterAll(async () => {
    await t?.close();
  });

  const accepted = async (gatewayId: string, count: number) =>
    waitFor(
      `${count} accepted events of ${gatewayId}`,
      async () => (await t.statuses(gatewayId)).filter((row) => row.status === 'accepted').length === count,
      { timeoutMs: 20_000, intervalMs: 50 },
    );
  const deadLetterOf = (eventId: string) =>
    waitFor('the dead letter', () => t.deadLetters.find((record) => record.headers.ce_id === eventId), {
      timeoutMs: 20_000,
    });
  const violationAbout = (eventId: string) =>
    waitFor(
      'compliance_violation_detected',
      () => violations(t.compliance).find((event) => event.data.offendingEventId === eventId),
      { timeoutMs: 20_000 },
    );

  it('stores each valid event once, even when it is produced twice', async () => {
    const gateway = fakeGateway(uniqueGatewayId('gw-twice'));
    const events = [
      gateway.patientRegistered('p-1'),
      gateway.vitals('p-1', 82),
      gateway.deviceConnected('mon-1'),
    ];
    await t.produce(events);
    await t.produce(events);
    await accepted(gateway.gatewayId, 3);
    await waitFor('the second copies seen as duplicates', async () => {
      const rows = await t.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM gateway_events WHERE gateway_id = $1',
        [gateway.gatewayId],
      );
      return (
        rows[0]?.n === 3 &&
        metricValue(await t.scrape(), 'events_processed_total', { outcome: 'duplicate' }) >= 3
      );
    });
    expect((await t.statuses(gateway.gatewayId)).map((row) => row.chain)).toEqual([
      'linked',
      'linked',
      'linked',
    ]);
    expect(t.deadLetters.filter((record) => record.headers.gatewayId === gateway.gatewayId)).toEqual([]);
  });

  it('dead-letters an event with one changed byte as a broken chain, raises a violation, and keeps the chain flowing', async () => {
    const gateway = fakeGateway(uniqueGatewayId('gw-tamper'));
    const [first, victim, third, fourth] = [
      gateway.vitals('p-2', 80),
      gateway.deviceConnected('monitor-7'),
      gateway.vitals('p-2', 81),
      gateway.vitals('p-2', 82),
    ];
    await t.produce([first!]);
    // One byte of the value changed after the gateway hashed it; the hash is left as it was.
    await t.produce([victim!], (value) => value.replace('monitor-7', 'monitor-8'));
    await t.produce([third!, fourth!]);

    const letter = await deadLetterOf(victim!.eventId);
    expect(letter.headers[deadLetterHeaders.reasonCode]).toBe('HUB_ERR_CHAIN_BROKEN');
    expect(letter.headers[deadLetterHeaders.reason]).toContain(`seq ${victim!.seq}`);
    expect(letter.headers[deadLetterHeaders.originalTopic]).toMatch(/device-events$/);
    expect(letter.headers[deadLetterHeaders.originalOffset]).toMatch(/^\d+$/);
    expect(letter.value).toContain('monitor-8');
    const violation = await violationAbout(victim!.eventId);
    expect(violation).toMatchObject({
      eventType: 'compliance_violation_detected',
      source: 'compliance-service',
      data: { violationType: 'hash_chain_broken', severity: 'critical', gatewayId: gateway.gatewayId },
    });
    await accepted(gateway.gatewayId, 3);
    expect(await t.statuses(gateway.gatewayId)).toEqual([
      { seq: 1, status: 'accepted', chain: 'linked', reason: null },
      { seq: 2, status: 'rejected', chain: 'broken', reason: 'HUB_ERR_CHAIN_BROKEN' },
      { seq: 3, status: 'accepted', chain: 'linked', reason: null },
      { seq: 4, status: 'accepted', chain: 'linked', reason: null },
    ]);
  });

  it('dead-letters an event type its source may not publish, and accepts the events after it', async () => {
    const gateway = fakeGateway(uniqueGatewayId('gw-unauth'));
    const events = [
      gateway.vitals('p-3', 75),
      gateway.vitals('p-3', 76, { source: 'billing-service' }),
      gateway.vitals('p-3', 77),
    ];
    await t.produce(events);
    const letter = await deadLetterOf(events[1]!.eventId);
    expect(letter.headers[deadLetterHeaders.reasonCode]).toBe('HUB_ERR_PUBLISHER_UNAUTHORISED');
    expect(letter.headers[deadLetterHeaders.reason]).toContain(
      '"billing-service" may not publish vital_signs_recorded',
    );
    expect((await violationAbout(events[1]!.eventId)).data).toMatchObject({
      violationType: 'unauthorized_publisher',
      severity: 'high',
    });
    await accepted(gateway.gatewayId, 2);
    expect((await t.statuses(gateway.gatewayId)).map((row) => row.status)).toEqual([
      'accepted',
      'rejected',
      'accepted',
    ]);
  });

  it('dead-letters an event that breaks its schema, naming the field, and accepts the events after it', async () => {
    const gateway = fakeGateway(uniqueGatewayId('gw-schema'));
    const events = [gateway.vitals('p-4', 70), gateway.vitals('p-4', 999), gateway.vitals('p-4', 71)];
    await t.produce(events);
    const letter = await deadLetterOf(events[1]!.eventId);
    expect(letter.headers[deadLetterHeaders.reasonCode]).toBe('HUB_ERR_EVENT_INVALID');
    expect(letter.headers[deadLetterHeaders.reason]).toContain('/data/heartRate/value');
    expect((await violationAbout(events[1]!.eventId)).data.violationType).toBe('schema_violation');
    await accepted(gateway.gatewayId, 2);
  });

  it('reports a hole in seq at a check, dead-letters the event after it, and goes on from there', async () => {
    const gateway = fakeGateway(uniqueGatewayId('gw-gap'));
    const events = [1, 2, 3, 4, 5].map((n) => gateway.vitals('p-5', 60 + n));
    await t.produce([events[0]!, events[1]!, events[3]!, events[4]!]); // seq 3 never sent
    await waitFor('seq 4 and 5 waiting for seq 3', async () => {
      const rows = await t.statuses(gateway.gatewayId);
      return rows.filter((row) => row.chain === 'awaiting').length === 2;
    });
    expect(t.deadLetters.filter((record) => record.headers.gatewayId === gateway.gatewayId)).toEqual([]);

    expect(await t.hub.ingestGuard!.checkGaps({ graceMs: 0, gatewayId: gateway.gatewayId })).toBe(1);
    const letter = await deadLetterOf(events[3]!.eventId);
    expect(letter.headers[deadLetterHeaders.reasonCode]).toBe('HUB_ERR_SEQ_GAP');
    expect(letter.headers[deadLetterHeaders.reason]).toContain('seq 3 to 3 missing');
    expect((await violationAbout(events[3]!.eventId)).data.violationType).toBe('sequence_gap');
    expect(await t.statuses(gateway.gatewayId)).toEqual([
      { seq: 1, status: 'accepted', chain: 'linked', reason: null },
      { seq: 2, status: 'accepted', chain: 'linked', reason: null },
      { seq: 4, status: 'rejected', chain: 'after_gap', reason: 'HUB_ERR_SEQ_GAP' },
      { seq: 5, status: 'accepted', chain: 'linked', reason: null },
    ]);
    const sixth = gateway.vitals('p-5', 66);
    await t.produce([sixth]);
    await accepted(gateway.gatewayId, 4);
    expect(
      await t.query('SELECT from_seq::int, to_seq::int FROM sequence_gaps WHERE gateway_id = $1', [
        gateway.gatewayId,
      ]),
    ).toEqual([{ from_seq: 3, to_seq: 3 }]);
  });

  it('dead-letters a record that is not JSON and keeps consuming the same partition', async () => {
    const gateway = fakeGateway(uniqueGatewayId('gw-poison'));
    const after = gateway.vitals('p-6', 90);
    await t.produceRaw('device-events', {
      key: 'p-6',
      value: '{"eventId": not json',
      headers: { ce_id: 'poison-1', gatewayId: gateway.gatewayId },
    });
    await t.produce([after]);
    const letter = await deadLetterOf('poison-1');
    expect(letter.headers[deadLetterHeaders.reasonCode]).toBe('HUB_ERR_RECORD_UNREADABLE');
    expect(letter.value).toBe('{"eventId": not json');
    await accepted(gateway.gatewayId, 1);
    await waitFor('a violation for the poison record', () =>
      violations(t.compliance).some(
        (event) =>
          event.data.violationType === 'schema_violation' && event.data.offendingEventId === undefined,
      ),
    );
  });

  it("serves the platform design's metric names, consumer lag per partition and health", async () => {
    const text = await t.scrape();
    for (const name of [
      'events_processed_total',
      'events_failed_total',
      'dead_letter_queue_size',
      'event_processing_duration_seconds_bucket',
      'kafka_consumergroup_lag',
    ])
      expect(text, name).toMatch(new RegExp(`^${name}`, 'm'));
    expect(
      metricValue(text, 'events_failed_total', { reason: 'HUB_ERR_CHAIN_BROKEN' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      metricValue(text, 'dead_letter_queue_size', { topic: t.topics.deadLetter }),
    ).toBeGreaterThanOrEqual(5);
    expect(text).toMatch(
      /kafka_consumergroup_lag\{consumergroup="[^"]+\.ingest-guard",topic="[^"]+",partition="2"\}/,
    );
    await waitFor(
      'the lag to reach 0',
      async () => metricValue(await t.scrape(), 'kafka_consumergroup_lag') === 0 || undefined,
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    // Its own compliance events come back on sudan-compliance-events: read as the hub's, never refused.
    await waitFor(
      'its own compliance events read back',
      async () => metricValue(await t.scrape(), 'events_processed_total', { outcome: 'hub_origin' }) >= 1,
    );
    expect(
      t.deadLetters.filter((record) => record.headers.ce_type === 'compliance_violation_detected'),
    ).toEqual([]);
    const health = await fetch(`http://127.0.0.1:${t.hub.httpPort}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      postgres: 'ok',
      services: expect.arrayContaining([expect.objectContaining({ name: 'ingest-guard', running: true })]),
    });
  });
});
