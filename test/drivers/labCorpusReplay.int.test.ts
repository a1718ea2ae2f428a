import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frame } from '../../drivers/hl7/mllpFraming.ts';
import { framesOfRecords, sendAstmOverTcp } from '../harness/astmTcpTransmission.ts';
import { type EventLogReader, openEventLogReader, type StoredEvent } from '../harness/eventLogReader.ts';
import { type AstmExpected, astmCorpus, type Hl7Expected, hl7Corpus } from '../harness/labCorpus.ts';
import { freePort, mllpClient } from '../harness/mllpClient.ts';
import { metricValue, scrapeMetrics } from '../harness/prometheusText.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';
import { waitFor } from '../harness/waitFor.ts';

// The lab conformance corpus (test/data/README.md) replayed by independent
// senders over real TCP: an E1381 analyzer for each ASTM capture and an MLLP
// client for each HL7 message. For every acknowledged transmission, the
// results in it = stored + quarantined + proven duplicates
// (docs/devices.md#every-result-accounted-for), with the values, units, flags
// and statuses a reader of the source expects; sent again, every result is a
// duplicate and nothing new is stored.

const ENQ = 0x05;
const EOT = 0x04;
const ACK = 0x06;
const STX = 0x02;
const tableFlags = new Set(['L', 'H', 'LL', 'HH', '<', '>', 'N', 'A', 'AA']);
const criticalFlags = new Set(['HH', 'LL', 'AA', '<', '>']);
const statuses: Record<string, string> = {
  C: 'corrected',
  P: 'preliminary',
  S: 'preliminary',
  I: 'preliminary',
  W: 'preliminary',
};

const astmFiles = astmCorpus();
const hl7Files = hl7Corpus();
const deviceOf = (index: number) => `corpus-astm-${index + 1}`;

let gateway: TestGateway;
let reader: EventLogReader;
let hl7Port: number;
const configDir = tempDataDir('nilecare-lab-corpus-');

beforeAll(async () => {
  const driversFile = join(configDir.path, 'drivers.json');
  hl7Port = await freePort();
  writeFileSync(
    driversFile,
    JSON.stringify({
      tcpListeners: [
        ...astmFiles.map((file, index) => ({
          protocol: 'astm',
          host: '127.0.0.1',
          port: 0,
          deviceId: deviceOf(index),
          utcOffset: '+02:00',
          ...file.expected.link,
        })),
        { protocol: 'hl7', host: '127.0.0.1', port: hl7Port, utcOffset: '+02:00' },
      ],
    }),
  );
  gateway = await startTestGateway({ driversFile });
  reader = openEventLogReader(gateway.dataDir);
});

afterAll(async () => {
  reader?.close();
  await gateway?.stop();
  configDir.remove();
});

/** The transmission as the analyzer sends it: its own frames, or one frame per record (LIS2-A2 section 6). */
function framesToSend(bytes: Buffer, expected: AstmExpected): Buffer[] {
  if (expected.framing === 'e1381') {
    const starts: number[] = [];
    bytes.forEach((byte, index) => {
      if (byte === STX) starts.push(index);
    });
    return starts.map((start, index) => {
      let chunk = bytes.subarray(start, starts[index + 1] ?? bytes.length);
      while (chunk.length > 0 && [ENQ, EOT, ACK, 0x15].includes(chunk[chunk.length - 1]!))
        chunk = chunk.subarray(0, -1);
      return chunk;
    });
  }
  const records = bytes
    .toString('latin1')
    .split(/\r\n|\r|\n/)
    .filter((record) => record.trim() !== '');
  return framesOfRecords(records);
}

const sendTransmission = (deviceId: string, frames: readonly Buffer[]) =>
  sendAstmOverTcp(gateway.drivers!.tcpPorts[deviceId]!, frames);

const labOutcomes = async (protocol: string) => {
  const text = await scrapeMetrics(gateway.httpPort);
  return {
    stored: metricValue(text, 'nilecare_lab_results_total', { protocol, outcome: 'stored' }),
    quarantined: metricValue(text, 'nilecare_lab_results_total', { protocol, outcome: 'quarantined' }),
    duplicate: metricValue(text, 'nilecare_lab_results_total', { protocol, outcome: 'duplicate' }),
  };
};

