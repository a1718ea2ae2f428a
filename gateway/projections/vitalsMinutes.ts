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
  consciousness?: ConsciousnessLevel;
}

interface VitalsData {
  method: 'device' | 'manual';
  measuredAt: string;
  supplementalOxygen?: boolean;
  consciousness?: ConsciousnessLevel;
  [parameter: string]: unknown;
}

const MINUTE_MS = 60_000;

/** The minute a reading counts in: its orderingTime (device time, never later than stored). */
export function minuteOf(measuredAt: string, recordedAt: string): string {
  return new Date(Math.floor(orderingTime(measuredAt, recordedAt) / MINUTE_MS) * MINUTE_MS).toISOString();
}

export const vitalsMinuteDocId = (subjectId: string, minute: string) => `${subjectId}|${minute}`;

/** Per-minute summaries of each patient's vital signs, for the trend charts. */
export const vitalsMinutesProjection: Projection<VitalsMinuteDoc> = {
  name: 'vitalsMinutes',
  version: 1,
  docIdsOf(event) {
    if (event.eventType !== 'vital_signs_recorded') return [];
    const subject = subjectOf(event);
    const { measuredAt } = dataOf<VitalsData>(event);
    return subject ? [vitalsMinuteDocId(subject, minuteOf(measuredAt, event.recordedAt))] : [];
  },
  evolve(doc, event) {
    const data = dataOf<VitalsData>(event);
    const at = orderingTime(data.measuredAt, event.recordedAt);
    const summaries: MinuteSummaries = { ...doc?.[data.method] };
    for (const name of vitalParameters) {
      const quantity = data[name] as { value: number } | undefined;
      if (quantity) summaries[name] = withValue(summaries[name], quantity.value, at);
    }
    const latest = !doc || at >= latestAt(doc);
    return {
      subjectId: subjectOf(event)!,
      minute: minuteOf(data.measuredAt, event.recordedAt),
      ...doc,
      [data.method]: summaries,
      ...(data.supplementalOxygen !== undefined && (latest || doc?.supplementalOxygen === undefined)
        ? { supplementalOxygen: data.supplementalOxygen }
        : {}),
      ...(data.consciousness !== undefined && (latest || doc?.consciousness === undefined)
        ? { consciousness: data.consciousness }
        : {}),
    };
  },
};

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

function latestAt(doc: VitalsMinuteDoc): number {
  const times = [...Object.values(doc.device ?? {}), ...Object.values(doc.manual ?? {})].map((s) => s.lastAt);
  return times.length ? Math.max(...times) : -Infinity;
}
