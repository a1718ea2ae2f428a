import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type VitalsMinuteDoc,
  vitalsMinutesProjection,
  vitalsQuarterHoursProjection,
} from '../../../gateway/projections/vitalsMinutes.ts';
import { createTrendQuery, summaryProjectionFor } from '../../../gateway/trends/trendQuery.ts';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import type { JsonObject } from '../../../kernel/events/json.ts';
import { eventBuilder, vitals } from '../../harness/handBuiltEvents.ts';

/**
 * The chart's long windows and the flowsheet read the quarter-hour summaries
 * (docs/ui.md#trend-data): for any bucket that is a whole number of quarter
 * hours they must answer exactly what the per-minute summaries answer.
 */
const dir = mkdtempSync(join(tmpdir(), 'nilecare-quarter-hours-'));
const db = new Database(join(dir, 'trend.db'));
db.exec(
  'CREATE TABLE projection_docs (projection TEXT NOT NULL, doc_id TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (projection, doc_id))',
);
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const patientId = 'patient-amna';
const start = Date.parse('2026-12-07T00:00:00.000Z');
const build = eventBuilder({ start: '2026-12-07T12:00:00.000Z', envelope: { patientId } });

function store(events: readonly ClinicalEvent[]): void {
  db.exec('DELETE FROM projection_docs');
  const put = db.prepare('INSERT OR REPLACE INTO projection_docs (projection, doc_id, doc) VALUES (?, ?, ?)');
  for (const projection of [vitalsMinutesProjection, vitalsQuarterHoursProjection]) {
    const docs = new Map<string, VitalsMinuteDoc>();
    for (const event of events) {
      for (const docId of projection.docIdsOf(event))
        docs.set(docId, projection.evolve(docs.get(docId), event)!);
    }
    for (const [docId, doc] of docs) put.run(projection.name, docId, JSON.stringify(doc));
  }
}

const readingArbitrary = fc.record({
  second: fc.integer({ min: 0, max: 6 * 3600 - 1 }),
  method: fc.constantFrom('device', 'manual'),
  heartRate: fc.integer({ min: 30, max: 200 }),
  oxygenSaturation: fc.option(fc.integer({ min: 70, max: 100 }), { nil: undefined }),
  supplementalOxygen: fc.option(fc.boolean(), { nil: undefined }),
  consciousness: fc.option(fc.constantFrom('A', 'C', 'V', 'P', 'U'), { nil: undefined }),
  // A reading that reaches the gateway late: stored after readings measured later.
  lateBySeconds: fc.integer({ min: 0, max: 600 }),
});

describe('the quarter-hour trend summaries', () => {
  it('are chosen for buckets of whole quarter hours and the minutes otherwise', () => {
    expect(summaryProjectionFor(900)).toBe('vitalsQuarterHours');
    expect(summaryProjectionFor(3600)).toBe('vitalsQuarterHours');
    expect(summaryProjectionFor(300)).toBe('vitalsMinutes');
    expect(summaryProjectionFor(60)).toBe('vitalsMinutes');
  });

  it('answer a window of quarter-hour buckets exactly as the minutes do', () => {
    const fromMinutes = createTrendQuery(db, { projection: 'vitalsMinutes' });
    const fromQuarters = createTrendQuery(db, { projection: 'vitalsQuarterHours' });
    fc.assert(
      fc.property(
        fc.array(readingArbitrary, { minLength: 1, maxLength: 120 }),
        fc.constantFrom(900, 1800, 3600),
        (readings, bucketSeconds) => {
          const events = readings
            .map((reading) => ({ ...reading, storedAt: reading.second + reading.lateBySeconds }))
            .sort((a, b) => a.storedAt - b.storedAt)
            .map((reading) => {
              const measuredAt = new Date(start + reading.second * 1000).toISOString();
              const measured: JsonObject = {
                ...vitals({
                  heartRate: reading.heartRate,
                  ...(reading.oxygenSaturation === undefined
                    ? {}
                    : { oxygenSaturation: reading.oxygenSaturation }),
                }),
                ...(reading.supplementalOxygen === undefined
                  ? {}
                  : { supplementalOxygen: reading.supplementalOxygen }),
                ...(reading.consciousness === undefined ? {} : { consciousness: reading.consciousness }),
              };
              const event = build.vitalSignsRecorded(
                { method: reading.method, deviceId: 'monitor-1', measuredAt, ...measured },
                { source: 'device-integration-service' },
              );
              return { ...event, recordedAt: new Date(start + reading.storedAt * 1000).toISOString() };
            });
          store(events);
          const from = new Date(start);
          const to = new Date(start + 6 * 3600_000);
          const minutes = fromMinutes(patientId, from, to, bucketSeconds);
          const quarters = fromQuarters(patientId, from, to, bucketSeconds);
          expect(quarters.buckets.length).toBeGreaterThan(0);
          expect(quarters).toEqual(minutes);
        },
      ),
      {
        numRuns: 60,
        // Found by this property: a late entry of consciousness replaced a later one in the quarter hour.
        examples: [
          [
            [
              {
                second: 20757,
                method: 'device',
                heartRate: 30,
                oxygenSaturation: undefined,
                supplementalOxygen: undefined,
                consciousness: 'A',
                lateBySeconds: 4,
              },
              {
                second: 20760,
                method: 'device',
                heartRate: 30,
                oxygenSaturation: undefined,
                supplementalOxygen: undefined,
                consciousness: undefined,
                lateBySeconds: 0,
              },
              {
                second: 20700,
                method: 'device',
                heartRate: 30,
                oxygenSaturation: undefined,
                supplementalOxygen: undefined,
                consciousness: 'V',
                lateBySeconds: 0,
              },
            ],
            900,
          ],
        ],
      },
    );
  });
});
