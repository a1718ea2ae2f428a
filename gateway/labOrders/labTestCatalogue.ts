import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSchema } from '../../kernel/events/validateEvent.ts';
import { specimenTypes } from '../../kernel/events/schemas/lab.ts';
import { GatewayError } from '../errors.ts';

export { specimenTypes };
export type SpecimenType = (typeof specimenTypes)[number];
export type LabPriority = 'routine' | 'urgent' | 'stat';

/** One test a clinician may order at this clinic (docs/lab-orders.md#the-orderable-test-catalogue). */
export interface OrderableTest {
  /** The code the analyzer or laboratory knows the test by; the event's testCode. */
  code: string;
  loinc?: string;
  name: { en: string; ar: string };
  specimenType: SpecimenType;
  /** The tube or device the specimen is taken into: tests with the same container share one specimen. */
  container: string;
  /** The analyzer (device id) or laboratory system (HL7 listener name) that performs it. */
  performer?: string;
}

export interface LabTestCatalogue {
  /** Where it was read from, for messages. */
  file: string;
  /** How long after ordering an order without final results is overdue, by priority; absent: never. */
  dueMinutes: Partial<Record<LabPriority, number>>;
  tests: OrderableTest[];
}

const code = { type: 'string', minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' };
const words = { type: 'string', minLength: 1, maxLength: 200 };
const minutes = { type: 'integer', minimum: 1, maximum: 7 * 24 * 60 };

const catalogueSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['tests'],
  properties: {
    dueMinutes: {
      type: 'object',
      additionalProperties: false,
      properties: { stat: minutes, urgent: minutes, routine: minutes },
    },
    tests: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'name', 'specimenType', 'container'],
        properties: {
          code,
          // LOINC: digits, a dash and the check digit (LOINC Users' Guide, "LOINC code").
          loinc: { type: 'string', pattern: '^[0-9]{1,7}-[0-9]$' },
          name: {
            type: 'object',
            additionalProperties: false,
            required: ['en', 'ar'],
            properties: { en: words, ar: words },
          },
          specimenType: { type: 'string', enum: specimenTypes },
          container: { type: 'string', minLength: 1, maxLength: 64 },
          performer: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
        },
      },
    },
  },
} as const;

const validateCatalogue = compileSchema<Omit<LabTestCatalogue, 'file'>>(catalogueSchema);

/** The catalogue shipped with the gateway, used when the data folder has none. */
export const defaultLabTestsFile = fileURLToPath(new URL('./defaultLabTests.json', import.meta.url));

/** Where the catalogue is: <dataDir>/lab-tests.json when present, else the shipped default. */
export function labTestsFilePath(dataDir: string): string {
  const own = join(dataDir, 'lab-tests.json');
  return existsSync(own) ? own : defaultLabTestsFile;
}

/**
 * Validates a parsed catalogue: the schema above, then codes unique and the
 * same specimen type for every test that shares a container (one tube holds
 * one kind of specimen). Every error names the file, the field and the value.
 */
export function parseLabTestCatalogue(file: string, parsed: unknown): LabTestCatalogue {
  if (!validateCatalogue(parsed)) {
    const error = validateCatalogue.errors?.[0];
    const field = error?.instancePath || '/';
    throw invalid(file, field, error?.message ?? 'is not valid', valueAt(parsed, field));
  }
  const seen = new Map<string, number>();
  const containerType = new Map<string, SpecimenType>();
  parsed.tests.forEach((test, index) => {
    const earlier = seen.get(test.code);
    if (earlier !== undefined)
      throw invalid(file, `/tests/${index}/code`, `is the code of tests[${earlier}] too`, test.code);
    seen.set(test.code, index);
    const type = containerType.get(test.container);
    if (type !== undefined && type !== test.specimenType)
      throw invalid(
        file,
        `/tests/${index}/specimenType`,
        `differs from the ${type} of other tests in container "${test.container}"`,
        test.specimenType,
      );
    containerType.set(test.container, test.specimenType);
  });
  return { file, dueMinutes: parsed.dueMinutes ?? {}, tests: parsed.tests };
}

/** Reads and validates the catalogue file; the gateway does not start with a broken one. */
export function loadLabTestCatalogue(file: string): LabTestCatalogue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw invalid(file, '(file)', `cannot be read as JSON: ${(error as Error).message}`, undefined);
  }
  return parseLabTestCatalogue(file, parsed);
}

function invalid(file: string, field: string, message: string, received: unknown): GatewayError {
  return new GatewayError('GW_ERR_LAB_TESTS_INVALID', [
    file,
    field,
    message,
    received === undefined ? 'nothing' : JSON.stringify(received),
  ]);
}

function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const part of pointer.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
