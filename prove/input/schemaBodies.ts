import fc from 'fast-check';
import { hostileValue } from './hostileJson.ts';

/** The part of JSON Schema the API contract's request bodies use (gateway/http/contract/). */
export interface BodySchema {
  type?: string | string[];
  properties?: Record<string, BodySchema>;
  required?: string[];
  items?: BodySchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: BodySchema[];
  oneOf?: BodySchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
  pattern?: string;
}

/** Text for a string field: its format when it has one, else any text up to its length. */
function stringFor(schema: BodySchema): fc.Arbitrary<string> {
  if (schema.format === 'date-time')
    return fc.date({ noInvalidDate: true }).map((date) => date.toISOString());
  if (schema.format === 'date')
    return fc.date({ noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.pattern !== undefined)
    // A generator for every pattern is more than a campaign needs: plain ids match most of them.
    return fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,20}$/), fc.string({ maxLength: 20 }));
  return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 200) });
}

/**
 * Values that satisfy the schema as far as a generator can tell (formats,
 * enums, required fields); the mutations in `bodyFor` then break them.
 */
export function valueFor(schema: BodySchema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices && choices.length > 0) return fc.oneof(...choices.map((choice) => valueFor(choice, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const shape = Object.fromEntries(
        Object.entries(properties).map(([name, property]) => [name, valueFor(property, depth + 1)]),
      );
      return fc.record(shape, { requiredKeys: (schema.required ?? []).filter((name) => name in shape) });
    }
    case 'array':
      return fc.array(valueFor(schema.items ?? {}, depth + 1), { maxLength: 4 });
    case 'string':
      return stringFor(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return hostileValue;
  }
}

/** A body for the schema: a conforming one, or one with a field removed, replaced by a hostile value, or added. */
export function bodyFor(schema: BodySchema): fc.Arbitrary<unknown> {
  const valid = valueFor(schema);
  const mutated = fc
    .tuple(valid, fc.nat(), hostileValue, fc.constantFrom('drop', 'replace', 'add'))
    .map(([value, at, hostile, how]) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return hostile;
      const copy: Record<string, unknown> = { ...value };
      const names = Object.keys(copy);
      const name = names[at % Math.max(1, names.length)];
      if (how === 'add' || name === undefined)
        Object.defineProperty(copy, ['__proto__', 'extra', 'constructor'][at % 3]!, {
          value: hostile,
          enumerable: true,
        });
      else if (how === 'drop') delete copy[name];
      else copy[name] = hostile;
      return copy;
    });
  return fc.oneof(
    { weight: 2, arbitrary: valid },
    { weight: 3, arbitrary: mutated },
    { weight: 1, arbitrary: hostileValue },
  );
}
