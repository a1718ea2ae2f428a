import type { FastifyInstance } from 'fastify';
import type { GatewayAuth } from '../../auth/gatewayAuth.ts';
import { MAX_PASSWORD_LENGTH } from '../../auth/passwordHash.ts';
import { clearSessionCookie, sessionTokenOf, setSessionCookie } from '../../auth/sessionCookie.ts';
import type { User } from '../../auth/userStore.ts';
import { GatewayError } from '../../errors.ts';
import type { SessionReply, SessionUser } from '../apiContract.ts';
import { errorReplies } from '../contract/errorReply.ts';
import { sessionReply, signedOutReply } from '../contract/session.ts';

/** What the UI learns of the signed-in user. */
export const sessionUserView = (user: User): SessionUser => ({
  userId: user.userId,
  username: user.username,
  displayName: user.displayName,
  role: user.role,
});

/** Sign in, who am I, sign out: a session in an httpOnly cookie (docs/security-access.md). */
export async function sessionRoutes(app: FastifyInstance, auth: GatewayAuth): Promise<void> {
  app.post<{ Body: { username: string; password: string }; Reply: SessionReply }>(
    '/api/v1/session',
    {
      config: { permission: 'public', secretBody: true },
      schema: {
        tags: ['session'],
        summary: 'Sign in: sets the nilecare_session cookie (httpOnly, SameSite=Strict)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'password'],
          properties: {
            username: { type: 'string', minLength: 1, maxLength: 64 },
            password: { type: 'string', minLength: 1, maxLength: MAX_PASSWORD_LENGTH },
          },
        },
        response: { 200: sessionReply, ...errorReplies(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      // Reserved before scrypt runs, so a parallel burst is counted as it arrives (loginThrottle.ts).
      const reservation = auth.throttle.reserve(username, request.ip);
      if (!reservation.allowed) {
        reply.header('retry-after', String(reservation.retryAfterSeconds));
        throw new GatewayError('GW_ERR_LOGIN_RATE_LIMITED', [reservation.retryAfterSeconds]);
      }
      const user = await auth.users.authenticate(username, password);
      if (!user) {
        request.log.warn({ address: request.ip }, 'sign-in refused');
        throw new GatewayError('GW_ERR_LOGIN_FAILED', []);
      }
      auth.throttle.succeeded(reservation.attemptId, username, request.ip);
      // A new sign-in ends the session this browser had: its old token opens nothing any more (ASVS 3.2.1).
      const previous = sessionTokenOf(request);
      if (previous) auth.sessions.end(previous);
      setSessionCookie(request, reply, auth.sessions.start(user));
      request.log.info({ userId: user.userId, role: user.role }, 'signed in');
      return { user: sessionUserView(user) };
    },
  );

  app.get<{ Reply: SessionReply }>(
    '/api/v1/session',
    {
      config: { permission: 'session' },
      schema: {
        tags: ['session'],
        summary: 'The signed-in user (401 GW_ERR_SESSION_EXPIRED or GW_ERR_AUTH_REQUIRED when none)',
        response: { 200: sessionReply, ...errorReplies(401) },
      },
    },
    async (request) => ({ user: sessionUserView(request.sessionUser!) }),
  );

  app.delete(
    '/api/v1/session',
    {
      // Public: signing out of a session that already expired still clears the cookie.
      config: { permission: 'public' },
      schema: {
        tags: ['session'],
        summary: 'Sign out: ends the session and clears the cookie',
        response: { 204: signedOutReply, ...errorReplies() },
      },
    },
    async (request, reply) => {
      const token = sessionTokenOf(request);
      if (token) auth.sessions.end(token);
      clearSessionCookie(request, reply);
      return reply.code(204).send();
    },
  );
}
