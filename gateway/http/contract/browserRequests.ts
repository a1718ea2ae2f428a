/**
 * What every request of a kind carries beyond its own route's schema
 * (docs/security-access.md#requests-from-other-sites, #sessions).
 */
import { errorReplies } from './errorReply.ts';

/**
 * The error replies every state-changing route (POST, PUT, PATCH, DELETE) may
 * give besides its own: 403 GW_ERR_CROSS_SITE_REFUSED when a browser sent it
 * from another origin's page, 415 GW_ERR_JSON_BODY_REQUIRED without a JSON body.
 */
export const stateChangingReplies = errorReplies(403, 415);

/** The body of a state-changing route that needs nothing: `{}`, still JSON (a form or text/plain is refused). */
export const nothingToSend = {
  type: 'object',
  description: 'Nothing to send: {} (a JSON body all the same)',
  additionalProperties: false,
  properties: {},
} as const;

/**
 * Sent by the screen on requests it makes by itself (polls, refreshes after a
 * live event, session checks), with the value `1`: they do not count as the
 * person's activity, so they do not keep an untouched screen's session alive.
 */
export const backgroundRequestHeader = 'x-nilecare-background';
