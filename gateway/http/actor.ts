import type { FastifyRequest } from 'fastify';
import { GatewayError } from '../errors.ts';

export interface Actor {
  userId: string;
  userName: string;
  userRole: string;
}

/**
 * The person acting: the signed-in user of the request's session (set by
 * auth/sessionGuard.ts), as every action's event names them (the envelope's
 * `userId`, `userName` = display name, `userRole`; docs/security-access.md). Request headers never
 * name the actor: the X-NileCare-User-* headers of old are ignored.
 */
export function actorOf(request: FastifyRequest): Actor | undefined {
  const user = request.sessionUser;
  return user ? { userId: user.userId, userName: user.displayName, userRole: user.role } : undefined;
}

/** The actor of a route that needs one; every non-public route has a session, so this fails only on a public route. */
export function requireActor(request: FastifyRequest): Actor {
  const actor = actorOf(request);
  if (!actor) throw new GatewayError('GW_ERR_AUTH_REQUIRED', ['this action needs a signed-in user']);
  return actor;
}
