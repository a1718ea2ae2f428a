import type { FastifyInstance } from 'fastify';
import type { HubPool } from '../db/hubDatabase.ts';
import { HubError, isHubError } from '../errors.ts';
import { type AuditQuery, queryAudit, queryPhiAccess } from '../services/audit/auditStore.ts';
import { requireApiToken } from './apiAuth.ts';
import { bearerSecured, errorReply, jsonReply } from './hubOpenApi.ts';

export interface AuditRoutesDeps {
  pool: HubPool;
  apiToken: string | undefined;
}

const tags = ['Audit'];
const maxLimit = 1000;
const querystring = {
  type: 'object',
  additionalProperties: false,
  properties: {
    patientId: { type: 'string', minLength: 1, maxLength: 64 },
    userId: { type: 'string', minLength: 1, maxLength: 64 },
    correlationId: { type: 'string', minLength: 1, maxLength: 128 },
    eventType: { type: 'string', minLength: 1, maxLength: 64 },
    from: { type: 'string', description: 'ISO 8601, inclusive' },
    to: { type: 'string', description: 'ISO 8601, exclusive' },
    limit: { type: 'string', pattern: '^[0-9]{1,4}$', description: `1 to ${maxLimit}, default 100` },
    cursor: { type: 'string', pattern: '^[0-9]{1,19}$', description: '`next` of the previous page' },
  },
} as const;

const responses = (what: string) => ({
  200: jsonReply(`${what}, and \`next\`: the cursor of the next page or null`),
  400: errorReply('a bad parameter (HUB_ERR_AUDIT_QUERY_INVALID)'),
  401: errorReply('no valid bearer token (HUB_ERR_API_UNAUTHORISED)'),
});

type Query = Partial<Record<keyof typeof querystring.properties, string>>;

function parsed(query: Query): AuditQuery {
  const time = (name: 'from' | 'to') => {
    const text = query[name];
    if (text === undefined) return undefined;
    const at = new Date(text);
    if (Number.isNaN(at.getTime()))
      throw new HubError('HUB_ERR_AUDIT_QUERY_INVALID', [`${name} is not an ISO 8601 time`]);
    return at;
  };
  const limit = query.limit === undefined ? 100 : Number(query.limit);
  if (limit < 1 || limit > maxLimit)
    throw new HubError('HUB_ERR_AUDIT_QUERY_INVALID', [`limit must be from 1 to ${maxLimit}`]);
  const from = time('from');
  const to = time('to');
  return {
    ...(query.patientId ? { patientId: query.patientId } : {}),
    ...(query.userId ? { userId: query.userId } : {}),
    ...(query.correlationId ? { correlationId: query.correlationId } : {}),
    ...(query.eventType ? { eventType: query.eventType } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(query.cursor ? { after: Number(query.cursor) } : {}),
    limit,
  };
}

/** The audit trail and the PHI access log, read-only, behind the hub API token. */
export async function auditRoutes(app: FastifyInstance, deps: AuditRoutesDeps): Promise<void> {
  app.addHook('onRequest', requireApiToken(deps.apiToken));
  app.setErrorHandler((error, _request, reply) => {
    const coded = isHubError(error)
      ? error
      : (error as { validation?: unknown }).validation
        ? new HubError('HUB_ERR_AUDIT_QUERY_INVALID', [(error as Error).message])
        : undefined;
    if (!coded)
      return reply.code(500).send({ code: 'HUB_ERR_INTERNAL', message: 'internal error; see the hub log' });
    return reply.code(coded.statusCode).send({ code: coded.code, message: coded.message });
  });
  app.get<{ Querystring: Query }>(
    '',
    {
      schema: {
        tags,
        summary: 'The audit trail: every guarded event, by patient, user, correlationId and time, paged',
        security: bearerSecured,
        querystring,
        response: responses('`entries`: audit entries in append order'),
      },
    },
    async (request) => queryAudit(deps.pool, parsed(request.query)),
  );
  app.get<{ Querystring: Query }>(
    '/phi-access',
    {
      schema: {
        tags,
        summary:
          'The PHI access log: each reading of a national ID in clear, by patient, user and time, paged',
        security: bearerSecured,
        querystring,
        response: responses('`entries`: national-ID reads'),
      },
    },
    async (request) => queryPhiAccess(deps.pool, parsed(request.query)),
  );
}
