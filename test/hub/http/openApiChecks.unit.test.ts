import { describe, expect, it } from 'vitest';
import { openApiProblems } from '../../harness/openApiChecks.ts';

const valid = () => ({
  openapi: '3.0.3',
  info: { title: 'x', version: '1' },
  tags: [{ name: 'a' }],
  components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
  paths: {
    '/things/{id}': {
      get: {
        tags: ['a'],
        summary: 'one thing',
        security: [{ token: [] }],
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          200: { description: 'it', content: { 'application/json': { schema: { $ref: '#/tags/0' } } } },
        },
      },
    },
  },
});

describe('the OpenAPI 3.0 checks of the hub API test', () => {
  it('pass a well-formed document', () => {
    expect(openApiProblems(valid())).toEqual([]);
  });

  it('find what breaks a document', () => {
    const broken = valid() as Record<string, unknown> & ReturnType<typeof valid>;
    const op = broken.paths['/things/{id}'].get as Record<string, unknown>;
    expect(openApiProblems({ ...broken, openapi: '2.0' })).not.toEqual([]);
    expect(openApiProblems({ ...broken, info: { title: 'x' } })).not.toEqual([]);
    expect(openApiProblems({ ...broken, paths: { '/x': { get: { summary: 'no responses' } } } })).not.toEqual(
      [],
    );
    expect(openApiProblems({ ...broken, paths: { '/x': { get: { responses: { 200: {} } } } } })).not.toEqual(
      [],
    );
    expect(
      openApiProblems({ ...broken, paths: { '/things/{id}': { get: { ...op, parameters: [] } } } }),
    ).toEqual(['GET /things/{id}: path parameters  do not match the template']);
    expect(
      openApiProblems({
        ...broken,
        paths: { '/things/{id}': { get: { ...op, security: [{ other: [] }] } } },
      }),
    ).toEqual(['GET /things/{id}: security scheme other is not declared']);
    expect(
      openApiProblems({ ...broken, paths: { '/things/{id}': { get: { ...op, tags: ['b'] } } } }),
    ).toEqual(['GET /things/{id}: tag b is not declared']);
    expect(
      openApiProblems({
        ...broken,
        paths: {
          '/things/{id}': {
            get: {
              ...op,
              responses: { 200: { description: 'x', content: { 'a/b': { schema: { $ref: '#/nowhere' } } } } },
            },
          },
        },
      }),
    ).toHaveLength(1);
    expect(
      openApiProblems({
        ...broken,
        paths: { '/things/{id}': { get: { ...op, parameters: [{ name: 'id', in: 'path', schema: {} }] } } },
      }),
    ).not.toEqual([]);
  });
});
