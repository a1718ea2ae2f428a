import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { framesOfRecords, sendAstmOverTcp } from '../../harness/astmTcpTransmission.ts';
import { type EventLogReader, openEventLogReader } from '../../harness/eventLogReader.ts';
import { metricValue, scrapeMetrics } from '../../harness/prometheusText.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { waitFor } from '../../harness/waitFor.ts';

// The invariant of docs/devices.md#every-result-accounted-for, on generated
// input: multi-level ASTM messages (panel, analyte and sub-measure lines,
// several patients and orders, custom delimiters, values with and without
// components, comparators and blanks), each sent over real TCP, then sent
// again unchanged, then sent with some results corrected. For every
// acknowledged transmission, results = stored + quarantined + duplicates, and
// no acknowledged result is missing: each one with a value is in the log with
// exactly that value (a duplicate only when it is identical to what is stored).

const ACK = 0x06;
let gateway: TestGateway;
let reader: EventLogReader;
const configDir = tempDataDir('nilecare-astm-invariant-');

beforeAll(async () => {
  const driversFile = join(configDir.path, 'drivers.json');
  writeFileSync(
    driversFile,
    JSON.stringify({
      tcpListeners: [{ protocol: 'astm', host: '127.0.0.1', port: 0, deviceId: 'gen-1', utcOffset: 'Z' }],
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

interface Result {
  levels: string[];
  value: string;
  status: string;
}
interface Order {
  specimen: string;
  results: Result[];
}
interface Patient {
  id: string;
  orders: Order[];
}

const delimiterSets = ['|\\^&', '|@^\\', '!@#$'] as const;
const numberText = fc
  .tuple(fc.integer({ min: -50, max: 5000 }), fc.integer({ min: 0, max: 3 }))
  .map(([n, places]) => (n / 10 ** places).toFixed(places));
const valueText = fc.oneof(
  numberText,
  numberText.map((n) => `<${n.replace('-', '')}`),
  fc.constantFrom('NOT DETECTED', 'POSITIVE', 'INVALID', 'MTB DETECTED LOW'),
  fc.constant(''),
);
const levels = fc.tuple(
  fc.constantFrom('GLU', 'K', 'WBC', 'TB', 'MTB-RIF'),
  fc.constantFrom('', 'rpoB1', 'rpoB2', 'SPC'),
  fc.constantFrom('', 'Ct', 'EndPt'),
);
const result = fc.record({
  levels: levels.map(([a, b, c]) => [a, b, c]),
  value: valueText,
  status: fc.constantFrom('F', 'P', ''),
});
const order = fc.record({
  specimen: fc.stringMatching(/^[A-Z]{2}[0-9]{3,6}$/),
  results: fc.array(result, { minLength: 1, maxLength: 6 }),
});
const patients = fc.uniqueArray(
  fc.record({
    id: fc.stringMatching(/^P[0-9]{4}$/),
    orders: fc.array(order, { minLength: 1, maxLength: 2 }),
  }),
  { minLength: 1, maxLength: 3, selector: (patient) => patient.id },
);

/** The message's records with these delimiters; every value ends with a blank component, as cartridge analyzers write it. */
function recordsOf(model: Patient[], delimiters: string, timed: boolean): string[] {
  const [f, , c] = [delimiters[0]!, delimiters[1]!, delimiters[2]!];
  // H.14, the message's time, is the only time these results have; without it they take the gateway's.
  const records = [
    `H${delimiters}${f}${f}${f}GEN${c}1${f.repeat(7)}P${f}1394-97${f}${timed ? '20261201080000' : ''}`,
  ];
  model.forEach((patient, p) => {
    records.push(['P', p + 1, '', patient.id].join(f));
    patient.orders.forEach((each, o) => {
      records.push(['O', o + 1, each.specimen, '', `${c}${c}${c}PANEL`].join(f));
      each.results.forEach((r, index) => {
        const testId = `${c}${c}${c}${r.levels[0]}${c}Xpert${c}${c}${r.levels[1]}${c}${r.levels[2]}`;
        const value = r.value === '' ? '' : `${r.value}${c}`;
        records.push(['R', index + 1, testId, value, '', '', '', '', r.status].join(f));
      });
    });
  });
  records.push(`L${f}1${f}N`);
  return records;
}

async function transmit(records: readonly string[]): Promise<void> {
  const frames = framesOfRecords(records);
  const answers = await sendAstmOverTcp(gateway.drivers!.tcpPorts['gen-1']!, frames);
  expect(answers).toEqual(Array(frames.length + 1).fill(ACK));
}

const outcomes = async () => {
  const text = await scrapeMetrics(gateway.httpPort);
  const of = (outcome: string) =>
    metricValue(text, 'nilecare_lab_results_total', { protocol: 'astm', outcome });
  return { stored: of('stored'), quarantined: of('quarantined'), duplicate: of('duplicate') };
};

/** Sends a transmission and returns what became of its results once they add up. */
async function accounted(records: readonly string[], results: number) {
  const before = await outcomes();
  await transmit(records);
  return waitFor('every result accounted for', async () => {
    const after = await outcomes();
    const tally = {
      stored: after.stored - before.stored,
      quarantined: after.quarantined - before.quarantined,
      duplicate: after.duplicate - before.duplicate,
    };
    return tally.stored + tally.quarantined + tally.duplicate >= results ? tally : undefined;
  });
}

const expectedValue = (text: string): number | string => {
  const compared = /^<(.*)$/.exec(text);
  const bare = compared ? compared[1]! : text;
  return /^-?\d+(\.\d+)?$/.test(bare) ? Number(bare) : text;
};

/** Whether the log holds this result (patient, specimen, whole test id, place) with exactly this value. */
function inLog(patientId: string, specimen: string, r: Result, index: number, headAfter: number): boolean {
  const testId = `^^^${r.levels[0]}^Xpert^^${r.levels[1]}^${r.levels[2]}`.replace(/\^+$/, '');
  return reader.ofType('lab_result_available', headAfter).some((event) => {
    const astm = event.metadata?.astm as { testId: string; sequence: string };
    return (
      (event as unknown as { patientMRN?: string }).patientMRN === patientId &&
      (event.data.specimen as { specimenId: string }).specimenId === specimen &&
      astm.testId === testId &&
      astm.sequence === String(index + 1) &&
      event.data.value === expectedValue(r.value)
    );
  });
}

describe('every result of an acknowledged ASTM message is stored, quarantined or an identical duplicate', () => {
  it('holds for generated multi-level messages, their retransmissions and their corrections', async () => {
    await fc.assert(
      fc.asyncProperty(
        patients,
        fc.constantFrom(...delimiterSets),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (model, delimiters, toCorrect, timed) => {
          const head = reader.headSeq();
          const all = model.flatMap((patient) => patient.orders.flatMap((each) => each.results));
          const count = all.length;
          const empty = all.filter((r) => r.value === '').length;

          const first = await accounted(recordsOf(model, delimiters, timed), count);
          expect(first).toEqual({ stored: count - empty, quarantined: empty, duplicate: 0 });

          const again = await accounted(recordsOf(model, delimiters, timed), count);
          expect(again).toEqual({ stored: 0, quarantined: empty, duplicate: count - empty });

          // Corrections: the same results with another value and status C are stored, never dropped.
          const corrected: Patient[] = structuredClone(model);
          const flat = corrected.flatMap((patient) => patient.orders.flatMap((each) => each.results));
          const changed = new Set(toCorrect.map((n) => n % flat.length));
          for (const index of changed) {
            const r = flat[index]!;
            r.value = r.value === '' || Number.isNaN(Number(r.value)) ? '42.5' : String(Number(r.value) + 1);
            r.status = 'C';
          }
          const third = await accounted(recordsOf(corrected, delimiters, timed), count);
          const stillEmpty = flat.filter((r) => r.value === '').length;
          expect(third.quarantined).toBe(stillEmpty);
          expect(third.stored).toBe(changed.size);
          expect(third.stored + third.duplicate + third.quarantined).toBe(count);

          // No acknowledged result is missing: every value of every transmission is in the log.
          for (const version of [model, corrected])
            for (const patient of version)
              for (const each of patient.orders)
                each.results.forEach((r, index) => {
                  if (r.value !== '') expect(inLog(patient.id, each.specimen, r, index, head)).toBe(true);
                });
        },
      ),
      { numRuns: 25 },
    );
  }, 600_000);
});
