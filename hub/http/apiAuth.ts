import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HubError } from '../errors.ts';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * The hub's FHIR and audit APIs serve PHI: a request must carry the hub API
 * token (`Authorization: Bearer <token>`). No token configured: closed.
 */
export function requireApiToken(token: string | undefined) {
  const expected = token ? digest(token) : undefined;
  return async (request: FastifyRequest) => {
    if (!expected) throw new HubError('HUB_ERR_API_UNAUTHORISED', ['no API token is configured on this hub']);
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]!), expected))
      throw new HubError('HUB_ERR_API_UNAUTHORISED', ['a valid bearer token is required']);
  };
}
