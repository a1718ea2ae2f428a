import { describe, expect, it } from 'vitest';
import { bytesOf, outgoing, recordBytes, takeBatch, topicMessages } from '../../sync/outgoingBatch.ts';
import { deadLetterNoticeHeaders, toDeadLetterNotice, toWireRecord } from '../../kernel/kafka/wireFormat.ts';
import { eventBuilder } from '../harness/handBuiltEvents.ts';

const build = eventBuilder();
const reading = (patientId: string, heartRate: number) =>
  build.event(
    'vital_signs_recorded',
    {
      method: 'device',
      deviceId: 'monitor-1',
      deviceSeq: heartRate,
      measuredAt: '2025-03-01T08:00:00.000Z',
      heartRate: { value: heartRate, unit: '/min' },
    },
    { patientId, source: 'device-integration-service' },
  );
const registration = build.event(
  'patient_registered',
  {
    firstName: 'Amna',
    lastName: 'Osman',
    sex: 'female',
    registeredAt: '2025-03-01T08:00:00.000Z',
    sudanNationalId: 'enc:v1:k1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBBBB',
  },
  { patientId: 'p-1' },
);

describe('an outgoing record', () => {
  it('goes to the prefixed topic, keyed by the patient, with the wire format and its size', () => {
    const event = reading('p-1', 70);
    const record = outgoing(event, 'test.');
    expect(record.topic).toBe('test.device-events');
    expect(record.key).toBe('p-1');
    expect(record.value).toBe(toWireRecord(event).value);
    expect(record.headers).toMatchObject({ ce_id: event.eventId, seq: String(event.seq) });
    expect(record.bytes).toBe(recordBytes(toWireRecord(event)));
    expect(record.bytes).toBeGreaterThan(Buffer.byteLength(record.value));
  });
});

describe('cutting a batch', () => {
  const records = [70, 71, 72, 73, 74].map((rate) => outgoing(reading('p-1', rate), ''));
  const size = records[0]!.bytes;

  it('takes the longest prefix within the event and byte limits', () => {
    expect(takeBatch(records, { maxEvents: 3, maxBytes: 1e9 })).toHaveLength(3);
    expect(takeBatch(records, { maxEvents: 10, maxBytes: size * 2 + size / 2 })).toHaveLength(2);
    expect(bytesOf(takeBatch(records, { maxEvents: 10, maxBytes: 1e9 }))).toBe(
      records.reduce((sum, r) => sum + r.bytes, 0),
    );
  });

  it('always takes the first record, so one record over the byte limit still goes (alone)', () => {
    expect(takeBatch(records, { maxEvents: 10, maxBytes: 10 })).toEqual([records[0]]);
  });

  it('groups by topic and keeps seq order inside each topic', () => {
    const mixed = [outgoing(registration, ''), ...records.slice(0, 2), outgoing(reading('p-2', 90), '')];
    const grouped = topicMessages(mixed);
    expect(grouped.map((group) => group.topic)).toEqual(['patient-events', 'device-events']);
    const seqs = grouped[1]!.messages.map((message) => Number(message.headers!.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(grouped[1]!.messages).toHaveLength(3);
  });
});

describe('the dead-letter notice', () => {
  it('names the event, its seq and the reason, and carries no data (so no PHI)', () => {
    const notice = toDeadLetterNotice(
      registration,
      { code: 'MESSAGE_TOO_LARGE', message: 'too large', recordBytes: 2_000_000 },
      { topic: 'test.dead-letter-events', originalTopic: 'test.patient-events', at: new Date(0) },
    );
    expect(notice.topic).toBe('test.dead-letter-events');
    expect(notice.key).toBe(registration.gatewayId);
    expect(JSON.parse(notice.value)).toEqual({
      eventId: registration.eventId,
      eventType: 'patient_registered',
      gatewayId: registration.gatewayId,
      seq: registration.seq,
      hash: registration.hash,
      recordedAt: registration.recordedAt,
      recordBytes: 2_000_000,
    });
    expect(notice.value).not.toContain('enc:v1');
    expect(notice.value).not.toContain('Amna');
    expect(notice.headers).toMatchObject({
      ce_id: registration.eventId,
      seq: String(registration.seq),
      [deadLetterNoticeHeaders.reasonCode]: 'MESSAGE_TOO_LARGE',
      [deadLetterNoticeHeaders.originalTopic]: 'test.patient-events',
    });
  });
});
