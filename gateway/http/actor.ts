import type { FastifyRequest } from 'fastify';
import { GatewayError } from '../errors.ts';

export interface Actor {
  userId: string;
  userName: string;
  userRole: string;
}

/**
 * The person acting, as the request names them (X-NileCare-User-Id, -Name,
 * -Role headers). Sessions with login and roles replace this (issue 4);
 * every action's event carries the actor either way.
 */
export function actorOf(request: FastifyRequest): Actor | undefined {
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' && value.trim() !== '' ? decodeURIComponent(value.trim()) : undefined;
  };
  const userId = header('x-nilecare-user-id');
  const userName = header('x-nilecare-user-name');
  const userRole = header('x-nilecare-user-role');
  return userId && userName && userRole ? { userId, userName, userRole } : undefined;
}

export function requireActor(request: FastifyRequest): Actor {
  const actor = actorOf(request);
  if (!actor) throw new GatewayError('GW_ERR_REQUEST_INVALID', ['this action needs X-NileCare-User-Id, X-NileCare-User-Name and X-NileCare-User-Role']);
  return actor;
}
