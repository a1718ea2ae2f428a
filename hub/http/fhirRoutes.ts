import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IdSource } from '../../kernel/events/ids.ts';
import type { HubPool } from '../db/hubDatabase.ts';
import { HubError } from '../errors.ts';
import { appendApiPhiAccess } from '../services/audit/apiPhiAccess.ts';
import { capabilityStatement } from '../services/fhir/capabilityStatement.ts';
import { readResource } from '../services/fhir/fhirStore.ts';
import { searchResources } from '../services/fhir/fhirSearch.ts';
import { systems } from '../services/fhir/fhirIds.ts';
import { type FhirResource, fhirResourceTypes } from '../services/fhir/fhirTypes.ts';
import type { HubPhiKeys } from '../services/fhir/hubPhiKeys.ts';
import { servedResource } from '../services/fhir/nationalIdAtRest.ts';
import { searchParameters } from '../services/fhir/searchIndex.ts';
import { requireApiToken } from './apiAuth.ts';
import { bearerSecured } from './hubOpenApi.ts';
import { operationOutcome } from './operationOutcome.ts';

export interface FhirRoutesDeps {
  pool: HubPool;
  apiToken: string | undefined;
  version: string;
  clock: () => Date;
  /** Opens the sealed national IDs of Patients served (the hub PHI key file). */
  phiKeys: HubPhiKeys;
  /** Who phi_access_log names for API reads (NILECARE_HUB_API_CLIENT; the hub has one token). */
  apiClient: string;
  newId: IdSource;
  /** The hub's public base URL (HubOptions.publicBaseUrl), known once it listens. */
  publicBaseUrl: () => string;
}

const fhirJson = 'application/fhir+json; charset=utf-8';
const known = new Set<string>(fhirResourceTypes);
const tags = ['FHIR'];
const typeParams = {
  type: 'object',
  properties: {
    type: {
      type: 'string',
      pattern: '^[A-Z][A-Za-z]{1,63}$',
      description: `a resource type: ${fhirResourceTypes.join(', ')}`,
    },
  },
  required: ['type'],
} as const;

// A search parameter may be repeated (date=ge...&date=lt...): one value or several.
const oneOrMore = (description: string) => ({
  anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
  description,
});
const typesWith = (name: string) =>
  Object.entries(searchParameters)
    .filter(([, params]) => name in params)
    .map(([type]) => type)
    .join(', ');
/** The search parameters, for the API reference; which apply to which type is checked by fhirSearch.ts. */
const searchQuery = {
  type: 'object',
  additionalProperties: true,
  properties: {
    _id: oneOrMore('resource id (every type)'),
    // Checked by fhirSearch.ts, whose refusals say more than a schema's ("given more than once" ...).
    _count: oneOrMore('page size, 0 to 100, default 20; once'),
    _offset: oneOrMore('first match of the page (as in the Bundle links); once'),
    _format: oneOrMore('accepted and ignored: the answer is always application/fhir+json'),
    ...Object.fromEntries(
      [...new Set(Object.values(searchParameters).flatMap((params) => Object.keys(params)))].map((name) => [
        name,
        oneOrMore(`${typesWith(name)}`),
      ]),
    ),
  },
} as const;
const fhirReply = (description: string) => ({
  description,
  content: { 'application/fhir+json': { schema: { type: 'object', additionalProperties: true } } },
});
const unauthorised = fhirReply('OperationOutcome: no valid bearer token (HUB_ERR_API_UNAUTHORISED)');

type PatientRef = {
  identifier?: { system?: string; value?: string }[];
  managingOrganization?: { display?: string };
};

/**
 * The resources as served: Patients' national IDs opened into clear, and one
 * phi_access_log row written per Patient revealed, before the answer leaves.
 */
async function served(
  deps: FhirRoutesDeps,
  request: FastifyRequest,
  reason: string,
  resources: readonly FhirResource[],
): Promise<FhirResource[]> {
  const opened = resources.map((resource) => servedResource(resource, deps.phiKeys));
  const accesses = opened
    .filter((entry) => entry.nationalIdInClear)
    .map(({ resource }) => {
      const patient = resource as PatientRef;
      return {
        eventId: deps.newId(),
        patientId: patient.identifier?.find((id) => id.system === systems.patientId)?.value ?? resource.id,
        facilityId: patient.managingOrganization?.display ?? '',
      };
    });
  await appendApiPhiAccess(deps.pool, accesses, {
    client: deps.apiClient,
    reason,
    ipAddress: request.ip,
    at: deps.clock(),
  });
  return opened.map((entry) => entry.resource);
}

/**
 * The FHIR R4 REST API under /fhir (docs/fhir.md): read, vread, search with
 * `_count` paging and Bundle links, the CapabilityStatement at /fhir/metadata,
 * OperationOutcome for every error, `application/fhir+json` throughout.
 */
