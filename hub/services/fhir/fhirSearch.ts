import type { HubPool } from '../../db/hubDatabase.ts';
import { HubError } from '../../errors.ts';
import type { FhirResource } from './fhirTypes.ts';
import { identifierToken, searchParameters } from './searchIndex.ts';

export const defaultCount = 20;
export const maxCount = 100;

export interface SearchRequest {
  resourceType: string;
  /** Query parameters as received (a repeated parameter is an array). */
  params: Record<string, string | string[] | undefined>;
}

export interface SearchResult {
  total: number;
  count: number;
  offset: number;
  resources: FhirResource[];
  /** The search parameters applied (for Bundle links), without _count/_offset. */
  applied: [string, string][];
}

interface Condition {
  sql: string;
  values: unknown[];
}

const datePattern =
  /^(eq|ne|gt|lt|ge|le)?([0-9]{4}(-[0-9]{2}(-[0-9]{2}(T[0-9:.]+(Z|[+-][0-9]{2}:[0-9]{2}))?)?)?)$/;

/** [from, to) covered by a FHIR date of any precision (2024, 2024-10, 2024-10-08, an instant). */
export function dateRange(text: string): [Date, Date] {
  if (text.length === 4)
    return [new Date(`${text}-01-01T00:00:00Z`), new Date(`${Number(text) + 1}-01-01T00:00:00Z`)];
  if (text.length === 7) {
    const from = new Date(`${text}-01T00:00:00Z`);
    return [from, new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1))];
  }
  if (text.length === 10) {
    const from = new Date(`${text}T00:00:00Z`);
    return [from, new Date(from.getTime() + 86_400_000)];
  }
  const instant = new Date(text);
  return [instant, new Date(instant.getTime() + 1)];
}

const refuse = (resourceType: string, why: string) =>
  new HubError('HUB_ERR_FHIR_SEARCH_INVALID', [resourceType, why]);

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** The SQL condition of one search parameter occurrence (comma = any of). */
function condition(resourceType: string, name: string, type: string, raw: string, index: number): Condition {
  const values = raw.split(',').filter((value) => value.length > 0);
  if (values.length === 0) throw refuse(resourceType, `parameter ${name} has no value`);
  const placeholder = `$${index}`;
  const exists = (test: string) =>
    `EXISTS (SELECT 1 FROM fhir_search_index s WHERE s.resource_type = r.resource_type AND s.id = r.id AND s.name = '${name}' AND (${test}))`;
  switch (type) {
    case 'token':
      return {
        sql: exists(`s.value = ANY(${placeholder}::text[])`),
        values: [name === 'identifier' ? values.map(identifierToken) : values],
      };
    case 'reference':
      return {
        sql: exists(`s.value = ANY(${placeholder}::text[])`),
        values: [values.map((value) => value.replace(/^Patient\//, ''))],
      };
    case 'string':
      return {
        sql: exists(`s.value LIKE ANY(${placeholder}::text[])`),
        values: [values.map((value) => `${escapeLike(value.toLowerCase())}%`)],
      };
    case 'date': {
      if (values.length !== 1)
        throw refuse(resourceType, `date takes one value per parameter (repeat it for a range)`);
      const match = datePattern.exec(values[0]!);
      if (!match) throw refuse(resourceType, `date ${values[0]} is not a FHIR date with an optional prefix`);
      const prefix = match[1] ?? 'eq';
      const [from, to] = dateRange(match[2]!);
      if (Number.isNaN(from.getTime())) throw refuse(resourceType, `date ${values[0]} is not a date`);
      const tests: Record<string, [string, Date[]]> = {
        eq: [`s.date_value >= ${placeholder} AND s.date_value < $${index + 1}`, [from, to]],
        ne: [`s.date_value < ${placeholder} OR s.date_value >= $${index + 1}`, [from, to]],
        ge: [`s.date_value >= ${placeholder}`, [from]],
        gt: [`s.date_value >= ${placeholder}`, [to]],
        le: [`s.date_value < ${placeholder}`, [to]],
        lt: [`s.date_value < ${placeholder}`, [from]],
      };
      const [test, dates] = tests[prefix]!;
      return { sql: exists(test), values: dates };
    }
    default:
      throw refuse(resourceType, `parameter ${name} has an unknown type`);
  }
}

function integer(resourceType: string, name: string, raw: string | undefined, fallback: number, max: number) {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0 || value > max)
    throw refuse(resourceType, `${name} must be a whole number from 0 to ${max}`);
  return value;
}

/** Runs a search: every parameter must be one the type supports; `_count` pages, `_offset` moves. */
export async function searchResources(pool: HubPool, request: SearchRequest): Promise<SearchResult> {
  const { resourceType } = request;
  const supported = searchParameters[resourceType];
  if (!supported) throw new HubError('HUB_ERR_FHIR_NOT_FOUND', [resourceType, '(search)']);
  const conditions: Condition[] = [];
  const applied: [string, string][] = [];
  let count = defaultCount;
  let offset = 0;
  let next = 2; // $1 is the resource type
  for (const [key, raw] of Object.entries(request.params)) {
    if (raw === undefined) continue;
    const occurrences = Array.isArray(raw) ? raw : [raw];
    if (key === '_count' || key === '_offset') {
      if (occurrences.length !== 1) throw refuse(resourceType, `${key} is given more than once`);
      if (key === '_count') count = integer(resourceType, key, occurrences[0], defaultCount, maxCount);
      else offset = integer(resourceType, key, occurrences[0], 0, 1_000_000);
      continue;
    }
    if (key === '_format') continue;
    if (key === '_id') {
      for (const value of occurrences) {
        conditions.push({ sql: `r.id = ANY($${next}::text[])`, values: [value.split(',')] });
        applied.push([key, value]);
        next += 1;
      }
      continue;
    }
    const type = supported[key];
    if (!type)
      throw refuse(
        resourceType,
        `parameter ${key} is not supported (supported: ${['_id', '_count', ...Object.keys(supported)].join(', ')})`,
      );
    for (const value of occurrences) {
      const built = condition(resourceType, key, type, value, next);
      conditions.push(built);
      applied.push([key, value]);
      next += built.values.length;
    }
  }
  const where = ['r.resource_type = $1', ...conditions.map((entry) => `(${entry.sql})`)].join(' AND ');
  const values = [resourceType, ...conditions.flatMap((entry) => entry.values)];
  const total = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM fhir_resources r WHERE ${where}`,
    values,
  );
  const page =
    count === 0
      ? { rows: [] }
      : await pool.query<{ resource: FhirResource }>(
          `SELECT r.resource FROM fhir_resources r WHERE ${where} ORDER BY r.last_updated DESC, r.id
           LIMIT $${next} OFFSET $${next + 1}`,
          [...values, count, offset],
        );
  return {
    total: total.rows[0]?.n ?? 0,
    count,
    offset,
    resources: page.rows.map((row) => row.resource),
    applied,
  };
}
