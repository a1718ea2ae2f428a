import { GatewayError } from '../../gateway/errors.ts';

/** The HL7 MLLP listener's settings; it runs only when a port is configured. */
export interface Hl7Settings {
  host: string;
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  /** Largest HL7 message accepted, in bytes; a larger frame is quarantined (its first KiB) and skipped. */
  maxFrameBytes: number;
  /** UTC offset of senders' clocks for HL7 times written without one, in minutes (Sudan: +120). */
  assumedUtcOffsetMinutes: number;
}

export const defaultHl7Settings = {
  host: '0.0.0.0',
  maxFrameBytes: 1024 * 1024, // bytes: a full lab panel is a few KiB
};

/**
 * From NILECARE_HL7_PORT (unset: no listener), NILECARE_HL7_HOST,
 * NILECARE_HL7_MAX_FRAME_BYTES and NILECARE_HL7_UTC_OFFSET_MINUTES (default:
 * the gateway host's own offset, as clinic devices are set to local time).
 */
export function hl7SettingsFromEnvironment(
  env: NodeJS.ProcessEnv,
  now = new Date(),
): Hl7Settings | undefined {
  if (env.NILECARE_HL7_PORT === undefined || env.NILECARE_HL7_PORT === '') return undefined;
  return {
    host: env.NILECARE_HL7_HOST || defaultHl7Settings.host,
    port: integerSetting(env, 'NILECARE_HL7_PORT', 0, 0, 65535),
    maxFrameBytes: integerSetting(
      env,
      'NILECARE_HL7_MAX_FRAME_BYTES',
      defaultHl7Settings.maxFrameBytes,
      1024,
      64 << 20,
    ),
    assumedUtcOffsetMinutes: integerSetting(
      env,
      'NILECARE_HL7_UTC_OFFSET_MINUTES',
      -now.getTimezoneOffset(),
      -14 * 60,
      14 * 60,
    ),
  };
}

/** An integer environment setting within bounds; the error names the variable and the value received. */
export function integerSetting(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  minimum: number,
  maximum: number,
): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum || value > maximum)
    throw new GatewayError('GW_ERR_OPTION_INVALID', [
      name,
      `must be an integer from ${minimum} to ${maximum}`,
      JSON.stringify(text),
    ]);
  return value;
}
