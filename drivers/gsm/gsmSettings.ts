import { formatUtcOffset, localUtcOffset, offsetMinutes } from '../astm/astmTime.ts';
import type { SectionProblem } from '../driverTypes.ts';
import { integerSetting } from '../hl7/hl7Settings.ts';
import { GatewayError } from '../../gateway/pluginApi.ts';

/** Someone on call: an id for the log (never the number) and the phone the SMS goes to. */
export interface OnCallRecipient {
  recipientId: string;
  phone: string;
  /** Lowest escalation level at which this person is told (1: from the first escalation). */
  fromLevel: number;
}

export interface GsmSettings {
  /** Serial device of the modem, e.g. /dev/serial/by-id/usb-SimTech_SIM7600-if02. */
  modemPath: string;
  baudRate: number;
  /** Serial framing; every modem we know is 8N1, the default. */
  dataBits?: 5 | 6 | 7 | 8;
  parity?: 'none' | 'even' | 'odd' | 'mark' | 'space';
  stopBits?: 1 | 1.5 | 2;
  recipients: OnCallRecipient[];
  /** Ask the network for delivery reports (+CDS), which become sms_delivered. */
  deliveryReports: boolean;
  /** Wait for OK to a plain command, in ms. */
  commandTimeoutMs: number;
  /** Wait for the "> " prompt after AT+CMGS, in ms. */
  promptTimeoutMs: number;
  /** Wait for +CMGS after the PDU (the network's answer), in ms. */
  sendTimeoutMs: number;
  /** Attempts per SMS before it is marked failed. */
  maxAttempts: number;
  /** Pause after the first failed attempt, doubled after each further one, in ms. */
  retryBaseMs: number;
  /** Offset of clinic time from UTC for the time in the SMS, in minutes (Sudan: +120). */
  utcOffsetMinutes: number;
}

/** The drivers file's `gsmModem` section, as validated (defaults applied). */
export interface GsmModemSection {
  path: string;
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: 'none' | 'even' | 'odd' | 'mark' | 'space';
  stopBits: 1 | 1.5 | 2;
  onCall: { id: string; phone: string; fromLevel?: number }[];
  deliveryReports: boolean;
  commandTimeoutMs: number;
  promptTimeoutMs: number;
  sendTimeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  utcOffset?: string;
}

const recipientId = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' };
/** E.164: "+", country code, subscriber number; 8 to 15 digits in all. */
const e164 = { type: 'string', pattern: '^\\+[1-9][0-9]{7,14}$' };

/** JSON Schema of the `gsmModem` section; each bound is the one the environment shortcut has. */
export const gsmModemSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['path', 'onCall'],
  properties: {
    $comment: { type: 'string' },
    path: { type: 'string', minLength: 1, maxLength: 4096 },
    baudRate: {
      type: 'integer',
      enum: [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600],
    },
    dataBits: { type: 'integer', enum: [5, 6, 7, 8] },
    parity: { type: 'string', enum: ['none', 'even', 'odd', 'mark', 'space'] },
    stopBits: { type: 'number', enum: [1, 1.5, 2] },
    // A modem with nobody to text would leave escalations unsent without a word: at least one.
    onCall: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'phone'],
        properties: {
          id: recipientId,
          phone: e164,
          fromLevel: { type: 'integer', minimum: 1, maximum: 10 },
        },
      },
    },
    deliveryReports: { type: 'boolean' },
    commandTimeoutMs: { type: 'integer', minimum: 100, maximum: 120_000 },
    promptTimeoutMs: { type: 'integer', minimum: 100, maximum: 120_000 },
    sendTimeoutMs: { type: 'integer', minimum: 100, maximum: 300_000 },
    maxAttempts: { type: 'integer', minimum: 1, maximum: 20 },
    retryBaseMs: { type: 'integer', minimum: 10, maximum: 3_600_000 },
    utcOffset: { type: 'string', pattern: '^(Z|[+-](0\\d|1[0-4]):[0-5]\\d)$' },
  },
} as const;

export const gsmModemDefaults = {
  baudRate: 115_200, // bits per second, the SIM800/SIM7600/EC25 default
  dataBits: 8,
  parity: 'none',
  stopBits: 1,
  deliveryReports: true,
  commandTimeoutMs: 5_000, // ms
  promptTimeoutMs: 10_000, // ms
  sendTimeoutMs: 60_000, // ms: the network may take this long to take an SMS
  maxAttempts: 5,
  retryBaseMs: 30_000, // ms, doubled after each failed attempt
} as const;

