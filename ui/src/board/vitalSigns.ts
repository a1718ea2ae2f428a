import { news2DefaultRules, worstBreach } from '../../../kernel/clinical/criticalValueRules.ts';
import { type VitalParameter, vitalParameters } from '../../../kernel/events/schemas/vitals.ts';
import type { StreamEvent, VitalReading } from '../model.ts';

export { vitalParameters };

/**
 * A reading as the board holds it: from the chart the gateway sends (stale
 * and age by the gateway's clock and setting), or folded in from the live
 * stream (without them: isStale counts the age here).
 */
export type BoardReading = Omit<VitalReading, 'stale' | 'ageSeconds'> &
  Partial<Pick<VitalReading, 'stale' | 'ageSeconds'>>;
export type BoardVitals = Partial<Record<VitalParameter, BoardReading>>;

/**
 * When a reading is shown as stale (its device went silent), in seconds: the
 * gateway's default `staleAfterSeconds`. The chart the gateway sends marks
 * stale readings by its own setting too; the screen shows stale if either says so.
 */
export const staleAfterSeconds = 60;

export type VitalStatus = 'critical' | 'warning' | 'normal';

/**
 * Out of range by the same rules the gateway alerts on (NEWS2 defaults,
 * kernel/clinical/criticalValueRules.ts, bundled into the screen), so the
 * board never marks a value the rules would not.
 */
export function vitalStatus(parameter: VitalParameter, value: number): VitalStatus {
  const rule = news2DefaultRules.find((candidate) => candidate.parameter === parameter);
  return (rule && worstBreach(rule, value)?.severity) || 'normal';
}

export function isStale(reading: BoardReading, nowMs: number): boolean {
  if (reading.stale) return true;
  return (nowMs - Date.parse(reading.recordedAt)) / 1000 > staleAfterSeconds;
}

/**
 * A reading from the live stream folded into a patient's latest vitals, as
 * the gateway's latestVitals read model does: a late reading (measured before
 * the one shown) does not replace a newer one.
 */
export function withReading(parameters: BoardVitals, event: StreamEvent): BoardVitals {
  const data = event.data as Record<string, unknown> & {
    method?: 'device' | 'manual';
    deviceId?: string;
    measuredAt?: string;
  };
  const next: BoardVitals = { ...parameters };
  const measuredAt = data.measuredAt ?? event.timestamp;
  for (const name of vitalParameters) {
    const quantity = data[name] as { value: number; unit: string } | undefined;
    if (!quantity || typeof quantity.value !== 'number') continue;
    const previous = next[name];
    if (previous && orderingTime(previous) > Math.min(Date.parse(measuredAt), Date.parse(event.recordedAt)))
      continue;
    next[name] = {
      value: quantity.value,
      unit: quantity.unit,
      measuredAt,
      recordedAt: event.recordedAt,
      method: data.method ?? 'device',
      ...(data.deviceId ? { deviceId: data.deviceId } : {}),
      eventId: event.eventId,
    };
  }
  return next;
}

function orderingTime(reading: BoardReading): number {
  return Math.min(Date.parse(reading.measuredAt), Date.parse(reading.recordedAt));
}
