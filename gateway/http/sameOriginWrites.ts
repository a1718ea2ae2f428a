import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../errors.ts';
import { nothingToSend, stateChangingReplies } from './contract/browserRequests.ts';

/** Methods that change something: each must come from the gateway's own pages, with a JSON body. */
const stateChanging: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What the browser says of where a request comes from; `ownOrigin` is where it was sent. */
export interface RequestSource {
  method: string;
  /** The `Origin` header, when the client sent one. */
  origin: string | undefined;
  /** The `Sec-Fetch-Site` header, when the client sent one. */
  secFetchSite: string | undefined;
  /** scheme://host[:port] the request was sent to. */
  ownOrigin: string;
}

/** Longest part of a header repeated in a refusal's message. */
const MAX_ECHOED = 200;

/**
 * Why a state-changing request comes from another origin's page, or undefined
 * when it does not (or changes nothing). `SameSite=Strict` keeps the session
 * cookie from other sites, but a site is every port of the host, so the
 * browser's own statement decides (Fetch Metadata; RFC 6454 7 for Origin).
 * A client that is not a browser sends neither header and is let through.
 */
export function crossSiteReason({
  method,
  origin,
  secFetchSite,
  ownOrigin,
}: RequestSource): string | undefined {
  if (!stateChanging.has(method)) return undefined;
  if (secFetchSite !== undefined && secFetchSite !== 'same-origin' && secFetchSite !== 'none')
    return `Sec-Fetch-Site is ${secFetchSite.slice(0, MAX_ECHOED)}`;
  if (origin !== undefined && origin.toLowerCase() !== ownOrigin.toLowerCase())
    return `Origin ${origin.slice(0, MAX_ECHOED)} is not ${ownOrigin}`;
  return undefined;
}

/**
 * Why a state-changing request is not JSON, or undefined when it is (or
 * changes nothing). A form or a `text/plain` body crosses origins without the
 * browser asking first; a JSON body does not (CORS preflight), so requiring
 * one keeps other pages from acting even when they could send the cookie.
 */
export function notJsonReason(method: string, contentType: string | undefined): string | undefined {
  if (!stateChanging.has(method)) return undefined;
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/json') return undefined;
  return mediaType ? `the body is ${mediaType.slice(0, MAX_ECHOED)}` : 'the request has no body';
}

const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

/**
 * Refuses, before the session is looked at, a state-changing request a
 * browser sent from another origin's page (403 GW_ERR_CROSS_SITE_REFUSED),
 * and declares that answer and the one of `requireJsonWrites` (415) in every
 * state-changing route's contract, with `{}` as the body of those that take
 * none. Register before the routes and the session guard.
 * docs/security-access.md#requests-from-other-sites.
 */
export function refuseCrossSiteWrites(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat().map(String);
    if (!methods.some((method) => stateChanging.has(method)) || route.schema?.hide === true) return;
    route.schema = {
      ...route.schema,
      body: route.schema?.body ?? nothingToSend,
      response: { ...stateChangingReplies, ...(route.schema?.response as object | undefined) },
    };
  });
  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const reason = crossSiteReason({
      method: request.method,
      origin: header(request, 'origin'),
      secFetchSite: header(request, 'sec-fetch-site'),
      ownOrigin: `${request.protocol}://${request.headers.host ?? ''}`,
    });
    if (reason === undefined) return;
    request.log.warn(
      { route: `${request.method} ${request.routeOptions.url ?? ''}` },
      'cross-site request refused',
    );
    throw new GatewayError('GW_ERR_CROSS_SITE_REFUSED', [reason]);
  });
}

/**
 * Refuses a state-changing request whose body is not JSON (415
 * GW_ERR_JSON_BODY_REQUIRED), before the body is read. Register after the
 * session guard, so a request without a session hears 401 first.
 */
export function requireJsonWrites(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const reason = notJsonReason(request.method, header(request, 'content-type'));
    if (reason !== undefined) throw new GatewayError('GW_ERR_JSON_BODY_REQUIRED', [reason]);
  });
}
