/**
 * The one shape every error leaves the gateway in (http/errorReplies.ts):
 * `{ code, message, statusCode, details? }`, the code one of docs/errors.md.
 */
export const errorReply = {
  type: 'object',
  description: 'A coded error: docs/errors.md says what the code means and how to solve it',
  additionalProperties: false,
  required: ['code', 'message', 'statusCode'],
  properties: {
    code: { type: 'string', description: 'GW_ERR_..., docs/errors.md' },
    message: { type: 'string' },
    statusCode: { type: 'integer' },
    details: {
      type: 'object',
      additionalProperties: true,
      description: 'What the code carries: issues (field, rule, message), quarantineId, sagaId ...',
    },
  },
} as const;

/** The statuses a route may fail with that its own code decides; 5xx (internal error, log closed, disk low) may come from any route. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 502;

/** The error replies of a route: each status it names, and 5xx, all in the one error shape. */
export function errorReplies<const S extends readonly ErrorStatus[]>(
  ...statuses: S
): Record<S[number] | '5xx', typeof errorReply> {
  return Object.fromEntries([...statuses, '5xx'].map((status) => [status, errorReply])) as Record<
    S[number] | '5xx',
    typeof errorReply
  >;
}

/** What every route that needs a session may answer: no session or an expired one (401), a role without the permission (403). */
export const signedIn = [401, 403] as const;
