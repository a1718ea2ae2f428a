import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frame } from '../../../drivers/hl7/mllpFraming.ts';
import { gatewaySources } from '../../../kernel/events/eventTypeSpec.ts';
import { uuidV7 } from '../../../kernel/events/ids.ts';
import { type EventLogReader, openEventLogReader } from '../../harness/eventLogReader.ts';
import { metricValue, scrapeMetrics } from '../../harness/prometheusText.ts';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { hl7Samples, pcd01Message } from '../../harness/hl7Testdata.ts';
import { freePort, mllpClient } from '../../harness/mllpClient.ts';

let gateway: TestGateway;
let reader: EventLogReader;
let port: number;

async function registerPatient(patientId: string, patientMRN?: string) {
  const at = new Date().toISOString();
  const outcome = await gateway.services.recorder.record({
    channel: 'internal',
    origin: 'test',
    draft: {
      eventId: uuidV7(),
      eventType: 'patient_registered',
      timestamp: at,
      version: '1.0',
      patientId,
      ...(patientMRN ? { patientMRN } : {}),
      facilityId: gateway.services.facility.facilityId,
      tenantId: gateway.services.facility.tenantId,
      source: gatewaySources.clinicalApi,
      data: { firstName: 'Amna', lastName: 'Osman', sex: 'female', registeredAt: at },
    },
  });
  if (outcome.status !== 'appended') throw new Error(`patient not registered: ${JSON.stringify(outcome)}`);
}

/** A sample as a real MLLP peer sends it: segments ended by CR. */
const withCr = (bytes: Buffer) => Buffer.from(bytes.toString('utf8').replace(/\r?\n/g, '\r'), 'utf8');
const withControlId = (text: string, id: string) =>
  text.replace(/^(MSH(?:\|[^|\r\n]*){8})\|[^|\r\n]*/, `$1|${id}`);

beforeAll(async () => {
  port = await freePort();
  process.env.NILECARE_HL7_PORT = String(port);
  process.env.NILECARE_HL7_HOST = '127.0.0.1';
  process.env.NILECARE_HL7_UTC_OFFSET_MINUTES = '0';
  gateway = await startTestGateway();
  reader = openEventLogReader(gateway.dataDir);
  await registerPatient('patient-duck', '10006579');
  await registerPatient('P-1');
});

afterAll(async () => {
  reader?.close();
  await gateway?.stop();
});

