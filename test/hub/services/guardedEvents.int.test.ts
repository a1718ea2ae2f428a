import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPublisherPolicy } from '../../../hub/ingestGuard/publisherPolicy.ts';
import { deadLetterHeaders } from '../../../hub/services/deadLetterRecord.ts';
import { guardedEvent } from '../../../hub/services/guardedEvents.ts';
import type { HubService } from '../../../hub/services/hubService.ts';
import { type RunningService, startServiceRunner } from '../../../hub/services/serviceRunner.ts';
import { waitFor } from '../../harness/waitFor.ts';
import { fakeGateway, uniqueGatewayId } from '../../harness/fakeGateway.ts';
import { startTestHub, type TestHub } from '../../harness/hubUnderTest.ts';

/**
 * The one rule every downstream service follows (docs/hub.md): process what
 * the ingest guard accepted, skip what it refused, wait for what it has not
 * settled. A probe service records what the helper lets through.
 */
describe('guarded events for downstream services', () => {
  let t: TestHub;
  let probe: RunningService;
  const policy = loadPublisherPolicy(undefined);

  const service = (): HubService => ({
    name: 'probe',
    topics: t.topics.events,
    idempotency: 'eventId',
    async handle(ctx) {
      const guarded = await guardedEvent(ctx, { service: 'probe', policy });
      if (guarded.kind === 'skip') return guarded.outcome;
      await ctx.tx.query('INSERT INTO probe_seen (event_id, kind, body) VALUES ($1, $2, $3)', [
        guarded.event.eventId,
        guarded.kind,
        JSON.stringify(guarded.event),
      ]);
      return guarded.kind;
    },
  });

  const seen = async () =>
    (
      await t.query<{ event_id: string; kind: string; body: { data: Record<string, unknown> } }>(
        'SELECT event_id, kind, body FROM probe_seen ORDER BY id',
      )
    ).map((row) => ({ eventId: row.event_id, kind: row.kind, data: row.body.data }));

  beforeAll(async () => {
    t = await startTestHub({ services: ['ingest-guard'] });
    await t.query(
      'CREATE TABLE probe_seen (id bigserial PRIMARY KEY, event_id uuid NOT NULL, kind text, body jsonb)',
    );
    const producer = t.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    probe = await startServiceRunner(service(), {
      kafka: t.kafka,
      pool: t.hub.pool,
      producer,
      outbox: t.hub.outbox,
      metrics: t.hub.metrics,
      logger: pino({ level: 'silent' }),
      clock: () => new Date(),
      groupId: `${t.topics.deadLetter}.probe`,
      deadLetterTopic: t.topics.deadLetter,
      retry: { attempts: 3, initialDelayMs: 20, maxDelayMs: 100 },
      partitionsConsumedConcurrently: 3,
      notReadyTimeoutMs: 4000,
    });
    const close = probe.close;
    probe.close = async () => {
      await close();
      await producer.disconnect();
    };
  }, 90_000);
  afterAll(async () => {
    await probe?.close();
    await t?.close();
  });

  it('passes accepted events once, skips a tampered one, and passes the hub’s own violation event', async () => {
    const gateway = fakeGateway(uniqueGatewayId('gw-guarded'));
    const [first, victim, third] = [1, 2, 3].map(() => gateway.vitals('patient-g1', 70));
    await t.produce([first!]);
    await t.produce([victim!], (value) => value.replace('monitor-1', 'monitor-9'));
    await t.produce([third!, first!]); // first twice: a redelivery
    const violation = await waitFor('the chain violation', () =>
      t.compliance.find((record) => record.value?.includes(victim!.eventId)),
    );
    const violationId = violation.headers.ce_id!;
    const all = await waitFor(
      'the probe to see both accepted events and the violation',
      async () => {
        const rows = await seen();
        return rows.some((row) => row.eventId === violationId) && rows.length >= 3 && rows;
      },
      { timeoutMs: 30_000 },
    );
    expect(
      all
        .filter((row) => row.kind === 'accepted')
        .map((row) => row.eventId)
        .sort(),
    ).toEqual([first!.eventId, third!.eventId].sort());
    expect(all.find((row) => row.eventId === violationId)?.kind).toBe('hub');
    expect(all.some((row) => row.eventId === victim!.eventId)).toBe(false);
  });

  it('waits for an event whose predecessor is late, then passes it', async () => {
    const gateway = fakeGateway(uniqueGatewayId('gw-late'));
    const [first, second] = [gateway.vitals('patient-g2', 71), gateway.vitals('patient-g2', 72)];
    await t.produce([second!]);
    // The probe sees seq 2 pending (not ready) until seq 1 arrives and the chain settles.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await seen()).some((row) => row.eventId === second!.eventId)).toBe(false);
    await t.produce([first!]);
    await waitFor(
      'both events',
      async () => {
        const ids = (await seen()).map((row) => row.eventId);
        return ids.includes(first!.eventId) && ids.includes(second!.eventId);
      },
      { timeoutMs: 30_000 },
    );
  });

  it('dead-letters an event the guard never settles once the wait is over, naming the reason', async () => {
    const gateway = fakeGateway(uniqueGatewayId('gw-never'));
    gateway.vitals('patient-g3', 73); // seq 1: never sent, so seq 2 stays pending (grace time 60 s)
    const orphan = gateway.vitals('patient-g3', 74);
    await t.produce([orphan]);
    const letter = await waitFor(
      'the dead letter of the probe',
      () =>
        t.deadLetters.find(
          (record) =>
            record.headers[deadLetterHeaders.service] === 'probe' && record.value?.includes(orphan.eventId),
        ),
      { timeoutMs: 30_000 },
    );
    expect(letter.headers[deadLetterHeaders.reasonCode]).toBe('HUB_ERR_EVENT_NOT_GUARDED');
    expect(letter.headers[deadLetterHeaders.reason]).toContain('not settled');
    expect((await seen()).some((row) => row.eventId === orphan.eventId)).toBe(false);
  });
});