const delta = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(Object.entries(after).map(([key, value]) => [key, value - (before[key] ?? 0)]));

/** The universal test id as the corpus writes it ("^" between components, trailing blanks dropped). */
const testIdOf = (written: string) => {
  const parts = written.split('^').map((part) => part.trim());
  while (parts.length > 0 && parts.at(-1) === '') parts.pop();
  return parts.join('^');
};

function expectValue(
  event: StoredEvent,
  value: number | string,
  comparator: string | undefined,
  where: string,
) {
  if (typeof value === 'number') expect(event.data.value, where).toBeCloseTo(value, 9);
  else expect(event.data.value, where).toBe(value);
  expect(event.data.comparator, where).toBe(comparator);
}

describe('the ASTM captures of the corpus, replayed over TCP with the E1381 handshake', () => {
  it('holds at least 15 captures from at least 8 instrument families', () => {
    expect(astmFiles.length).toBeGreaterThanOrEqual(15);
    expect(new Set(astmFiles.map((file) => file.expected.family.split(' ')[0])).size).toBeGreaterThanOrEqual(
      8,
    );
  });

  it.each(astmFiles.map((file, index) => [file.name, index] as const))(
    '%s: every result stored, quarantined or a duplicate, as the analyzer meant it',
    async (_name, index) => {
      const file = astmFiles[index]!;
      const deviceId = deviceOf(index);
      const expected = file.expected;
      const before = reader.headSeq();
      const quarantineBefore = reader.quarantineHead();
      const countsBefore = await labOutcomes('astm');
      const frames = framesToSend(file.bytes, expected);
      expect(await sendTransmission(deviceId, frames)).toEqual(Array(frames.length + 1).fill(ACK));
      if (expected.refused) {
        // Refused whole, with its code and its bytes: nothing stored that the gateway cannot read.
        const refusal = await waitFor('the refusal to be quarantined', () =>
          reader.quarantinedAfter(quarantineBefore).find((row) => row.origin === deviceId),
        );
        expect(refusal.reasonCode).toBe(expected.refused);
        expect(reader.ofType('lab_result_available', before)).toEqual([]);
        return;
      }
      const counted = await waitFor('every result accounted for', async () => {
        const now = delta(await labOutcomes('astm'), countsBefore);
        return now.stored! + now.quarantined! + now.duplicate! >= expected.results.length ? now : undefined;
      });
      expect(counted.stored! + counted.quarantined! + counted.duplicate!).toBe(expected.results.length);
      // A first transmission holds no retransmission: nothing in it may be dropped as a duplicate.
      expect(counted.duplicate).toBe(0);
      const stored = reader
        .ofType('lab_result_available', before)
        .filter((event) => event.data.deviceId === deviceId);
      const quarantined = reader.quarantinedAfter(quarantineBefore).filter((row) => row.origin === deviceId);
      expect(stored).toHaveLength(counted.stored!);
      expect(quarantined).toHaveLength(counted.quarantined!);
      expect(quarantined.every((row) => row.reasonCode === 'GW_ERR_LAB_RESULT_EMPTY')).toBe(true);

      const unclaimed = [...stored];
      let empty = 0;
      for (const result of expected.results) {
        const where = `${file.name} R|${result.seq} ${result.testId}`;
        const flags = result.flags.filter((flag) => tableFlags.has(flag));
        if (result.value === null && flags.length === 0 && result.status !== 'X') {
          empty += 1;
          continue;
        }
        const at = unclaimed.findIndex((event) => {
          const astm = event.metadata?.astm as { testId?: string; sequence?: string } | undefined;
          return astm?.testId === testIdOf(result.testId) && astm?.sequence === result.seq;
        });
        expect(at, `${where}: stored`).toBeGreaterThanOrEqual(0);
        const [event] = unclaimed.splice(at, 1);
        if (result.value !== null) expectValue(event!, result.value, result.comparator, where);
        expect(event!.data.unit, where).toBe(result.unit ?? undefined);
        expect(event!.data.flags ?? [], where).toEqual(expect.arrayContaining(flags));
        expect(event!.data.resultStatus, where).toBe(statuses[result.status.toUpperCase()] ?? 'final');
        expect(Boolean(event!.data.qc), where).toBe(expected.qc);
        if (expected.qc) expect(event!.patientId, where).toBeUndefined();
        if (result.specimenId)
          expect((event!.data.specimen as { specimenId: string }).specimenId, where).toBe(result.specimenId);
      }
      expect(unclaimed, `${file.name}: stored results no expected result names`).toEqual([]);
      expect(empty).toBe(counted.quarantined);

      // The analyzer's own critical flags raise alerts; a QC run never does.
      const alerts = reader.ofType('critical_value_detected', before);
      for (const event of stored) {
        const critical = ((event.data.flags as string[] | undefined) ?? []).some((flag) =>
          criticalFlags.has(flag),
        );
        const raised = alerts.some((alert) => alert.causationId === event.eventId);
        // A critical flag alerts by itself; the numeric rules may alert on others (a potassium of 7).
        if (expected.qc || critical)
          expect(raised, `${file.name} ${String(event.data.testCode)} alert`).toBe(!expected.qc);
      }

      // Sent again (the analyzer did not hear the last ACK): every result is a proven duplicate.
      const head = reader.headSeq();
      const againBefore = await labOutcomes('astm');
      expect(await sendTransmission(deviceId, frames)).toEqual(Array(frames.length + 1).fill(ACK));
      const again = await waitFor('the resend accounted for', async () => {
        const now = delta(await labOutcomes('astm'), againBefore);
        return now.stored! + now.quarantined! + now.duplicate! >= expected.results.length ? now : undefined;
      });
      expect(again).toEqual({ stored: 0, quarantined: empty, duplicate: expected.results.length - empty });
      expect(reader.ofType('lab_result_available', head)).toEqual([]);
    },
  );
});

