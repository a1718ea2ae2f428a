import fc from 'fast-check';
import { roles } from '../../kernel/roles/permissions.ts';
import type { EntryCounts, EntryPoint } from './entryPoint.ts';
import { hostileValue } from './hostileJson.ts';
import { type BodySchema, bodyFor } from './schemaBodies.ts';

/** A route of the API that takes a JSON body, as its OpenAPI document (served at /docs/json) describes it. */
export interface BodyRoute {
  method: string;
  path: string;
  schema: BodySchema;
}

type OpenApi = {
  paths: Record<
    string,
    Record<string, { requestBody?: { content?: Record<string, { schema?: BodySchema }> } }>
  >;
};

/**
 * Every route with a JSON request body but the session's own (signing out
 * would end the campaign's sessions; signing in is rate-limited and tested
 * by its own tests).
 */
export function bodyRoutes(document: OpenApi): BodyRoute[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).flatMap(([method, operation]) => {
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      return schema && !path.startsWith('/api/v1/session')
        ? [{ method: method.toUpperCase(), path, schema }]
        : [];
    }),
  );
}

/** Path parameters: an id that may exist, one that does not, and hostile ones. */
const pathValue = fc.oneof(
  fc.constantFrom('p-hostile', 'hostile-monitor', '00000000-0000-7000-8000-000000000000'),
  fc.string({ minLength: 1, maxLength: 30 }),
  fc.constantFrom('..', '%00', '%2e%2e%2f', 'a'.repeat(300)),
);

const requestFor = (route: BodyRoute) =>
  fc.record({
    route: fc.constant(route),
    role: fc.constantFrom<(typeof roles)[number] | 'anonymous'>(...roles, 'anonymous'),
    params: fc.array(pathValue, { minLength: 4, maxLength: 4 }),
    body: fc.oneof(
      { weight: 9, arbitrary: bodyFor(route.schema).map((value) => JSON.stringify(value) ?? 'null') },
      {
        weight: 1,
        arbitrary: fc.oneof(
          fc.string(),
          hostileValue.map((value) => `${JSON.stringify(value)}}`),
        ),
      },
    ),
  });

type CodedReply = { code?: unknown; details?: { quarantineId?: unknown } };

/** Judges one answer: a 5xx other than a full disk is a violation, an error without a code too. */
function judge(
  counts: EntryCounts,
  index: number,
  label: string,
  status: number,
  reply: CodedReply | undefined,
) {
  if (status < 400) return;
  counts.refused += 1;
  const code = typeof reply?.code === 'string' ? reply.code : undefined;
  if (typeof reply?.details?.quarantineId === 'number') counts.mustQuarantine += 1;
  if ((status >= 500 && code !== 'GW_ERR_DISK_LOW') || !code?.startsWith('GW_ERR_'))
    counts.violations.push({
      round: index,
      guarantee: 'bad HTTP input gets a coded 4xx',
      detail: `${label} answered ${status} ${code ?? '(no code)'}`,
    });
}

/**
 * Every request body schema of the API (gateway/http/contract/, read from
 * the OpenAPI document the gateway serves): conforming bodies and mutations
 * of them, on random path parameters, signed in as each role or not at all.
 * Each answer must come in time, a refusal must carry a coded error, and a
 * refused body must be quarantined (docs/architecture.md#guarantee-7): the
 * quarantineId of each reply is counted against the quarantine's rise.
 */
export const httpEntry: EntryPoint = {
  name: 'http-bodies',
  limitMs: 10_000,
  network: true,
  async run({ gateway, count, seed, progress }, counts) {
    const document = (await (await fetch(`${gateway.baseUrl}/docs/json`)).json()) as OpenApi;
    const routes = bodyRoutes(document);
    progress(`${routes.length} routes with a JSON body`);
    const inputs = fc.sample(fc.oneof(...routes.map(requestFor)), { numRuns: count, seed });
    let next = 0;
    const worker = async () => {
      while (next < inputs.length) {
        const index = next++;
        const { route, role, params, body } = inputs[index]!;
        let slot = 0;
        const path = route.path.replace(/\{[^}]+\}/g, () =>
          encodeURIComponent(params[slot++ % params.length]!),
        );
        const label = `${route.method} ${route.path} as ${role}`;
        const started = performance.now();
        try {
          const response = await fetch(`${gateway.baseUrl}${path}`, {
            method: route.method,
            headers: {
              'content-type': 'application/json',
              ...(role === 'anonymous' ? {} : gateway.sessions[role]),
            },
            body,
            signal: AbortSignal.timeout(httpEntry.limitMs + 5000),
          });
          const text = await response.text();
          let reply: CodedReply | undefined;
          try {
            reply = JSON.parse(text) as CodedReply;
          } catch {
            reply = undefined;
          }
          judge(counts, index, label, response.status, reply);
        } catch (error) {
          counts.violations.push({
            round: index,
            guarantee: 'every HTTP request is answered',
            detail: `${label}: ${String(error)}`,
          });
        }
        counts.timed(index, performance.now() - started);
        counts.inputs += 1;
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
  },
};
