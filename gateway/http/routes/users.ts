import type { FastifyInstance } from 'fastify';
import type { GatewayAuth } from '../../auth/gatewayAuth.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../auth/passwordHash.ts';
import { type Role, roles } from '../../../kernel/roles/permissions.ts';
import type { UserList, UserReply } from '../apiContract.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';
import { userListReply, userReply } from '../contract/session.ts';

/**
 * Users are configuration, kept in their own table (the event catalogue has no
 * user events): an admin creates and disables them; nobody deletes one, so
 * every userId in the log keeps a name. docs/security-access.md.
 */
export async function userRoutes(app: FastifyInstance, auth: GatewayAuth): Promise<void> {
  app.get<{ Reply: UserList }>(
    '/api/v1/users',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags: ['users'],
        summary: 'Users and their roles (admin)',
        response: { 200: userListReply, ...errorReplies(...signedIn) },
      },
    },
    async () => ({ users: auth.users.list() }),
  );

  app.post<{
    Body: { username: string; displayName: string; role: Role; password: string };
    Reply: UserReply;
  }>(
    '/api/v1/users',
    {
      config: { permission: 'users.manage', secretBody: true },
      schema: {
        tags: ['users'],
        summary: 'Create a user (admin); the password is stored as a scrypt hash',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'displayName', 'role', 'password'],
          properties: {
            username: {
              type: 'string',
              pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$',
              description: 'Stored in lower case',
            },
            displayName: { type: 'string', minLength: 1, maxLength: 128 },
            role: { type: 'string', enum: roles },
            password: {
              type: 'string',
              minLength: 1,
              maxLength: MAX_PASSWORD_LENGTH,
              description: `At least ${MIN_PASSWORD_LENGTH} characters (else GW_ERR_PASSWORD_WEAK)`,
            },
          },
        },
        response: { 201: userReply, ...errorReplies(400, ...signedIn, 409) },
      },
    },
    async (request, reply) => {
      const user = await auth.users.add({ ...request.body, createdBy: request.sessionUser!.userId });
      request.log.info(
        { userId: user.userId, role: user.role, by: request.sessionUser!.userId },
        'user created',
      );
      return reply.code(201).send({ user });
    },
  );

  app.post<{ Params: { userId: string }; Reply: UserReply }>(
    '/api/v1/users/:userId/disable',
    {
      config: { permission: 'users.manage' },
      schema: {
        tags: ['users'],
        summary: 'Disable a user (admin): their sessions end at once; the last active admin cannot be',
        params: {
          type: 'object',
          required: ['userId'],
          properties: { userId: { type: 'string', minLength: 1, maxLength: 64 } },
        },
        response: { 200: userReply, ...errorReplies(400, ...signedIn, 404, 409) },
      },
    },
    async (request) => {
      const user = auth.users.disable(request.params.userId);
      request.log.info({ userId: user.userId, by: request.sessionUser!.userId }, 'user disabled');
      return { user };
    },
  );
}
