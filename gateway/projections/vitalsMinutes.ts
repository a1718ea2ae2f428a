import type { ConsciousnessLevel } from '../../kernel/clinical/news2Chart.ts';
import type { VitalParameter } from '../../kernel/events/schemas/vitals.ts';
import { vitalParameters } from '../../kernel/events/schemas/vitals.ts';
import { orderingTime } from './latestVitals.ts';
import { dataOf, type Projection } from './projection.ts';
import { subjectOf } from './vitalsSubject.ts';

/** One parameter's readings within a minute: extremes, the latest value and how many. */
export interface MinuteSummary {
  min: number;
  max: number;
  last: number;
  /** When the latest was taken (ms since the epoch, orderingTime), so a late reading does not become it. */
  lastAt: number;
  count: number;
}

export type MinuteSummaries = Partial<Record<VitalParameter, MinuteSummary>>;

/**
 * A patient's vital signs within one minute, device and hand-entered apart:
 * the trend's smallest bucket. Document id `<subject>|<minute ISO>`, so one
 * patient's minutes in time order are a range of the primary key
 * (gateway/trends/trendQuery.ts), and a 72 h window reads 4,320 small
 * documents however many readings the monitors sent.
 */
export interface VitalsMinuteDoc {
  subjectId: string;
  /** Start of the minute, ISO 8601 in UTC (24 characters: sorts as time). */
  minute: string;
  device?: MinuteSummaries;
  manual?: MinuteSummaries;
  supplementalOxygen?: boolean;
  /** When the latest air-or-oxygen entry was taken (ms since the epoch, orderingTime). */
  supplementalOxygenAt?: number;
  consciousness?: ConsciousnessLevel;
  /** When the latest consciousness entry was taken. */
  consciousnessAt?: number;
}

interface VitalsData {
  method: 'device' | 'manual';
  measuredAt: string;
  supplementalOxygen?: boolean;
  consciousness?: ConsciousnessLevel;
  [parameter: string]: unknown;
}

const MINUTE_MS = 60_000;
const QUARTER_HOUR_MS = 15 * MINUTE_MS;

/** The start of the bucket of `bucketMs` a reading counts in: its orderingTime (device time, never later than stored). */
export function bucketStartOf(measuredAt: string, recordedAt: string, bucketMs: number): string {
  return new Date(Math.floor(orderingTime(measuredAt, recordedAt) / bucketMs) * bucketMs).toISOString();
}

/** The minute a reading counts in. */
export const minuteOf = (measuredAt: string, recordedAt: string): string =>
  bucketStartOf(measuredAt, recordedAt, MINUTE_MS);

export const vitalsMinuteDocId = (subjectId: string, minute: string) => `${subjectId}|${minute}`;

/**
 * Summaries of each patient's vital signs per bucket of `bucketMs` (a doc per
 * patient and bucket, `minute` its start): the same evolve for every size.
 */
function vitalsBucketsProjection(name: string, bucketMs: number): Projection<VitalsMinuteDoc> {
  return {
    // 2: air-or-oxygen and consciousness keep their own time (1 compared with the bucket's latest reading).
    name,
    version: 2,
    docIdsOf(event) {
      if (event.eventType !== 'vital_signs_recorded') return [];
      const subject = subjectOf(event);
      const { measuredAt } = dataOf<VitalsData>(event);
      return subject
        ? [vitalsMinuteDocId(subject, bucketStartOf(measuredAt, event.recordedAt, bucketMs))]
        : [];
    },
    evolve(doc, event) {
      const data = dataOf<VitalsData>(event);
      const at = orderingTime(data.measuredAt, event.recordedAt);
      const summaries: MinuteSummaries = { ...doc?.[data.method] };
      for (const parameter of vitalParameters) {
        const quantity = data[parameter] as { value: number } | undefined;
        if (quantity) summaries[parameter] = withValue(summaries[parameter], quantity.value, at);
      }
      // Each entry keeps the time it was taken: a late reading never replaces a later one.
      const newer = (takenAt: number | undefined) => takenAt === undefined || at >= takenAt;
      return {
        subjectId: subjectOf(event)!,
        minute: bucketStartOf(data.measuredAt, event.recordedAt, bucketMs),
        ...doc,
        [data.method]: summaries,
        ...(data.supplementalOxygen !== undefined && newer(doc?.supplementalOxygenAt)
          ? { supplementalOxygen: data.supplementalOxygen, supplementalOxygenAt: at }
          : {}),
        ...(data.consciousness !== undefined && newer(doc?.consciousnessAt)
          ? { consciousness: data.consciousness, consciousnessAt: at }
          : {}),
      };
    },
  };
}

/** Per-minute summaries of each patient's vital signs, for the trend charts. */
export const vitalsMinutesProjection = vitalsBucketsProjection('vitalsMinutes', MINUTE_MS);

/**
 * The same per quarter hour: a 72 h window or a flowsheet reads 288 of
 * these instead of 4,320 minutes (gateway/trends/trendQuery.ts picks it when
 * the bucket is a whole number of quarter hours; docs/ui.md#trend-data).
 */
export const vitalsQuarterHoursProjection = vitalsBucketsProjection('vitalsQuarterHours', QUARTER_HOUR_MS);

/** The trend read models, finest first, with the bucket each summarises, in seconds. */
export const vitalsSummaryProjections = [
  { name: vitalsMinutesProjection.name, seconds: MINUTE_MS / 1000 },
  { name: vitalsQuarterHoursProjection.name, seconds: QUARTER_HOUR_MS / 1000 },
] as const;

function withValue(summary: MinuteSummary | undefined, value: number, at: number): MinuteSummary {
  if (!summary) return { min: value, max: value, last: value, lastAt: at, count: 1 };
  const newer = at >= summary.lastAt;
  return {
    min: Math.min(summary.min, value),
    max: Math.max(summary.max, value),
    last: newer ? value : summary.last,
    lastAt: newer ? at : summary.lastAt,
    count: summary.count + 1,
  };
}