export async function fhirRoutes(app: FastifyInstance, deps: FhirRoutesDeps): Promise<void> {
  const send = (reply: FastifyReply, status: number, body: unknown) =>
    reply.code(status).type(fhirJson).send(body);
  app.setErrorHandler((error, _request, reply) => {
    const outcome = operationOutcome(
      (error as { validation?: unknown }).validation
        ? new HubError('HUB_ERR_FHIR_SEARCH_INVALID', ['request', (error as Error).message])
        : error,
    );
    return send(reply, outcome.status, outcome.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const outcome = operationOutcome(
      new HubError('HUB_ERR_FHIR_NOT_FOUND', [request.url.split('?')[0] ?? '', '']),
    );
    return send(reply, outcome.status, outcome.body);
  });

  app.get(
    '/metadata',
    {
      schema: {
        tags,
        summary: 'CapabilityStatement: the types, interactions and search parameters served',
        response: { 200: fhirReply('CapabilityStatement (no token needed)') },
      },
    },
    async (_request, reply) => send(reply, 200, capabilityStatement(deps.version, deps.clock())),
  );

  app.register(async (secured) => {
    secured.addHook('onRequest', requireApiToken(deps.apiToken));
    secured.get<{ Params: { type: string; id: string } }>(
      '/:type/:id',
      {
        schema: {
          tags,
          summary: 'Read the current version of a resource',
          security: bearerSecured,
          response: { 200: fhirReply('the resource'), 401: unauthorised, 404: fhirReply('OperationOutcome') },
          params: { ...typeParams, properties: { ...typeParams.properties, id: { type: 'string' } } },
        },
      },
      async (request, reply) => {
        const { type, id } = request.params;
        const resource = known.has(type) ? await readResource(deps.pool, type, id) : undefined;
        if (!resource) throw new HubError('HUB_ERR_FHIR_NOT_FOUND', [type, id]);
        const [answer] = await served(deps, request, 'fhir_read', [resource]);
        return send(reply.header('ETag', `W/"${resource.meta?.versionId}"`), 200, answer);
      },
    );
    secured.get<{ Params: { type: string; id: string; vid: string } }>(
      '/:type/:id/_history/:vid',
      {
        schema: {
          tags,
          summary: 'Read one version of a resource (vread)',
          security: bearerSecured,
          response: { 200: fhirReply('that version'), 401: unauthorised, 404: fhirReply('OperationOutcome') },
          params: {
            ...typeParams,
            properties: { ...typeParams.properties, id: { type: 'string' }, vid: { type: 'string' } },
          },
        },
      },
      async (request, reply) => {
        const { type, id, vid } = request.params;
        const version = Number(vid);
        const resource =
          known.has(type) && Number.isSafeInteger(version)
            ? await readResource(deps.pool, type, id, version)
            : undefined;
        if (!resource) throw new HubError('HUB_ERR_FHIR_NOT_FOUND', [type, `${id}/_history/${vid}`]);
        const [answer] = await served(deps, request, 'fhir_vread', [resource]);
        return send(reply, 200, answer);
      },
    );
    secured.get<{ Params: { type: string }; Querystring: Record<string, string | string[]> }>(
      '/:type',
      {
        schema: {
          tags,
          summary: 'Search a resource type; results are a searchset Bundle paged by _count',
          security: bearerSecured,
          response: {
            200: fhirReply('searchset Bundle'),
            400: fhirReply('OperationOutcome'),
            401: unauthorised,
            404: fhirReply('OperationOutcome: not a resource type served'),
          },
          params: typeParams,
          querystring: searchQuery,
        },
      },
      async (request, reply) => {
        const { type } = request.params;
        if (!known.has(type)) throw new HubError('HUB_ERR_FHIR_NOT_FOUND', [type, '(search)']);
        const result = await searchResources(deps.pool, { resourceType: type, params: request.query });
        const resources = await served(deps, request, 'fhir_search', result.resources);
        // The configured base, never the request's Host header: a client must not choose the links others follow.
        const base = `${deps.publicBaseUrl()}/fhir`;
        const link = (offset: number) => {
          const query = new URLSearchParams([
            ...result.applied,
            ['_count', String(result.count)],
            ['_offset', String(offset)],
          ]);
          return `${base}/${type}?${query.toString()}`;
        };
        const links = [{ relation: 'self', url: link(result.offset) }];
        if (result.offset > 0) {
          links.push({ relation: 'first', url: link(0) });
          links.push({ relation: 'previous', url: link(Math.max(0, result.offset - result.count)) });
        }
        if (result.count > 0 && result.offset + result.count < result.total)
          links.push({ relation: 'next', url: link(result.offset + result.count) });
        return send(reply, 200, {
          resourceType: 'Bundle',
          type: 'searchset',
          timestamp: deps.clock().toISOString(),
          total: result.total,
          link: links,
          // FHIR JSON has no empty arrays: a page with no match has no `entry`.
          entry:
            resources.length === 0
              ? undefined
              : resources.map((resource) => ({
                  fullUrl: `${base}/${resource.resourceType}/${resource.id}`,
                  resource,
                  search: { mode: 'match' },
                })),
        });
      },
    );
  });
}
