import { Ajv } from 'ajv';

/**
 * The structure the OpenAPI 3.0 specification requires of a document
 * (https://spec.openapis.org/oas/v3.0.3): the objects and required fields a
 * reader relies on. Written from the specification's text; schemas inside
 * are left to JSON Schema. Cross-references are checked by `openApiProblems`.
 */
const mediaTypes = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: { schema: { type: 'object' } },
  },
};
const parameter = {
  type: 'object',
  required: ['name', 'in'],
  properties: {
    name: { type: 'string', minLength: 1 },
    in: { enum: ['query', 'header', 'path', 'cookie'] },
    required: { type: 'boolean' },
    description: { type: 'string' },
    schema: { type: 'object' },
    content: mediaTypes,
  },
  allOf: [
    { oneOf: [{ required: ['schema'] }, { required: ['content'] }] },
    // A path parameter must say required: true.
    {
      anyOf: [
        { properties: { in: { not: { const: 'path' } } } },
        { required: ['required'], properties: { required: { const: true } } },
      ],
    },
  ],
};
const operation = {
  type: 'object',
  required: ['responses'],
  properties: {
    tags: { type: 'array', items: { type: 'string' } },
    summary: { type: 'string' },
    description: { type: 'string' },
    operationId: { type: 'string' },
    parameters: { type: 'array', items: parameter },
    requestBody: {
      type: 'object',
      required: ['content'],
      properties: { content: mediaTypes, required: { type: 'boolean' } },
    },
    responses: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^([1-5](?:[0-9]{2}|XX)|default)$' },
      additionalProperties: {
        type: 'object',
        required: ['description'],
        properties: { description: { type: 'string' }, content: mediaTypes },
      },
    },
    security: { type: 'array', items: { type: 'object', additionalProperties: { type: 'array' } } },
  },
};
const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const openApi30 = {
  type: 'object',
  required: ['openapi', 'info', 'paths'],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.0\\.[0-9]+$' },
    info: {
      type: 'object',
      required: ['title', 'version'],
      properties: { title: { type: 'string' }, version: { type: 'string' }, description: { type: 'string' } },
    },
    tags: {
      type: 'array',
      items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    },
    paths: {
      type: 'object',
      propertyNames: { pattern: '^/' },
      additionalProperties: {
        type: 'object',
        propertyNames: { enum: [...methods, 'summary', 'description', 'parameters', 'servers', '$ref'] },
        properties: Object.fromEntries(methods.map((method) => [method, operation])),
      },
    },
    components: {
      type: 'object',
      properties: {
        schemas: { type: 'object' },
        securitySchemes: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            required: ['type'],
            properties: { type: { enum: ['apiKey', 'http', 'oauth2', 'openIdConnect'] } },
            anyOf: [{ properties: { type: { not: { const: 'http' } } } }, { required: ['scheme'] }],
          },
        },
      },
    },
  },
};

const validate = new Ajv({ allErrors: true, strict: false }).compile(openApi30);

type Operation = {
  tags?: string[];
  summary?: string;
  parameters?: { name: string; in: string }[];
  security?: Record<string, unknown>[];
};
export type OpenApiDocument = {
  openapi: string;
  tags?: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, unknown> };
};

/** The operations of a document as [path, method, operation]. */
export function operationsOf(document: OpenApiDocument): [string, string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => (methods as readonly string[]).includes(method))
      .map(([method, op]) => [path, method, op] as [string, string, Operation]),
  );
}

/** Every way `document` breaks OpenAPI 3.0 (structure, path parameters, $refs, security, tags); [] if none. */
export function openApiProblems(document: unknown): string[] {
  if (!validate(document))
    return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`);
  const doc = document as OpenApiDocument;
  const problems: string[] = [];
  const schemes = new Set(Object.keys(doc.components?.securitySchemes ?? {}));
  const tags = new Set((doc.tags ?? []).map((tag) => tag.name));
  for (const [path, method, op] of operationsOf(doc)) {
    const where = `${method.toUpperCase()} ${path}`;
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!).sort();
    const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
    if (JSON.stringify([...declared].sort()) !== JSON.stringify(templated))
      problems.push(`${where}: path parameters ${declared.join(',')} do not match the template`);
    const keys = (op.parameters ?? []).map((p) => `${p.in}:${p.name}`);
    if (new Set(keys).size !== keys.length) problems.push(`${where}: a parameter is declared twice`);
    for (const requirement of op.security ?? [])
      for (const name of Object.keys(requirement))
        if (!schemes.has(name)) problems.push(`${where}: security scheme ${name} is not declared`);
    for (const tag of op.tags ?? [])
      if (!tags.has(tag)) problems.push(`${where}: tag ${tag} is not declared`);
  }
  const resolve = (ref: string) =>
    ref.startsWith('#/')
      ? ref
          .slice(2)
          .split('/')
          .reduce<unknown>(
            (node, key) =>
              (node as Record<string, unknown> | undefined)?.[
                key.replaceAll('~1', '/').replaceAll('~0', '~')
              ],
            doc,
          )
      : undefined;
  const walk = (node: unknown, at: string) => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && resolve(value) === undefined)
        problems.push(`${at}: $ref ${value} does not resolve`);
      walk(value, `${at}/${key}`);
    }
  };
  walk(doc, '');
  return problems;
}
