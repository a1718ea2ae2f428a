import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftFor } from '../../gateway/http/draftFor.ts';
import { verifyChain } from '../../gateway/eventStore/verifyChain.ts';
import { configureRetention, pruneAcknowledged } from '../../sync/retention.ts';
import { metricValue } from '../harness/prometheusText.ts';
import { openRecordedDataDir } from '../harness/recordedDataDir.ts';
import {
  createSyncTopics,
  deliveryReport,
  eventOf,
  readAllRecords,
  recordCount,
  syncTopicNames,
  uniquePrefix,
} from '../harness/syncKafka.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';
import { waitFor } from '../harness/waitFor.ts';
import { drained, startEngine, syncStatusOf } from '../harness/syncedDataDir.ts';
import { appendTelemetryBacklog } from '../harness/telemetryBacklog.ts';

let dir: ReturnType<typeof tempDataDir>;
let recorded: ReturnType<typeof openRecordedDataDir>;
let prefix: string;
let dropTopics: (() => Promise<void>) | undefined;
const stops: (() => Promise<void>)[] = [];

/** Recorded in March 2026: older than a 30-day retention by the time these tests run. */
const march = '2026-03-01T08:00:00.000Z';

beforeEach(() => {
  dir = tempDataDir();
  recorded = openRecordedDataDir(dir.path, march);
  prefix = uniquePrefix('engine');
});
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  recorded.close();
  dir.remove();
  await dropTopics?.();
  dropTopics = undefined;
});

function engine(overrides: Parameters<typeof startEngine>[1]) {
  const started = startEngine(recorded.services, overrides);
  stops.push(() => started.stop());
  return started;
}

async function ward(patients: number, readingsEach: number) {
  for (let p = 1; p <= patients; p += 1)
    await recorded.registerAndAdmit(`p-${p}`, `Patient${p}`, { ward: 'A', bed: `A${p}` });
  for (let n = 0; n < readingsEach; n += 1)
    for (let p = 1; p <= patients; p += 1)
      await recorded.reading(
        `p-${p}`,
        n,
        { heartRate: { value: 70 + (n % 30), unit: '/min' } },
        `monitor-${p}`,
      );
}

