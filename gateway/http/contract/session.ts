/** Sessions and users (docs/security-access.md). */
import { roles } from '../../../kernel/roles/permissions.ts';
import { dateTime } from './fields.ts';

const role = { type: 'string', enum: roles } as const;

/** What the screen learns of the signed-in user. */
export const sessionUserView = {
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'username', 'displayName', 'role'],
  properties: {
    userId: { type: 'string' },
    username: { type: 'string' },
    displayName: { type: 'string' },
    role,
  },
} as const;

export const sessionReply = {
  type: 'object',
  description: 'The signed-in user',
  additionalProperties: false,
  required: ['user'],
  properties: { user: sessionUserView },
} as const;

export const signedOutReply = { type: 'null', description: 'Signed out; the cookie is cleared' } as const;

/** A user as an admin sees one: never the password hash (auth/userStore.ts). */
export const userView = {
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'username', 'displayName', 'role', 'createdAt', 'disabledAt'],
  properties: {
    userId: { type: 'string' },
    username: { type: 'string' },
    displayName: { type: 'string' },
    role,
    createdAt: dateTime,
    disabledAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

export const userListReply = {
  type: 'object',
  description: 'Every user, disabled ones too',
  additionalProperties: false,
  required: ['users'],
  properties: { users: { type: 'array', items: userView } },
} as const;

export const userReply = {
  type: 'object',
  description: 'The user as now stored',
  additionalProperties: false,
  required: ['user'],
  properties: { user: userView },
} as const;
