import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downstreamTopic } from '../../../../kernel/kafka/kafkaTopics.ts';
import { waitFor } from '../../../harness/waitFor.ts';
import { fakeGateway, uniqueGatewayId } from '../../../harness/fakeGateway.ts';
import { type ReadRecord, readTopic, startTestHub, type TestHub } from '../../../harness/hubUnderTest.ts';
import { clinicalEvents } from '../../../harness/clinicalEvents.ts';

let hub: TestHub;
let medication: ReadRecord[];
let alerts: ReadRecord[];
let downstream: ReadRecord[];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  hub = await startTestHub({ services: ['ingest-guard', 'cds'] });
  for (const [topic, set] of [
    [hub.topics.of('medication-events'), (records: ReadRecord[]) => (medication = records)],
    [hub.topics.of('alert-events'), (records: ReadRecord[]) => (alerts = records)],
    [`${hub.prefix}${downstreamTopic}`, (records: ReadRecord[]) => (downstream = records)],
  ] as const) {
    const reader = await readTopic(hub.kafka, topic);
    set(reader.records);
    closers.push(reader.close);
  }
}, 120_000);

afterAll(async () => {
  for (const close of closers) await close();
  await hub?.close();
});

const byType = (records: ReadRecord[], type: string) =>
  records.filter((record) => record.headers.ce_type === type);
const body = (record: ReadRecord) => JSON.parse(record.value ?? '{}') as Record<string, unknown>;

describe('the CDS service on a gateway stream', () => {
  const gateway = fakeGateway(uniqueGatewayId('cds'));
  const events = clinicalEvents(gateway);
  const patientId = 'patient-cds-1';
  const registered = events.registered(patientId, ['Penicillin']);
  const warfarin = events.prescribed(patientId, 'rx-warfarin', 'warfarin', { value: 5, unit: 'mg' });
  const aspirin = events.prescribed(patientId, 'rx-aspirin', 'aspirin', { value: 300, unit: 'mg' }, 'tid');
  const amoxicillin = events.prescribed(
    patientId,
    'rx-amox',
    'amoxicillin',
    { value: 500, unit: 'mg' },
    'tid',
  );
  const paracetamol = events.prescribed(
    patientId,
    'rx-para',
    'paracetamol',
    { value: 2000, unit: 'mg' },
    'qid',
  );
  const malaria = events.diagnosis(patientId, 'B50.9');

  it('publishes an interaction, an allergy alert and a dose failure, each caused by its prescription', async () => {
    await hub.produce([registered]);
    await waitFor(
      'allergies recorded',
      async () => (await hub.query('SELECT 1 FROM cds_allergies')).length === 1,
    );
    await hub.produce([warfarin, aspirin, amoxicillin, paracetamol, malaria]);
    await waitFor('three findings on Kafka', () =>
      Promise.resolve(
        byType(medication, 'medication_interaction_detected').length +
          byType(alerts, 'allergy_alert_generated').length +
          byType(alerts, 'dose_validation_failed').length ===
          3,
      ),
    );
    const interaction = body(byType(medication, 'medication_interaction_detected')[0]!);
    expect(interaction).toMatchObject({
      source: 'cds-service',
      patientId,
      causationId: aspirin.eventId,
      data: { severity: 'major', drugs: [{ drugName: 'aspirin' }, { drugName: 'warfarin' }] },
    });
    expect(body(byType(alerts, 'allergy_alert_generated')[0]!)).toMatchObject({
      causationId: amoxicillin.eventId,
      data: { drugName: 'amoxicillin', allergen: 'Penicillin', medicationRequestId: 'rx-amox' },
    });
    expect(body(byType(alerts, 'dose_validation_failed')[0]!)).toMatchObject({
      causationId: paracetamol.eventId,
      data: { rule: 'above_max_single_dose', limit: 'max 1000 mg per dose' },
    });
  });

  it('sends each finding back to the gateway the prescription came from, keyed by it', async () => {
    await waitFor('three downstream records', () => Promise.resolve(downstream.length === 3));
    expect(new Set(downstream.map((record) => record.key))).toEqual(new Set([gateway.gatewayId]));
    expect(downstream.map((record) => record.headers.ce_type).sort()).toEqual([
      'allergy_alert_generated',
      'dose_validation_failed',
      'medication_interaction_detected',
    ]);
  });

  it('suggests the guideline of a diagnosis', async () => {
    await waitFor(
      'a guideline',
      async () => (await hub.query('SELECT 1 FROM cds_guideline_suggestions')).length === 1,
    );
    const [row] = await hub.query<{ title: string; code: string }>(
      'SELECT title, code FROM cds_guideline_suggestions',
    );
    expect(row).toEqual({ title: 'WHO guidelines for malaria', code: 'B50.9' });
  });

  it('does not find anything twice when the stream is delivered again', async () => {
    await hub.produce([warfarin, aspirin, amoxicillin, paracetamol]);
    const marker = events.prescribed(patientId, 'rx-marker', 'paracetamol', { value: 500, unit: 'mg' });
    await hub.produce([marker]);
    await waitFor(
      'the marker checked',
      async () =>
        (await hub.query(`SELECT 1 FROM cds_prescriptions WHERE medication_request_id = 'rx-marker'`))
          .length === 1,
    );
    const [count] = await hub.query<{ n: number }>('SELECT count(*)::int AS n FROM cds_findings');
    expect(count?.n).toBe(3);
    expect(downstream).toHaveLength(3);
  });

  it('skips an event the ingest guard refused', async () => {
    const forged = fakeGateway(uniqueGatewayId('cds-forged'));
    const forgedEvents = clinicalEvents(forged);
    const first = forgedEvents.prescribed('patient-cds-2', 'rx-w2', 'warfarin', { value: 5, unit: 'mg' });
    const second = forgedEvents.prescribed('patient-cds-2', 'rx-a2', 'aspirin', { value: 300, unit: 'mg' });
    // The second's body altered after hashing: the guard refuses it (HUB_ERR_CHAIN_BROKEN).
    await hub.produce([first]);
    await hub.produce([second], (value) => value.replace('"aspirin"', '"Aspirin"'));
    await waitFor(
      'the refusal',
      async () =>
        (
          await hub.query(`SELECT 1 FROM gateway_events WHERE event_id = $1 AND status = 'rejected'`, [
            second.eventId,
          ])
        ).length === 1,
    );
    await waitFor(
      'the first prescription recorded',
      async () =>
        (await hub.query(`SELECT 1 FROM cds_prescriptions WHERE medication_request_id = 'rx-w2'`)).length ===
        1,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await hub.query(`SELECT 1 FROM cds_prescriptions WHERE medication_request_id = 'rx-a2'`)).toEqual(
      [],
    );
  });
});
