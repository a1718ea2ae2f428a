import type { SqliteDatabase } from '../eventStore/openDatabase.ts';
import { vitalsMinuteDocId, vitalsSummaryProjections } from '../projections/vitalsMinutes.ts';

/** One parameter's readings of one method within one bucket. */
export interface BucketRow {
  bucket: number;
  method: 'device' | 'manual';
  parameter: string;
  min: number;
  max: number;
  last: number;
  count: number;
}

/** The latest air-or-oxygen and consciousness entries of a bucket (null when none was entered in it). */
export interface ObservationRow {
  bucket: number;
  supplementalOxygen: number | null;
  consciousness: string | null;
}

/** Length of a minute's ISO start ("2026-12-07T13:16:00.000Z"): what precedes the value in the "latest" trick. */
const MINUTE_LENGTH = 24;

// The patient's minutes (or quarter hours) are one range of the primary key (projection, doc_id). A bucket's last value is the
// one of its latest minute: MAX over "<minute ISO><value>" text, the minute cut off again with substr.
const bucketOf = `CAST(round((julianday(json_extract(d.doc, '$.minute')) - julianday(@from)) * 86400) AS INTEGER) / CAST(@bucketSeconds AS INTEGER)`;
const minuteRange = `d.projection = @projection AND d.doc_id >= @lo AND d.doc_id < @hi`;
const latestOf = (path: string) =>
  `substr(MAX(json_extract(d.doc, '$.minute') || ${path}), ${MINUTE_LENGTH + 1})`;

export const trendSql = {
  buckets: `
    SELECT ${bucketOf} AS bucket, m.key AS method, p.key AS parameter,
      MIN(json_extract(p.value, '$.min')) AS min,
      MAX(json_extract(p.value, '$.max')) AS max,
      CAST(${latestOf("json_extract(p.value, '$.last')")} AS REAL) AS last,
      SUM(json_extract(p.value, '$.count')) AS count
    FROM projection_docs d, json_each(d.doc) m, json_each(m.value) p
    WHERE ${minuteRange} AND m.key IN ('device', 'manual')
    GROUP BY bucket, method, parameter
    ORDER BY bucket, method, parameter`,
  observations: `
    SELECT ${bucketOf} AS bucket,
      CAST(${latestOf("json_extract(d.doc, '$.supplementalOxygen')")} AS INTEGER) AS supplementalOxygen,
      ${latestOf("json_extract(d.doc, '$.consciousness')")} AS consciousness
    FROM projection_docs d
    WHERE ${minuteRange}
      AND (json_extract(d.doc, '$.supplementalOxygen') IS NOT NULL OR json_extract(d.doc, '$.consciousness') IS NOT NULL)
    GROUP BY bucket
    ORDER BY bucket`,
} as const;

/** The coarsest trend read model whose bucket divides `bucketSeconds`: fewer documents to read, same answer. */
export function summaryProjectionFor(bucketSeconds: number): string {
  const fitting = vitalsSummaryProjections.filter((summary) => bucketSeconds % summary.seconds === 0);
  return (fitting.at(-1) ?? vitalsSummaryProjections[0]).name;
}

/**
 * Downsampling in SQL over the per-minute (or per-quarter-hour) read model:
 * min, max, last and count of each parameter per bucket, device and
 * hand-entered apart. A bucket without a reading has no row (a gap stays a
 * gap). `projection` forces one read model (tests compare the two).
 */
export function createTrendQuery(db: SqliteDatabase, options: { projection?: string } = {}) {
  const buckets = db.prepare<[Record<string, string | number>], BucketRow>(trendSql.buckets);
  const observations = db.prepare<[Record<string, string | number>], ObservationRow>(trendSql.observations);
  return (subjectId: string, from: Date, to: Date, bucketSeconds: number) => {
    const params = {
      projection: options.projection ?? summaryProjectionFor(bucketSeconds),
      from: from.toISOString(),
      bucketSeconds,
      lo: vitalsMinuteDocId(subjectId, from.toISOString()),
      hi: vitalsMinuteDocId(subjectId, to.toISOString()),
    };
    return { buckets: buckets.all(params), observations: observations.all(params) };
  };
}

export type TrendQuery = ReturnType<typeof createTrendQuery>;
