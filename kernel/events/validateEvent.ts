import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { eventCatalogue, specOf } from './catalogue.ts';
import type { EventDraft } from './envelope.ts';
import { envelopeSchema } from './envelope.ts';
import type { EventTypeSpec } from './eventTypeSpec.ts';
import { unstorableTextIssues } from './storableText.ts';

/** One reason an event was refused: the field (JSON pointer), the rule broken and a sentence. */
export interface ValidationIssue {
  field: string;
  rule: string;
  message: string;
}

export type ValidationResult =
  | { ok: true; draft: EventDraft; spec: EventTypeSpec }
  | { ok: false; issues: ValidationIssue[] };

// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

function createAjv(): Ajv2020 {
  // strictRequired off: ajv cannot see `properties` from inside anyOf/if/then
  // (ajv issues #1571, #1950) and refuses valid schemas such as
  // vital_signs_recorded's `anyOf: [{ required: [...] }]`. The catalogue test
  // checks instead that every required name is a declared property.
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictRequired: false,
    allowUnionTypes: true,
  });
  addFormats(ajv);
  return ajv;
}

const ajv = createAjv();
const validateEnvelope = ajv.compile(envelopeSchema);
const dataValidators = new Map<string, ValidateFunction>(
  [...eventCatalogue.values()].map((spec) => [spec.eventType, ajv.compile(spec.dataSchema)]),
);

/** Turns ajv's errors into issues that name the field and the rule. */
export function toIssues(errors: readonly ErrorObject[] | null | undefined, prefix = ''): ValidationIssue[] {
  const issues = (errors ?? []).map((error) => {
    const missing = error.keyword === 'required' ? `/${String(error.params.missingProperty)}` : '';
    const extra =
      error.keyword === 'additionalProperties' ? `/${String(error.params.additionalProperty)}` : '';
    const field = `${prefix}${error.instancePath}${missing}${extra}` || '/';
    return { field, rule: error.keyword, message: `${field} ${error.message ?? 'is invalid'}` };
  });
  // anyOf/oneOf add a summary error after the specific ones; keep the specific ones first.
  return issues.sort((a, b) => Number(isSummary(a.rule)) - Number(isSummary(b.rule)));
}

function isSummary(rule: string): boolean {
  return rule === 'anyOf' || rule === 'oneOf' || rule === 'if';
}

/**
 * Checks an event draft: its text first (storableText.ts: no control
 * characters, no lone surrogates, in any field), then the envelope, the
 * catalogue's `data` schema of its type, and subject rules.
 */
export function validateDraft(input: unknown): ValidationResult {
  const textIssues = unstorableTextIssues(input);
  if (textIssues.length > 0) return { ok: false, issues: textIssues };
  if (!validateEnvelope(input)) return { ok: false, issues: toIssues(validateEnvelope.errors) };
  const draft = input as unknown as EventDraft;
  const spec = specOf(draft.eventType);
  if (!spec) {
    return {
      ok: false,
      issues: [
        {
          field: '/eventType',
          rule: 'catalogue',
          message: `/eventType "${draft.eventType}" is not in the event catalogue`,
        },
      ],
    };
  }
  const issues: ValidationIssue[] = [];
  const major = draft.version.split('.')[0]!;
  if (major !== spec.version.split('.')[0] && !spec.acceptsMajors?.includes(major)) {
    issues.push({
      field: '/version',
      rule: 'version',
      message: `/version ${draft.version} is not supported for ${spec.eventType} (current ${spec.version})`,
    });
  }
  if (spec.subject === 'patient' && draft.patientId === undefined) {
    issues.push({
      field: '/patientId',
      rule: 'required',
      message: `/patientId is required for ${spec.eventType}`,
    });
  }
  if (spec.subject === 'facility' && draft.patientId !== undefined) {
    issues.push({
      field: '/patientId',
      rule: 'subject',
      message: `/patientId must be absent for ${spec.eventType}: it is about the facility`,
    });
  }
  if (spec.actorRequired) {
    for (const field of ['userId', 'userName', 'userRole'] as const) {
      if (draft[field] === undefined)
        issues.push({
          field: `/${field}`,
          rule: 'required',
          message: `/${field} is required: ${spec.eventType} is an action by a person`,
        });
    }
  }
  const validateData = dataValidators.get(spec.eventType)!;
  if (!validateData(draft.data)) issues.push(...toIssues(validateData.errors, '/data'));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, draft, spec };
}

/** Compiles a schema with the same ajv settings as the catalogue (for payload and request schemas). */
export function compileSchema<T>(schema: Readonly<Record<string, unknown>>): ValidateFunction<T> {
  return ajv.compile<T>(schema);
}
