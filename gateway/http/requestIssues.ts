import type { FastifySchemaValidationError } from 'fastify';
import type { ValidationIssue } from '../../kernel/events/validateEvent.ts';

/**
 * Fastify's schema errors as issues that name the field: `body/phone`, not
 * "body must NOT have additional properties". An `anyOf` of `required`
 * alternatives (manual vitals: at least one vital sign) becomes one issue
 * listing the alternatives instead of one "is required" per alternative.
 */
export function requestIssues(
  validation: readonly FastifySchemaValidationError[],
  context: string,
): ValidationIssue[] {
  const alternatives = new Map<string, string[]>();
  for (const error of validation) {
    const anyOf = /^(.*\/anyOf)\/\d+\/required$/.exec(error.schemaPath)?.[1];
    if (anyOf)
      alternatives.set(anyOf, [...(alternatives.get(anyOf) ?? []), String(error.params.missingProperty)]);
  }
  const issues = validation.flatMap((error): ValidationIssue[] => {
    const where = `${context}${error.instancePath}`;
    if (error.keyword === 'anyOf' && alternatives.has(error.schemaPath)) {
      return [
        {
          field: where,
          rule: 'anyOf',
          message: `${where} needs at least one of ${alternatives.get(error.schemaPath)!.join(', ')}`,
        },
      ];
    }
    if (
      /\/anyOf\/\d+\/required$/.test(error.schemaPath) &&
      alternatives.has(error.schemaPath.replace(/\/\d+\/required$/, ''))
    )
      return [];
    if (error.keyword === 'required') {
      const field = `${where}/${String(error.params.missingProperty)}`;
      return [{ field, rule: 'required', message: `${field} is required` }];
    }
    if (error.keyword === 'additionalProperties') {
      const field = `${where}/${String(error.params.additionalProperty)}`;
      return [{ field, rule: 'additionalProperties', message: `${field} is not a field of this request` }];
    }
    return [{ field: where, rule: error.keyword, message: `${where} ${error.message ?? 'is invalid'}` }];
  });
  return issues;
}
