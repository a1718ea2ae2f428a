import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestHub, startTestHub } from '../../harness/hubUnderTest.ts';
import { type OpenApiDocument, openApiProblems, operationsOf } from '../../harness/openApiChecks.ts';

const token = 'openapi-test-token-0123456789';

/** Every route of a Fastify instance as "METHOD /path/{param}", from its route tree (printRoutes). */
function registeredRoutes(tree: string): string[] {
  const segments: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?) \(([^)]*)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    segments.length = depth;
    segments.push(match[2]!);
    const path = segments.join('').replaceAll(/:([A-Za-z0-9_]+)/g, '{$1}');
    for (const method of match[3]!.split(', ')) if (method !== '-') routes.push(`${method} ${path}`);
  }
  return routes.sort();
}

describe('the hub API reference', () => {
  let t: TestHub;
  let base: string;
  beforeAll(async () => {
    t = await startTestHub({ apiToken: token });
    base = `http://127.0.0.1:${t.hub.httpPort}`;
  }, 120_000);
  afterAll(async () => t?.close());

  it('is an OpenAPI 3 document at /openapi.json listing every route the hub serves, with tags and summary', async () => {
    const response = await fetch(`${base}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as OpenApiDocument;
    expect(openApiProblems(document)).toEqual([]);

    const documented = operationsOf(document).map(([path, method]) => `${method.toUpperCase()} ${path}`);
    const served = registeredRoutes(t.hub.http.printRoutes({ commonPrefix: false })).filter(
      // HEAD is Fastify's automatic twin of each GET; /docs is the Swagger UI's own files.
      (route) => !route.startsWith('HEAD ') && !/^GET \/docs(\/|$)/.test(route),
    );
    expect(served).toEqual(
      expect.arrayContaining([
        'GET /health',
        'GET /metrics',
        'GET /openapi.json',
        'GET /fhir/metadata',
        'GET /fhir/{type}',
        'GET /fhir/{type}/{id}',
        'GET /fhir/{type}/{id}/_history/{vid}',
        'GET /api/v1/audit',
        'GET /api/v1/audit/phi-access',
        'GET /api/v1/analytics/event-counts',
        'GET /api/v1/analytics/correlations/{correlationId}',
        'GET /api/v1/reports/moh',
        'POST /api/v1/reports/moh/quarterly',
        'GET /api/v1/reports/moh/{reportId}.{format}',
      ]),
    );
    expect(documented.sort()).toEqual(served);
    for (const [path, method, op] of operationsOf(document)) {
      expect(op.tags?.length, `${method} ${path} tags`).toBeGreaterThan(0);
      expect(op.summary, `${method} ${path} summary`).toMatch(/\w/);
    }
    const docsJson = await fetch(`${base}/docs/json`);
    expect(await docsJson.json()).toEqual(document);
  });

  it('declares the bearer token on exactly the routes that refuse a request without it', async () => {
    const document = (await (await fetch(`${base}/openapi.json`)).json()) as OpenApiDocument;
    expect(document.components?.securitySchemes).toEqual({
      hubApiToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
    const secured: string[] = [];
    const refused: string[] = [];
    for (const [path, method, op] of operationsOf(document)) {
      const route = `${method.toUpperCase()} ${path}`;
      if (op.security?.some((requirement) => 'hubApiToken' in requirement)) secured.push(route);
      const url = path.replaceAll(/\{[^}]+\}/g, (name) => (name === '{type}' ? 'Patient' : 'x'));
      const response = await fetch(`${base}${url}`, { method: method.toUpperCase() });
      if (response.status === 401) refused.push(route);
    }
    expect(secured.sort()).toEqual(refused.sort());
    expect(secured).toEqual(
      expect.arrayContaining(['GET /fhir/{type}/{id}', 'GET /api/v1/audit/phi-access']),
    );
  });

  it('is browsable at /docs with Swagger UI, every asset from the hub', async () => {
    const response = await fetch(`${base}/docs/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain('swagger-ui');
    // Served by the hub itself: a hub on a closed network has no CDN.
    expect(page).not.toMatch(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}\//i);
    const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThan(2);
    for (const asset of assets) {
      const url = new URL(asset, `${base}/docs/`);
      expect(url.pathname, asset).toMatch(/^\/docs\//);
      expect((await fetch(url)).status, asset).toBe(200);
    }
  });
});