describe('the HL7 ORU^R01 messages of the corpus, sent by an MLLP client', () => {
  it('holds at least 15 messages', () => {
    expect(hl7Files.length).toBeGreaterThanOrEqual(15);
  });

  it.each(hl7Files.map((file, index) => [file.name, index] as const))(
    '%s: answered AA once every result is stored, quarantined or a duplicate',
    async (_name, index) => {
      const file = hl7Files[index]!;
      const expected: Hl7Expected = file.expected;
      // MDC-coded OBX (IEEE 11073) are device observations: vital signs and their context, not lab results.
      const labResults = expected.results.filter((result) => result.system.toUpperCase() !== 'MDC');
      const before = reader.headSeq();
      const countsBefore = await labOutcomes('hl7');
      const client = await mllpClient(hl7Port);
      try {
        await client.write(frame(file.bytes.toString('utf8')));
        const [ack] = await client.ackCount(1);
        expect(ack, file.name).toMatchObject({ code: 'AA', controlId: expected.controlId });
        const counted = delta(await labOutcomes('hl7'), countsBefore);
        expect(counted.stored! + counted.quarantined! + counted.duplicate!).toBe(labResults.length);
        const stored = reader
          .ofType('lab_result_available', before)
          .filter(
            (event) =>
              (event.metadata?.hl7 as { controlId?: string } | undefined)?.controlId === expected.controlId,
          );
        expect(stored).toHaveLength(counted.stored!);
        const recordable = labResults.filter(
          (result) => result.value !== null || result.status.toUpperCase() === 'X',
        );
        expect(
          stored.map((event) => (event.metadata?.hl7 as { observation?: string } | undefined)?.observation),
        ).toEqual(recordable.map((result) => result.setId));
        recordable.forEach((result, at) => {
          const event = stored[at]!;
          const where = `${file.name} OBX|${result.setId} ${result.code}`;
          if (result.value !== null) expectValue(event, result.value, result.comparator ?? undefined, where);
          expect(event.data.unit, where).toBe(result.unit ?? undefined);
          expect(event.data.flags ?? [], where).toEqual(result.flags.filter((flag) => tableFlags.has(flag)));
          expect(event.data.resultStatus, where).toBe(
            { F: 'final', C: 'corrected', A: 'corrected', X: 'final' }[result.status.toUpperCase()] ??
              'preliminary',
          );
        });
        // The same message again (no ACK heard): a proven duplicate, nothing stored twice.
        const head = reader.headSeq();
        await client.write(frame(file.bytes.toString('utf8')));
        const [, second] = await client.ackCount(2);
        expect(second?.code).toBe('AA');
        expect(reader.ofType('lab_result_available', head)).toEqual([]);
      } finally {
        client.close();
      }
    },
  );
});
