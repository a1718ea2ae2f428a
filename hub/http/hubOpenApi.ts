import type { SwaggerOptions } from '@fastify/swagger';

/** Name of the bearer-token security scheme of the hub's PHI APIs (hub/http/apiAuth.ts). */
export const hubApiTokenScheme = 'hubApiToken';

/** What a route behind the hub API token puts in its schema, so the OpenAPI document says so. */
export const bearerSecured = [{ [hubApiTokenScheme]: [] }];

/**
 * The head of the hub's OpenAPI document; @fastify/swagger fills `paths`
 * from each route's schema, served at /openapi.json and browsable at /docs.
 */
export const hubOpenApi: SwaggerOptions = {
  openapi: {
    info: {
      title: 'NileCare Edge hub API',
      version: '1.0.0',
      description:
        'The central hub: FHIR R4 read API, audit trail and PHI access log, analytics and Ministry of ' +
        'Health reports, health and metrics. Errors carry a HUB_ERR_* code (docs/errors.md); FHIR errors ' +
        'are OperationOutcome resources.',
    },
    tags: [
      { name: 'FHIR', description: 'FHIR R4 resources projected from guarded events (docs/fhir.md)' },
      { name: 'Audit', description: 'Audit trail and PHI access log (docs/hub.md#audit-and-compliance)' },
      { name: 'analytics', description: 'Event counts and correlations (docs/analytics.md)' },
      { name: 'reports', description: 'Ministry of Health quarterly reports (docs/analytics.md)' },
      { name: 'operations', description: 'Health, Prometheus metrics and this document' },
    ],
    components: {
      securitySchemes: {
        [hubApiTokenScheme]: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The hub API token (NILECARE_HUB_API_TOKEN) as `Authorization: Bearer <token>`; ' +
            'no token configured on the hub: every secured route answers 401 HUB_ERR_API_UNAUTHORISED.',
        },
      },
    },
  },
};

/** A coded error reply of the hub's JSON APIs, for route schemas (more fields pass through unchanged). */
export const errorReply = (description: string) =>
  ({
    description,
    type: 'object',
    additionalProperties: true,
    required: ['code', 'message'],
    properties: {
      code: { type: 'string', description: 'HUB_ERR_* (docs/errors.md)' },
      message: { type: 'string' },
      statusCode: { type: 'integer' },
    },
  }) as const;

/** A JSON reply documented by its description only: serialised as it is. */
export const jsonReply = (description: string) =>
  ({ description, type: 'object', additionalProperties: true }) as const;
