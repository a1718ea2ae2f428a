import { type CodedError, defineErrors } from '../kernel/errors/defineErrors.ts';

/**
 * Coded errors of the hub (HUB_ERR_...). Each code has a message template, an
 * HTTP status and a section in docs/errors.md saying how to solve it; a test
 * (test/hub/errors.unit.test.ts) checks that every code here is documented.
 *
 * The codes marked "rejection" are also the `x-nilecare-reason-code` header of
 * a record the ingest guard sends to the dead-letter topic.
 */
export const hubErrorCodes = {
  // Rejections of a Kafka record by the ingest guard.
  HUB_ERR_RECORD_UNREADABLE: { status: 422, message: 'Record unreadable: %s' },
  HUB_ERR_EVENT_INVALID: { status: 422, message: 'Event refused by the catalogue: %s' },
  HUB_ERR_PUBLISHER_UNAUTHORISED: {
    status: 403,
    message: 'Source "%s" may not publish %s (authorised: %s)',
  },
  HUB_ERR_CHAIN_BROKEN: { status: 422, message: 'Hash chain of gateway %s broken at seq %s: %s' },
  HUB_ERR_SEQ_GAP: {
    status: 422,
    message: 'Gateway %s: seq %s to %s missing for %s ms; seq %s cannot be linked',
  },
  HUB_ERR_EVENT_CONFLICT: { status: 409, message: 'Conflicting copy of %s: %s' },
  HUB_ERR_PROCESSING_FAILED: { status: 500, message: 'Service %s gave up after %s attempts: %s' },
  // Starting and running the hub.
  HUB_ERR_OPTION_INVALID: { status: 500, message: 'Option %s is invalid: %s (received %s)' },
  HUB_ERR_PUBLISHERS_FILE: { status: 500, message: 'Publishers file %s cannot be used: %s' },
  HUB_ERR_DB_UNREACHABLE: { status: 503, message: 'PostgreSQL at %s cannot be reached: %s' },
  HUB_ERR_DB_MIGRATION: { status: 500, message: 'Hub database migration %s failed: %s' },
  HUB_ERR_DB_NEWER_SCHEMA: {
    status: 500,
    message: 'Hub database schema version %s is newer than this hub knows (%s)',
  },
  HUB_ERR_KAFKA_UNREACHABLE: { status: 503, message: 'Kafka at %s cannot be reached: %s' },
  HUB_ERR_POSTGRES_START: { status: 500, message: 'Local PostgreSQL did not start: %s' },
  HUB_ERR_PORT_IN_USE: { status: 500, message: 'Port %s is in use: %s' },
  // Downstream services (FHIR, audit ...) and the hub's APIs.
  HUB_ERR_EVENT_NOT_GUARDED: {
    status: 503,
    message: 'Event %s not verified by the ingest guard in time: %s',
  },
  HUB_ERR_PHI_KEYS_FILE: { status: 500, message: 'Hub PHI key file %s cannot be used: %s' },
  HUB_ERR_PHI_UNDECRYPTABLE: { status: 500, message: 'PHI field %s of event %s cannot be decrypted: %s' },
  HUB_ERR_API_UNAUTHORISED: { status: 401, message: 'Unauthorised: %s' },
  HUB_ERR_FHIR_NOT_FOUND: { status: 404, message: '%s/%s is not known' },
  HUB_ERR_FHIR_SEARCH_INVALID: { status: 400, message: 'Search of %s refused: %s' },
  HUB_ERR_AUDIT_QUERY_INVALID: { status: 400, message: 'Audit query refused: %s' },
  // Services after the ingest guard (notifications, CDS, analytics, reports).
  HUB_ERR_NOTIFICATION_FAILED: {
    status: 502,
    message: 'Notification %s by %s to recipient %s failed after %s attempts: %s',
  },
  HUB_ERR_QUERY_INVALID: { status: 400, message: 'Query refused: %s' },
  HUB_ERR_REPORT_UNKNOWN: { status: 404, message: 'No report %s' },
  // `nilecare hub gateways enrol|revoke` (Kafka security).
  HUB_ERR_GATEWAY_ENROL_FAILED: { status: 500, message: 'Kafka access of gateway %s not changed: %s' },
} as const;

export type HubErrorCode = keyof typeof hubErrorCodes;

/** The codes a dead-lettered record can carry in `x-nilecare-reason-code`. */
export type RejectionCode = Extract<
  HubErrorCode,
  | 'HUB_ERR_RECORD_UNREADABLE'
  | 'HUB_ERR_EVENT_INVALID'
  | 'HUB_ERR_PUBLISHER_UNAUTHORISED'
  | 'HUB_ERR_CHAIN_BROKEN'
  | 'HUB_ERR_SEQ_GAP'
  | 'HUB_ERR_EVENT_CONFLICT'
  | 'HUB_ERR_PROCESSING_FAILED'
  | 'HUB_ERR_EVENT_NOT_GUARDED'
>;

const hubErrors = defineErrors('HubError', hubErrorCodes);

/** An error with a code from the catalogue above; `details` carries structured facts (never PHI). */
export const HubError = hubErrors.Error;
export type HubError = CodedError<HubErrorCode>;
export const isHubError = hubErrors.is;

/** The message of `code` with each %s filled in order. */
export const hubMessage = hubErrors.message;
