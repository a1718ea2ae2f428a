import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };

/**
 * The official FHIR R4 JSON schema (shared test data, draft-06), compiled once
 * per test file: `../shared/testdata/fhir-r4/` from the repository root (or
 * one level further up from a git worktree).
 */
const root = join(import.meta.dirname, '..', '..');
const candidates = [join(root, '..'), join(root, '..', '..')].map((base) =>
  join(base, 'shared', 'testdata', 'fhir-r4', 'fhir.schema.json'),
);
export const fhirExamplesDir = (() => {
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`the FHIR R4 schema is not at ${candidates.join(' or ')}`);
  return join(found, '..', 'examples');
})();
const schemaPath = join(fhirExamplesDir, '..', 'fhir.schema.json');
const schemaId = 'http://hl7.org/fhir/json-schema/4.0';

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function loaded(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false });
    ajv.addMetaSchema(draft06);
    ajv.addSchema(JSON.parse(readFileSync(schemaPath, 'utf8')), schemaId);
  }
  return ajv;
}

/** Errors of `resource` against the definition of its resourceType; [] when it validates. */
export function fhirSchemaErrors(resource: unknown): string[] {
  const type = (resource as { resourceType?: unknown })?.resourceType;
  if (typeof type !== 'string') return ['no resourceType'];
  let validate = validators.get(type);
  if (!validate) {
    const found = loaded().getSchema(`${schemaId}#/definitions/${type}`);
    if (!found) return [`the FHIR schema has no definition ${type}`];
    validators.set(type, found);
    validate = found;
  }
  const check: ValidateFunction = validate;
  if (check(resource)) return [];
  return (check.errors ?? []).map((error) => `${type}${error.instancePath} ${error.message}`);
}