/** An on-call id given twice would text one person and leave the other's row pointing nowhere. */
export function checkGsmModemSection(config: unknown): SectionProblem | undefined {
  const ids = (config as GsmModemSection).onCall.map((recipient) => recipient.id);
  const index = ids.findIndex((id, at) => ids.indexOf(id) !== at);
  if (index < 0) return undefined;
  return { field: `gsmModem.onCall[${index}].id`, message: 'is given twice', received: ids[index] };
}

/** The validated section as the SMS worker's settings. */
export function gsmSettingsOf(section: GsmModemSection, now: Date): GsmSettings {
  return {
    modemPath: section.path,
    baudRate: section.baudRate,
    dataBits: section.dataBits,
    parity: section.parity,
    stopBits: section.stopBits,
    recipients: section.onCall.map((recipient) => ({
      recipientId: recipient.id,
      phone: recipient.phone,
      fromLevel: recipient.fromLevel ?? 1,
    })),
    deliveryReports: section.deliveryReports,
    commandTimeoutMs: section.commandTimeoutMs,
    promptTimeoutMs: section.promptTimeoutMs,
    sendTimeoutMs: section.sendTimeoutMs,
    maxAttempts: section.maxAttempts,
    retryBaseMs: section.retryBaseMs,
    utcOffsetMinutes: offsetMinutes(section.utcOffset ?? localUtcOffset(now)),
  };
}

const recipientPattern = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63})=(\+[1-9][0-9]{7,14})(?:@([1-9]|10))?$/;

/**
 * "id=+249912345678,id2=+249912345679@2": who is texted when an alert
 * escalates, from which level. The numbers stay in the configuration: the
 * log and the outbox carry only the ids (docs/devices.md).
 */
export function parseOnCallNumbers(text: string): OnCallRecipient[] {
  const recipients = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry, index) => {
      const match = recipientPattern.exec(entry);
      if (!match)
        throw new GatewayError('GW_ERR_OPTION_INVALID', [
          'NILECARE_ONCALL_NUMBERS',
          `entry ${index + 1} must read id=+<E.164 number>[@level]`,
          JSON.stringify(entry.replace(/[0-9]/g, '#')),
        ]);
      return { recipientId: match[1]!, phone: match[2]!, fromLevel: Number(match[3] ?? 1) };
    });
  const ids = recipients.map((r) => r.recipientId);
  const twice = ids.find((id, index) => ids.indexOf(id) !== index);
  if (twice)
    throw new GatewayError('GW_ERR_OPTION_INVALID', [
      'NILECARE_ONCALL_NUMBERS',
      'an id is given twice',
      JSON.stringify(twice),
    ]);
  return recipients;
}

/**
 * The shortcut for the modem without a drivers file: NILECARE_GSM_MODEM_PATH
 * (unset: none), NILECARE_ONCALL_NUMBERS and NILECARE_GSM_* become the same
 * `gsmModem` section the file would hold, validated with it.
 */
export function gsmModemFromEnvironment(env: NodeJS.ProcessEnv): Record<string, unknown> | undefined {
  const path = env.NILECARE_GSM_MODEM_PATH;
  if (!path) return undefined;
  const d = gsmModemDefaults;
  const offset = env.NILECARE_GSM_UTC_OFFSET_MINUTES;
  return {
    path,
    baudRate: integerSetting(env, 'NILECARE_GSM_BAUD_RATE', d.baudRate, 1200, 921_600),
    onCall: parseOnCallNumbers(env.NILECARE_ONCALL_NUMBERS ?? '').map((recipient) => ({
      id: recipient.recipientId,
      phone: recipient.phone,
      fromLevel: recipient.fromLevel,
    })),
    deliveryReports: env.NILECARE_GSM_DELIVERY_REPORTS !== 'false',
    commandTimeoutMs: integerSetting(
      env,
      'NILECARE_GSM_COMMAND_TIMEOUT_MS',
      d.commandTimeoutMs,
      100,
      120_000,
    ),
    promptTimeoutMs: integerSetting(env, 'NILECARE_GSM_PROMPT_TIMEOUT_MS', d.promptTimeoutMs, 100, 120_000),
    sendTimeoutMs: integerSetting(env, 'NILECARE_GSM_SEND_TIMEOUT_MS', d.sendTimeoutMs, 100, 300_000),
    maxAttempts: integerSetting(env, 'NILECARE_GSM_MAX_ATTEMPTS', d.maxAttempts, 1, 20),
    retryBaseMs: integerSetting(env, 'NILECARE_GSM_RETRY_BASE_MS', d.retryBaseMs, 10, 3_600_000),
    ...(offset === undefined || offset === ''
      ? {}
      : {
          utcOffset: formatUtcOffset(integerSetting(env, 'NILECARE_GSM_UTC_OFFSET_MINUTES', 0, -840, 840)),
        }),
  };
}
