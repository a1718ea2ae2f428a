import type { FastifyRequest } from 'fastify';

/**
 * A URL as the request log may show it: the patient id in a path
 * (`/patients/<id>`) and a `patientId` in the query are replaced, so the
 * log links no request to a patient (docs/architecture.md#guarantee-8; no
 * PHI in logs). The route pattern still tells what was asked.
 */
export function urlForLog(url: string): string {
  const [path = '', query] = url.split('?', 2);
  const redactedPath = path.replace(/\/patients\/[^/]+/g, '/patients/:patientId');
  if (query === undefined) return redactedPath;
  const redactedQuery = query.replace(/(^|&)(patientId|patient)=[^&]*/gi, '$1$2=redacted');
  return `${redactedPath}?${redactedQuery}`;
}

/** Fastify's request serializer for pino, with the URL redacted. */
export function requestForLog(request: FastifyRequest) {
  return {
    method: request.method,
    url: urlForLog(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
