import type { FastifyRequest } from 'fastify';
import { GatewayError } from '../errors.ts';

export interface Actor {
  userId: string;
  userName: string;
  userRole: string;
}

/** The actor headers and the longest value each may carry (the envelope's limits, events/envelope.ts). */
const actorHeaders = {
  userId: { name: 'x-nilecare-user-id', maxLength: 64 },
  userName: { name: 'x-nilecare-user-name', maxLength: 128 },
  userRole: { name: 'x-nilecare-user-role', maxLength: 32 },
} as const;

/**
 * The person acting, as the request names them (X-NileCare-User-Id, -Name,
 * -Role headers, percent-encoded so Arabic names pass). Sessions with login
 * and roles replace this (issue 4); every action's event carries the actor
 * either way. A header that is present but unusable is refused with a 400
 * naming it, rather than failing later as an invalid event.
 */
export function actorOf(request: FastifyRequest): Actor | undefined {
  const header = ({ name, maxLength }: { name: string; maxLength: number }) => {
    const value = request.headers[name];
    if (typeof value !== 'string' || value.trim() === '') return undefined;
    let decoded: string;
    try {
      decoded = decodeURIComponent(value.trim());
    } catch {
      throw new GatewayError('GW_ERR_REQUEST_INVALID', [
        `header ${name} is not valid percent-encoding (send it through encodeURIComponent)`,
      ]);
    }
    if (decoded.length > maxLength)
      throw new GatewayError('GW_ERR_REQUEST_INVALID', [
        `header ${name} is longer than ${maxLength} characters`,
      ]);
    return decoded;
  };
  const userId = header(actorHeaders.userId);
  const userName = header(actorHeaders.userName);
  const userRole = header(actorHeaders.userRole);
  return userId && userName && userRole ? { userId, userName, userRole } : undefined;
}

export function requireActor(request: FastifyRequest): Actor {
  const actor = actorOf(request);
  if (!actor)
    throw new GatewayError('GW_ERR_REQUEST_INVALID', [
      'this action needs X-NileCare-User-Id, X-NileCare-User-Name and X-NileCare-User-Role',
    ]);
  return actor;
}
