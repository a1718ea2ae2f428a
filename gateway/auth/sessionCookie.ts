import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'nilecare_session';

/**
 * httpOnly: no script reads it; SameSite=Strict: no other site's page sends
 * it (the API's CSRF defence); Secure when the request came over HTTPS, so
 * it still works on a plain-HTTP clinic LAN. No Max-Age: the server decides
 * when a session ends (sessionStore.ts), and the cookie goes with the browser.
 */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: request.protocol === 'https',
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: request.protocol === 'https',
  });
}

export function sessionTokenOf(request: FastifyRequest): string | undefined {
  const token = request.cookies?.[SESSION_COOKIE];
  // 32 random bytes in base64url are 43 characters; anything else cannot be one of ours.
  return typeof token === 'string' && /^[A-Za-z0-9_-]{43}$/.test(token) ? token : undefined;
}
