import type { ResultValue } from './resultValue.ts';

/** One analyzer unit to the unit to record (UCUM), and the factor to multiply the value by. */
export interface UnitMapping {
  unit: string;
  /** Recorded value = reported value × factor (1 when only the spelling differs). */
  factor: number;
}

/**
 * What a technician maps per analyzer in drivers.json (docs/devices.md#mapping-codes-and-units):
 * `testCodes` from the analyzer's code to LOINC or the lab's own, `units`
 * from the analyzer's unit to UCUM ("10E3/uL" → "10*3/uL", "{cells}/uL" →
 * "/uL", "mg/dl" → "mmol/L" with a factor).
 */
export interface AnalyzerMapping {
  testCodes: Readonly<Record<string, string>>;
  units: Readonly<Record<string, UnitMapping>>;
}

export const noMapping: AnalyzerMapping = { testCodes: {}, units: {} };

/** The drivers.json schema of `units`: "10E3/uL": "10*3/uL" or {"unit": "mmol/L", "factor": 0.0555}. */
export const unitsOptionSchema = {
  type: 'object',
  maxProperties: 200,
  propertyNames: { minLength: 1, maxLength: 32 },
  additionalProperties: {
    anyOf: [
      { type: 'string', minLength: 1, maxLength: 32 },
      {
        type: 'object',
        additionalProperties: false,
        required: ['unit'],
        properties: {
          unit: { type: 'string', minLength: 1, maxLength: 32 },
          factor: { type: 'number', exclusiveMinimum: 0 },
        },
      },
    ],
  },
} as const;

/** The drivers.json schema of `testCodes`: the analyzer's code (any text it sends) to a catalogue test code. */
export const testCodesOptionSchema = {
  type: 'object',
  maxProperties: 1000,
  propertyNames: { minLength: 1, maxLength: 200 },
  additionalProperties: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$' },
} as const;

/** The validated option to the mapping used per result. */
export function analyzerMappingOf(
  testCodes: Readonly<Record<string, string>> | undefined,
  units: Readonly<Record<string, string | { unit: string; factor?: number }>> | undefined,
): AnalyzerMapping {
  return {
    testCodes: testCodes ?? {},
    units: Object.fromEntries(
      Object.entries(units ?? {}).map(([from, to]) => [
        from,
        typeof to === 'string' ? { unit: to, factor: 1 } : { unit: to.unit, factor: to.factor ?? 1 },
      ]),
    ),
  };
}

/** The first of the analyzer's codes (most specific first) that the technician mapped. */
export function mappedTestCode(mapping: AnalyzerMapping, candidates: readonly string[]): string | undefined {
  for (const candidate of candidates) {
    const mapped = mapping.testCodes[candidate];
    if (mapped) return mapped;
  }
  return undefined;
}

export interface MappedQuantity {
  value: ResultValue;
  unit: string | undefined;
  /** What the analyzer sent, when the mapping changed it (kept on the event's metadata). */
  reported?: { value: number | string; unit: string };
}

/**
 * The value in the mapped unit: exact spelling first, then ignoring case.
 * Text values keep their text; only numbers are multiplied.
 */
export function mappedQuantity(
  mapping: AnalyzerMapping,
  value: ResultValue,
  unit: string | undefined,
): MappedQuantity {
  if (unit === undefined) return { value, unit };
  const to =
    mapping.units[unit] ??
    Object.entries(mapping.units).find(([from]) => from.toLowerCase() === unit.toLowerCase())?.[1];
  if (!to) return { value, unit };
  const converted =
    typeof value.value === 'number' && to.factor !== 1
      ? { ...value, value: Number((value.value * to.factor).toPrecision(12)) }
      : value;
  return { value: converted, unit: to.unit, reported: { value: value.value, unit } };
}
