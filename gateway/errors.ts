import { type CodedError, defineErrors } from '../kernel/errors/defineErrors.ts';
import { phiErrorCodes } from '../kernel/phi/phiErrors.ts';

/**
 * Coded errors of the gateway (GW_ERR_...). Each code has a message template,
 * an HTTP status and a line in docs/errors.md saying how to solve it; a test
 * checks that every code here is documented there.
 */
export const gatewayErrorCodes = {
  ...phiErrorCodes,
  GW_ERR_EVENT_INVALID: { status: 422, message: 'Event refused: %s' },
  GW_ERR_EVENT_TYPE_UNKNOWN: { status: 422, message: 'Event type "%s" is not in the event catalogue' },
  GW_ERR_DB_PRAGMA: { status: 500, message: 'SQLite pragma %s is %s after setting it to %s' },
  GW_ERR_DB_MIGRATION: { status: 500, message: 'Database migration %s failed: %s' },
  GW_ERR_DB_NEWER_SCHEMA: {
    status: 500,
    message: 'Database schema version %s is newer than this gateway knows (%s)',
  },
  GW_ERR_LOG_APPEND_ONLY: { status: 500, message: 'The event log is append-only: %s refused' },
  GW_ERR_LOG_CLOSED: { status: 503, message: 'The event log is closed' },
  GW_ERR_DATA_MISSING: { status: 500, message: 'No gateway database at %s' },
  GW_ERR_CHAIN_BROKEN: { status: 500, message: 'Hash chain broken at seq %s: %s' },
  GW_ERR_OPTION_INVALID: { status: 500, message: 'Option %s is invalid: %s (received %s)' },
  GW_ERR_DEVICE_EXISTS: { status: 409, message: 'Device "%s" is already registered' },
  GW_ERR_DEVICE_UNKNOWN: { status: 404, message: 'Device "%s" is not registered' },
  GW_ERR_DEVICE_AUTH: { status: 401, message: 'Device "%s" could not authenticate: %s' },
  GW_ERR_DEVICE_TOPIC: { status: 403, message: 'Device "%s" may not publish to "%s": %s' },
  GW_ERR_PAYLOAD_INVALID: { status: 422, message: 'Device payload refused: %s' },
  GW_ERR_PAYLOAD_TOO_LARGE: { status: 413, message: 'Packet of %s bytes is over the limit of %s bytes' },
  GW_ERR_PATIENT_UNKNOWN: { status: 404, message: 'Patient "%s" is not registered at this gateway' },
  GW_ERR_PATIENT_EXISTS: { status: 409, message: 'Patient "%s" is already registered' },
  GW_ERR_ENCOUNTER_STATE: { status: 409, message: 'Patient "%s": %s' },
  GW_ERR_ALERT_UNKNOWN: { status: 404, message: 'Alert "%s" does not exist' },
  GW_ERR_ALERT_STATE: { status: 409, message: 'Alert "%s" is %s' },
  GW_ERR_REQUEST_INVALID: { status: 400, message: 'Request refused: %s' },
  GW_ERR_ROUTE_UNKNOWN: { status: 404, message: 'Nothing is served at %s %s' },
  GW_ERR_TIME_INVALID: { status: 400, message: 'Time "%s" is not an ISO 8601 date-time' },
  GW_ERR_PORT_IN_USE: { status: 500, message: 'Port %s is in use: %s' },
  GW_ERR_INTERNAL: { status: 500, message: 'Internal error: %s' },
  GW_ERR_HL7_FRAMING: { status: 400, message: 'MLLP framing error from %s: %s' },
  GW_ERR_HL7_MALFORMED: { status: 400, message: 'HL7 message refused: %s' },
  GW_ERR_HL7_UNSUPPORTED: { status: 422, message: 'HL7 message not accepted: %s' },
  GW_ERR_HL7_OBSERVATION_INVALID: { status: 422, message: 'HL7 observation refused: %s' },
  GW_ERR_GSM_MODEM: { status: 503, message: 'GSM modem at %s is not usable: %s' },
  GW_ERR_GSM_TIMEOUT: { status: 504, message: 'GSM modem did not answer %s within %s ms' },
  GW_ERR_GSM_SEND_FAILED: { status: 502, message: 'SMS not sent: %s' },
  GW_ERR_GSM_RECIPIENT_UNKNOWN: {
    status: 500,
    message: 'On-call recipient "%s" has no phone number configured',
  },
  GW_ERR_BACKUP_FAILED: { status: 500, message: 'Backup to %s failed: %s' },
  GW_ERR_BACKUP_INVALID: { status: 422, message: 'Backup %s cannot be used: %s' },
  GW_ERR_RESTORE_REFUSED: { status: 409, message: 'Restore refused: %s' },
  GW_ERR_PROVISION_INVALID: { status: 400, message: 'Provisioning refused: %s' },
  GW_ERR_KEYS_REFUSED: { status: 409, message: 'Key operation refused: %s' },
  GW_ERR_PROVISION_CONFLICT: {
    status: 409,
    message: 'Provisioning would change the identity of recorded events: %s',
  },
  GW_ERR_DRIVERS_CONFIG_INVALID: { status: 500, message: 'Drivers file %s: %s %s (received %s)' },
  GW_ERR_SERIAL_PORT: { status: 503, message: 'Serial port %s of device "%s" cannot be used: %s' },
  GW_ERR_ASTM_FRAME_INVALID: { status: 422, message: 'ASTM frame from "%s" refused: %s' },
  GW_ERR_ASTM_MESSAGE_INVALID: { status: 422, message: 'ASTM message from "%s" refused: %s' },
  GW_ERR_OXIMETER_LINE_INVALID: { status: 422, message: 'Pulse oximeter line from "%s" refused: %s' },
  GW_ERR_AUTH_REQUIRED: { status: 401, message: 'Sign in first: %s' },
  GW_ERR_SESSION_EXPIRED: { status: 401, message: 'Your session ended: %s; sign in again' },
  GW_ERR_ROLE_FORBIDDEN: { status: 403, message: 'Role "%s" may not do this: %s' },
  GW_ERR_LOGIN_FAILED: { status: 401, message: 'Wrong username or password' },
  GW_ERR_LOGIN_RATE_LIMITED: { status: 429, message: 'Too many failed sign-ins; try again in %s seconds' },
  GW_ERR_USER_EXISTS: { status: 409, message: 'Username "%s" is already taken' },
  GW_ERR_USER_UNKNOWN: { status: 404, message: 'User "%s" does not exist' },
  GW_ERR_USER_STATE: { status: 409, message: 'User "%s": %s' },
  GW_ERR_PASSWORD_WEAK: { status: 400, message: 'Password refused: %s' },
  GW_ERR_NATIONAL_ID_MISSING: { status: 404, message: 'Patient "%s" has no national ID on record' },
  GW_ERR_DISK_LOW: {
    status: 507,
    message: 'Disk space is %s (%s bytes free): %s input refused for now; send it again later',
  },
  GW_ERR_WARD_UNKNOWN: { status: 404, message: 'Ward "%s" is not configured at this gateway (wards: %s)' },
  GW_ERR_BED_UNKNOWN: { status: 404, message: 'Bed "%s" is not a bed of ward "%s"' },
  GW_ERR_BED_UNAVAILABLE: { status: 409, message: 'Bed "%s" of ward "%s" is %s' },
  GW_ERR_WARD_FULL: { status: 409, message: 'Ward "%s" has no free bed' },
  GW_ERR_ADMISSION_FAILED: {
    status: 502,
    message: 'Admission %s failed at step %s and was rolled back (%s): %s',
  },
  GW_ERR_ADMISSION_UNKNOWN: { status: 404, message: 'Admission "%s" does not exist' },
  GW_ERR_DIAGNOSIS_UNKNOWN: { status: 404, message: 'Diagnosis "%s" is not on the chart of patient "%s"' },
  GW_ERR_DIAGNOSIS_STATE: { status: 409, message: 'Diagnosis "%s" is %s' },
  GW_ERR_PRESCRIPTION_UNKNOWN: {
    status: 404,
    message: 'Prescription "%s" is not on the chart of patient "%s"',
  },
  GW_ERR_PRESCRIPTION_STATE: { status: 409, message: 'Prescription "%s" is %s' },
  GW_ERR_DEVICE_CERT: { status: 401, message: 'Device certificate refused at CONNECT: %s' },
  GW_ERR_DEVICE_CERT_ISSUE: { status: 400, message: 'Device certificate not issued: %s' },
} as const;

export type GatewayErrorCode = keyof typeof gatewayErrorCodes;

const gatewayErrors = defineErrors('GatewayError', gatewayErrorCodes);

/** An error with a code from the catalogue above; `details` carries structured facts (never PHI). */
export const GatewayError = gatewayErrors.Error;
export type GatewayError = CodedError<GatewayErrorCode>;
export const isGatewayError = gatewayErrors.is;
