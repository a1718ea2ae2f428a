import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Bodies that were sent as JSON but did not parse, kept for the error handler to quarantine. */
export type UnparsedBodies = WeakMap<FastifyRequest, string>;

/**
 * Fastify's own JSON parser (prototype-poisoning checks included), wrapped so
 * that a body which fails to parse is not lost: docs/architecture.md#guarantee-7 has
 * malformed input quarantined, and Fastify alone drops the bytes.
 */
export function keepUnparsedJsonBodies(app: FastifyInstance): UnparsedBodies {
  const unparsed: UnparsedBodies = new WeakMap();
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parseJson(request, body as string, (error, value) => {
      if (error) unparsed.set(request, body as string);
      done(error, value);
    });
  });
  return unparsed;
}
