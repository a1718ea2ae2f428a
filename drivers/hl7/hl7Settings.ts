import { formatUtcOffset } from '../astm/astmTime.ts';
import { GatewayError } from '../../gateway/pluginApi.ts';

/** What an HL7 session needs beyond the gateway: limits and the senders' clock. */
export interface Hl7Settings {
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
 * The shortcut for one HL7 listener without a drivers file: NILECARE_HL7_PORT
 * (unset: none), NILECARE_HL7_HOST, NILECARE_HL7_MAX_FRAME_BYTES and
 * NILECARE_HL7_UTC_OFFSET_MINUTES become the same `tcpListeners` entry
 * (`protocol: "hl7"`) the file would hold, validated with it.
 */
export function hl7ListenerFromEnvironment(env: NodeJS.ProcessEnv): Record<string, unknown> | undefined {
  if (env.NILECARE_HL7_PORT === undefined || env.NILECARE_HL7_PORT === '') return undefined;
  const offset = env.NILECARE_HL7_UTC_OFFSET_MINUTES;
  return {
    protocol: 'hl7',
    host: env.NILECARE_HL7_HOST || defaultHl7Settings.host,
    port: integerSetting(env, 'NILECARE_HL7_PORT', 0, 0, 65535),
    maxFrameBytes: integerSetting(
      env,
      'NILECARE_HL7_MAX_FRAME_BYTES',
      defaultHl7Settings.maxFrameBytes,
      1024,
      64 << 20,
    ),
    // Unset: the listener's default, the gateway host's own offset (clinic devices run on local time).
    ...(offset === undefined || offset === ''
      ? {}
      : {
          utcOffset: formatUtcOffset(
            integerSetting(env, 'NILECARE_HL7_UTC_OFFSET_MINUTES', 0, -14 * 60, 14 * 60),
          ),
        }),
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
