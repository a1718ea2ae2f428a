import type { MessageKey } from '../i18n/i18n.ts';

/** Within this many seconds a device clock is in step: a reading takes a second or two to arrive. */
export const inStepSeconds = 5;

/**
 * How far a device clock is from the gateway's, as the devices table says
 * it (pure): in step, so much ahead or behind (the largest whole unit), or
 * unknown before its first reading.
 */
export function deviceClockText(offsetSeconds: number | null): {
  key: MessageKey;
  amount?: number;
  unit?: MessageKey;
} {
  if (offsetSeconds === null) return { key: 'devices.clockUnknown' };
  const seconds = Math.abs(offsetSeconds);
  if (seconds <= inStepSeconds) return { key: 'devices.clockInStep' };
  const [amount, unit]: [number, MessageKey] =
    seconds < 120
      ? [seconds, 'devices.unitSeconds']
      : seconds < 7200
        ? [Math.round(seconds / 60), 'devices.unitMinutes']
        : seconds < 172_800
          ? [Math.round(seconds / 3600), 'devices.unitHours']
          : [Math.round(seconds / 86_400), 'devices.unitDays'];
  return {
    key: offsetSeconds > 0 ? 'devices.clockAhead' : 'devices.clockBehind',
    amount,
    unit,
  };
}
