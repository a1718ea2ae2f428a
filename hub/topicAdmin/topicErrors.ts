import { type CodedError, defineErrors } from '../../kernel/errors/defineErrors.ts';

/**
 * Coded errors of `nilecare hub topics` (HUB_ERR_TOPICS_..., HUB_ERR_BROKERS_...).
 * A small catalogue of its own beside the hub's (hub/errors.ts), so the two
 * never collide; each code has a message template, an HTTP status and a
 * section under "Kafka topics (hub)" in docs/errors.md, which
 * test/hub/topicAdmin/topicErrors.unit.test.ts checks.
 */
export const topicErrorCodes = {
  HUB_ERR_TOPICS_FILE_UNREADABLE: { status: 500, message: 'Topics file %s could not be read: %s' },
  HUB_ERR_TOPICS_FILE_INVALID: { status: 500, message: 'Topics file %s is invalid: %s' },
  HUB_ERR_TOPICS_PROFILE_UNKNOWN: { status: 400, message: 'Profile "%s" is not in %s (it has: %s)' },
  HUB_ERR_TOPICS_PREFIX_INVALID: { status: 400, message: 'Topic prefix "%s" is invalid: %s' },
  HUB_ERR_BROKERS_UNREACHABLE: { status: 503, message: 'No Kafka broker answered at %s: %s' },
  HUB_ERR_TOPICS_APPLY_FAILED: { status: 502, message: 'Kafka refused %s change(s): %s' },
  HUB_ERR_TOPICS_DRIFT: {
    status: 409,
    message: '%s topic(s) differ from the file in ways apply does not change: %s',
  },
  HUB_ERR_TOPICS_PROFILE_MISSING: {
    status: 400,
    message:
      'No profile given: pass --profile (%s) or set NILECARE_HUB_TOPICS_PROFILE; the replication of every topic depends on it',
  },
} as const;

export type TopicErrorCode = keyof typeof topicErrorCodes;

const topicErrors = defineErrors('HubTopicsError', topicErrorCodes);

/** An error with a code from the catalogue above; `details` carries structured facts. */
export const HubTopicsError = topicErrors.Error;
export type HubTopicsError = CodedError<TopicErrorCode>;
export const isHubTopicsError = topicErrors.is;
