import { GatewayError } from '../../gateway/errors.ts';
import { integerSetting } from '../hl7/hl7Settings.ts';

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

const recipientPattern = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63})=(\+[1-9][0-9]{7,14})(?:@([1-9]|10))?$/;

/**
 * "id=+249912345678,id2=+249912345679@2": who is texted when an alert
 * escalates, from which level. The numbers stay in the configuration: the
 * log and the outbox carry only the ids (docs/devices-hl7-gsm.md).
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

/** From NILECARE_GSM_* and NILECARE_ONCALL_NUMBERS; undefined (no SMS) when no modem path is set. */
export function gsmSettingsFromEnvironment(
  env: NodeJS.ProcessEnv,
  now = new Date(),
): GsmSettings | undefined {
  const modemPath = env.NILECARE_GSM_MODEM_PATH;
  if (!modemPath) return undefined;
  return {
    modemPath,
    baudRate: integerSetting(env, 'NILECARE_GSM_BAUD_RATE', 115_200, 1200, 921_600),
    recipients: parseOnCallNumbers(env.NILECARE_ONCALL_NUMBERS ?? ''),
    deliveryReports: env.NILECARE_GSM_DELIVERY_REPORTS !== 'false',
    commandTimeoutMs: integerSetting(env, 'NILECARE_GSM_COMMAND_TIMEOUT_MS', 5_000, 100, 120_000),
    promptTimeoutMs: integerSetting(env, 'NILECARE_GSM_PROMPT_TIMEOUT_MS', 10_000, 100, 120_000),
    sendTimeoutMs: integerSetting(env, 'NILECARE_GSM_SEND_TIMEOUT_MS', 60_000, 100, 300_000),
    maxAttempts: integerSetting(env, 'NILECARE_GSM_MAX_ATTEMPTS', 5, 1, 20),
    retryBaseMs: integerSetting(env, 'NILECARE_GSM_RETRY_BASE_MS', 30_000, 10, 3_600_000),
    utcOffsetMinutes: integerSetting(
      env,
      'NILECARE_GSM_UTC_OFFSET_MINUTES',
      -now.getTimezoneOffset(),
      -840,
      840,
    ),
  };
}