describe('HL7 v2 over MLLP from a real TCP client', () => {
  it('acknowledges every public sample AA only once its results are committed, under the patient PID-3 names', async () => {
    const samples = hl7Samples();
    const client = await mllpClient(port);
    const before = reader.ofType('lab_result_available').length;
    for (const [index, sample] of samples.entries()) {
      // As found (LF between segments), as a real peer sends it (CR), and with CRLF.
      const variants = [
        ['lf', sample.bytes],
        ['cr', withCr(sample.bytes)],
        ['crlf', Buffer.from(withCr(sample.bytes).toString('utf8').replace(/\r/g, '\r\n'))],
      ] as const;
      for (const [number, [variant, bytes]] of variants.entries()) {
        const text = withControlId(bytes.toString('utf8'), `${sample.name}-${variant}`);
        await client.write(frame(text));
        const acks = await client.ackCount(index * variants.length + number + 1);
        const ack = acks.at(-1)!;
        expect(ack).toMatchObject({ code: 'AA', controlId: `${sample.name}-${variant}` });
        // Read through a second connection: what it sees is committed.
        const stored = reader
          .ofType('lab_result_available')
          .filter(
            (event) =>
              (event.metadata?.hl7 as { controlId?: string } | undefined)?.controlId === ack.controlId,
          );
        expect(stored.length, sample.name).toBeGreaterThan(0);
        expect(stored.every((event) => event.patientId === 'patient-duck')).toBe(true);
      }
    }
    expect(reader.ofType('lab_result_available').length).toBeGreaterThan(before);
    client.close();
  });

  it('handles several messages in one write and one message split over many writes, acknowledging in order', async () => {
    const client = await mllpClient(port);
    const sample = withCr(hl7Samples()[0]!.bytes).toString('utf8');
    const three = ['multi-1', 'multi-2', 'multi-3'].map((id) => frame(withControlId(sample, id)));
    await client.write(Buffer.concat(three));
    const split = frame(withControlId(sample, 'split-1'));
    await client.write(
      ...Array.from({ length: Math.ceil(split.length / 7) }, (_, i) => split.subarray(i * 7, i * 7 + 7)),
    );
    const acks = await client.ackCount(4);
    expect(acks.map((ack) => [ack.code, ack.controlId])).toEqual([
      ['AA', 'multi-1'],
      ['AA', 'multi-2'],
      ['AA', 'multi-3'],
      ['AA', 'split-1'],
    ]);
    client.close();
  });

  it('stores a retransmitted message (same MSH-10) once and acknowledges both', async () => {
    const client = await mllpClient(port);
    const message = frame(pcd01Message('RETRY-1', 'P-1'));
    await client.write(message);
    await client.ackCount(1);
    await client.write(message);
    const acks = await client.ackCount(2);
    expect(acks.map((ack) => ack.code)).toEqual(['AA', 'AA']);
    const stored = reader
      .ofType('vital_signs_recorded')
      .filter(
        (event) => (event.metadata?.hl7 as { controlId?: string } | undefined)?.controlId === 'RETRY-1',
      );
    expect(stored).toHaveLength(1);
    client.close();
  });

  it('records monitor vitals coded in MDC and raises the critical-value alert as for MQTT', async () => {
    const client = await mllpClient(port);
    const after = reader.headSeq();
    await client.write(frame(pcd01Message('LOW-SPO2-1', 'P-1', 84)));
    const [ack] = await client.ackCount(1);
    expect(ack?.code).toBe('AA');
    const [vitals] = reader.ofType('vital_signs_recorded', after);
    expect(vitals).toMatchObject({ patientId: 'P-1', data: { oxygenSaturation: { value: 84, unit: '%' } } });
    const alerts = reader.ofType('critical_value_detected', after);
    expect(alerts.map((alert) => [alert.patientId, alert.data.parameter])).toContainEqual([
      'P-1',
      'oxygenSaturation',
    ]);
    client.close();
  });

  it('answers bad input AR/AE with the reason, quarantines it, counts it, and keeps the connection working', async () => {
    const client = await mllpClient(port);
    const quarantineBefore = reader.quarantineHead();
    const metricsBefore = await scrapeMetrics(gateway.httpPort);
    await client.write(Buffer.from('line noise\r\n'));
    await client.write(frame('this is not HL7'));
    await client.write(frame('MSH|^~\\&|A|B|C|D|20261126||ADT^A01|ADT-1|P|2.5\rPID|||1'));
    await client.write(frame(pcd01Message('BAD-UNIT-1', 'P-1').replace('262688^MDC_DIM_PERCENT^MDC', 'g/L')));
    await client.write(frame(pcd01Message('BAD-RANGE-1', 'P-1', 140)));
    await client.write(frame(pcd01Message('GOOD-AFTER-1', 'P-1')));
    const acks = await client.ackCount(5);
    expect(acks.map((ack) => [ack.code, ack.controlId, ack.errorCode])).toEqual([
      ['AR', '', '100'],
      ['AR', 'ADT-1', '200'],
      ['AE', 'BAD-UNIT-1', '103'],
      ['AE', 'BAD-RANGE-1', '102'],
      ['AA', 'GOOD-AFTER-1', ''],
    ]);
    expect(acks[2]!.reason).toContain('unit "g/L"');
    expect(acks[3]!.reason).toContain('GW_ERR_EVENT_INVALID');
    const quarantined = reader.quarantinedAfter(quarantineBefore);
    expect(quarantined.map((row) => [row.channel, row.reasonCode])).toEqual([
      ['hl7', 'GW_ERR_HL7_FRAMING'],
      ['hl7', 'GW_ERR_HL7_MALFORMED'],
      ['hl7', 'GW_ERR_HL7_UNSUPPORTED'],
      ['hl7', 'GW_ERR_HL7_OBSERVATION_INVALID'],
      ['hl7', 'GW_ERR_EVENT_INVALID'],
    ]);
    const metrics = await scrapeMetrics(gateway.httpPort);
    const rejected = (text: string) =>
      metricValue(text, 'nilecare_hl7_messages_total', { outcome: 'rejected' });
    expect(rejected(metrics) - rejected(metricsBefore)).toBe(4);
    const failed = (text: string) => metricValue(text, 'events_failed_total', { channel: 'hl7' });
    expect(failed(metrics) - failed(metricsBefore)).toBe(5);
    client.close();
  });
});
