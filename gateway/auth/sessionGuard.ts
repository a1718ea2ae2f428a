import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../errors.ts';
import { backgroundRequestHeader } from '../http/contract/browserRequests.ts';
import type { GatewayAuth } from './gatewayAuth.ts';
import { isPublicUrl, type RouteAccess, roleMay } from '../../kernel/roles/permissions.ts';
import { clearSessionCookie, sessionTokenOf } from './sessionCookie.ts';
import type { User } from './userStore.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route needs (auth/permissions.ts); a route without one is refused to everyone. */
    permission?: RouteAccess;
    /** The body holds a password: a refused one is counted but never quarantined (http/errorReplies.ts). */
    secretBody?: boolean;
    /** Requests to the route are never a person's action (the live stream): they do not slide the session's idle window. */
    background?: boolean;
  }
  interface FastifyRequest {
    /** The signed-in user, set by the session guard on every non-public route. */
    sessionUser: User | null;
    /** Whether the request's session is still active now (no sliding): for streams that outlive the request. */
    sessionActive: (() => boolean) | null;
  }
}

/**
 * Every request passes here before its body is read: a public route goes
 * on; any other needs an active session whose role has the route's
 * permission. A route that declares no permission is refused even to an
 * admin (fail closed), and logged so the developer sees why.
 */
export function guardRoutesWithSessions(app: FastifyInstance, auth: GatewayAuth): void {
  app.decorateRequest('sessionUser', null);
  app.decorateRequest('sessionActive', null);

  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    if (route.config?.permission === undefined && !isPublicUrl(url))
      app.log.warn(
        { route: `${String(route.method)} ${url}` },
        'route declares no permission: refused to everyone',
      );
  });

  app.addHook('onRequest', async (request, reply) => {
    // An unknown URL: the not-found handler answers 404 whoever asks.
    if (request.is404) return;
    const access = request.routeOptions.config.permission;
    const url = request.routeOptions.url ?? '';
    if (access === 'public' || (access === undefined && isPublicUrl(url))) return;

    const token = sessionTokenOf(request);
    if (!token) throw new GatewayError('GW_ERR_AUTH_REQUIRED', ['no session cookie']);
    const session = auth.sessions.resume(token, { slide: !isBackground(request) });
    if (session.status !== 'active') {
      clearSessionCookie(request, reply);
      if (session.status === 'expired')
        throw new GatewayError('GW_ERR_SESSION_EXPIRED', [
          session.reason === 'idle' ? 'no activity for too long' : 'it reached its longest lifetime',
        ]);
      throw new GatewayError('GW_ERR_AUTH_REQUIRED', ['the session is not known (signed out or disabled)']);
    }
    request.sessionUser = session.user;
    request.sessionActive = () => auth.sessions.isActive(token);
    if (access === undefined) {
      request.log.error({ route: routeName(request) }, 'route declares no permission: refused');
      throw new GatewayError('GW_ERR_ROLE_FORBIDDEN', [
        session.user.role,
        'this route declares no permission',
      ]);
    }
    if (!roleMay(session.user.role, access))
      throw new GatewayError('GW_ERR_ROLE_FORBIDDEN', [session.user.role, `it needs ${access}`]);
  });
}

/**
 * A request the screen made by itself (a poll, the live stream), not its
 * user: it does not keep the session alive, so an untouched screen is signed
 * out after the idle time (docs/security-access.md#sessions).
 */
const isBackground = (request: FastifyRequest) =>
  request.routeOptions.config.background === true || request.headers[backgroundRequestHeader] === '1';

const routeName = (request: FastifyRequest) => `${request.method} ${request.routeOptions.url ?? ''}`;
