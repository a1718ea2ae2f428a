import type { FastifyInstance } from 'fastify';

/**
 * HSTS max-age, in seconds: 182 days (OWASP ASVS 4.0 14.4.5). No
 * includeSubDomains: the gateway's name may sit under the clinic's domain,
 * whose other hosts are not ours to upgrade.
 */
const HSTS_MAX_AGE_SECONDS = 15_724_800;

/**
 * Headers on every answer of the gateway's HTTP API, errors included
 * (docs/security.md#owasp-asvs-40-level-2, V8 and V14): no MIME sniffing, no
 * Referer leaving with a patient's URL, HSTS over HTTPS, and nothing under
 * /api/ kept by a browser or a proxy (patient data, the national-ID reveal).
 * A route that set its own value (the UI pages' Cache-Control) keeps it.
 */
export function addSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    if (!reply.hasHeader('x-content-type-options')) reply.header('x-content-type-options', 'nosniff');
    if (!reply.hasHeader('referrer-policy')) reply.header('referrer-policy', 'no-referrer');
    if (request.protocol === 'https')
      reply.header('strict-transport-security', `max-age=${HSTS_MAX_AGE_SECONDS}`);
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
}