describe('the sync engine against a real Kafka', () => {
  it('sends every event once, in order per patient, advances each lane, and prunes what was acknowledged once old', async () => {
    dropTopics = await createSyncTopics(prefix);
    await ward(3, 10);
    await recorded.reading('p-1', 100, { oxygenSaturation: { value: 80, unit: '%' } }); // raises an alert
    engine({ topicPrefix: prefix, retentionDays: 30, pruneEveryMs: 100 });
    configureRetention(recorded.services.db, 30); // what the gateway does at start from syncRetentionDays
    const status = await drained(recorded.services);
    const head = recorded.services.log.head.seq;
    expect(status).toMatchObject({ connected: true, engine: 'running', acknowledgedThroughSeq: head });
    expect(status.lastSuccessfulSendAt).not.toBeNull();

    const records = await readAllRecords(syncTopicNames(prefix));
    const report = deliveryReport(records);
    expect(report.distinct).toBe(head);
    expect(report.duplicates).toBe(0);
    expect(report.outOfOrder).toEqual([]);
    const alert = records.find((record) => record.headers.ce_type === 'critical_value_detected')!;
    expect(alert.topic).toBe(`${prefix}alert-events`);
    expect(alert.key).toBe('p-1');

    const exposition = await recorded.services.metrics.registry.metrics();
    expect(metricValue(exposition, 'nilecare_sync_events_sent_total')).toBe(head);
    expect(
      metricValue(exposition, 'nilecare_sync_events_sent_total', { lane: 'alert', topic: 'alert-events' }),
    ).toBe(1);

    // Retention runs in the engine: what was acknowledged and recorded in March goes, but the newest event.
    await waitFor('retention to prune', () => syncStatusOf(recorded.services).prunedThroughSeq === head - 1);
    expect(verifyChain(recorded.services.db)).toMatchObject({
      ok: true,
      events: 1,
      prunedThroughSeq: head - 1,
    });
  });

  it('dead-letters the one event Kafka refuses as too large, with the reason, and the lane moves on', async () => {
    dropTopics = await createSyncTopics(prefix, {
      topicConfigs: { 'lab-events': { 'max.message.bytes': '20000' } },
    });
    await recorded.registerAndAdmit('p-1', 'Amna', { ward: 'A', bed: 'A1' });
    const result = (n: number, metadata?: Record<string, string>) => {
      const at = new Date().toISOString();
      const draft = draftFor(
        recorded.services,
        'lab_result_available',
        {
          resultId: `r-${n}`,
          specimen: { specimenId: `s-${n}`, type: 'serum' },
          testCode: 'GLU',
          testName: 'Glucose',
          value: 5 + n,
          resultStatus: 'final',
          observedAt: at,
          reportedAt: at,
        },
        { patientId: 'p-1', at },
      );
      return recorded.services.recorder.record({
        channel: 'internal',
        origin: 'test',
        draft: metadata ? { ...draft, metadata } : draft,
      });
    };
    for (let n = 0; n < 5; n += 1) await result(n);
    // 60 kB that gzip cannot shrink: over the topic's 20 kB.
    await result(5, { analyzerTrace: randomBytes(45_000).toString('base64') });
    for (let n = 6; n < 10; n += 1) await result(n);
    const bigSeq = recorded.services.log.head.seq - 4;

    engine({ topicPrefix: prefix });
    const status = await drained(recorded.services);
    expect(status.deadLetters).toMatchObject({
      count: 1,
      recent: [{ seq: bigSeq, lane: 'clinical', reasonCode: 'MESSAGE_TOO_LARGE', hubNotified: true }],
    });
    expect(status.deadLetters.recent[0]!.reason).toMatch(
      /^Kafka refused event seq \d+ for good \(MESSAGE_TOO_LARGE/,
    );
    expect(status.acknowledgedThroughSeq).toBe(bigSeq - 1);

    const lab = await readAllRecords([`${prefix}lab-events`]);
    const seqs = [...new Set(lab.map((record) => eventOf(record).seq))].sort((a, b) => a - b);
    expect(seqs).toHaveLength(9);
    expect(seqs).not.toContain(bigSeq);
    expect(Math.max(...seqs)).toBe(recorded.services.log.head.seq);

    const [notice] = await readAllRecords([`${prefix}dead-letter-events`]);
    expect(notice!.headers).toMatchObject({
      seq: String(bigSeq),
      'x-nilecare-reason-code': 'MESSAGE_TOO_LARGE',
    });
    expect(JSON.parse(notice!.value.toString())).toMatchObject({
      seq: bigSeq,
      eventType: 'lab_result_available',
    });
    expect(notice!.value.length).toBeLessThan(1000);

    // Retention never prunes it, nor anything after it.
    configureRetention(recorded.services.db, 30);
    pruneAcknowledged(recorded.services.db);
    expect(verifyChain(recorded.services.db)).toMatchObject({ ok: true, prunedThroughSeq: bigSeq - 1 });
  });

  it('respects the bandwidth budget', async () => {
    dropTopics = await createSyncTopics(prefix);
    appendTelemetryBacklog(recorded.services, 250);
    const budget = 60_000; // bytes per second
    const started = performance.now();
    engine({ topicPrefix: prefix, bandwidthBytesPerSecond: budget });
    await drained(recorded.services);
    const seconds = (performance.now() - started) / 1000;
    const exposition = await recorded.services.metrics.registry.metrics();
    const bytes = metricValue(exposition, 'nilecare_sync_bytes_sent_total');
    expect(bytes).toBeGreaterThan(3 * budget);
    // Whatever went out beyond one second of burst and the last batch (itself at most one
    // burst, paid back after it left) took at least its time at the budget's rate.
    expect(seconds).toBeGreaterThanOrEqual((bytes - 2 * budget) / budget - 0.05);
    expect(seconds).toBeLessThan((bytes / budget) * 2 + 2);
  });

  it('resumes after a stop from the cursors Kafka acknowledged: nothing lost', async () => {
    dropTopics = await createSyncTopics(prefix);
    appendTelemetryBacklog(recorded.services, 3000);
    const first = engine({ topicPrefix: prefix, bandwidthBytesPerSecond: 400_000, batchMaxEvents: 100 });
    await waitFor(
      'some events sent',
      () => syncStatusOf(recorded.services).lanes[2]!.deliveredThroughSeq > 300,
      {
        timeoutMs: 20_000,
      },
    );
    await first.stop();
    const stoppedAt = syncStatusOf(recorded.services);
    expect(stoppedAt.engine).toBe('stopped');
    expect(stoppedAt.backlog).toBeGreaterThan(0);
    engine({ topicPrefix: prefix });
    await drained(recorded.services);
    const report = deliveryReport(await readAllRecords(syncTopicNames(prefix)));
    expect(report.distinct).toBe(3000);
    expect(report.outOfOrder).toEqual([]);
  });

  it('sends an alert recorded while 100,000 readings wait before that backlog has drained', async () => {
    dropTopics = await createSyncTopics(prefix);
    await recorded.registerAndAdmit('p-alert', 'Amna', { ward: 'A', bed: 'A1' });
    appendTelemetryBacklog(recorded.services, 100_000);
    const batchMaxEvents = 500;
    engine({ topicPrefix: prefix, batchMaxEvents, bandwidthBytesPerSecond: 2_000_000 });
    const telemetry = () => syncStatusOf(recorded.services).lanes.find((lane) => lane.lane === 'telemetry')!;
    await waitFor('the telemetry backlog to start draining', () => telemetry().deliveredThroughSeq > 5000, {
      timeoutMs: 30_000,
    });

    const sentBefore = telemetry().deliveredThroughSeq;
    const [, alert] = await recorded.reading('p-alert', 1, { oxygenSaturation: { value: 79, unit: '%' } });
    expect(alert!.eventType).toBe('critical_value_detected');
    await waitFor(
      'the alert to be acknowledged by Kafka',
      () => syncStatusOf(recorded.services).lanes[0]!.deliveredThroughSeq >= alert!.seq,
      { timeoutMs: 10_000, intervalMs: 5 },
    );
    const sentAfter = telemetry().deliveredThroughSeq;
    const onKafka = await recordCount([`${prefix}device-events`]);
    // Proof by offsets: the alert is on Kafka while most readings are not yet.
    expect(onKafka).toBeLessThan(100_000);
    expect(telemetry().backlog).toBeGreaterThan(10_000);
    // "Sent next": at most the batch in flight and one more went before it.
    expect(sentAfter - sentBefore).toBeLessThanOrEqual(2 * batchMaxEvents + 1);

    const [alertRecord] = await readAllRecords([`${prefix}alert-events`]);
    expect(eventOf(alertRecord!).eventId).toBe(alert!.eventId);
  }, 90_000);
});
