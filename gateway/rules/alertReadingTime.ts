import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import { orderingTime } from '../projections/latestVitals.ts';
import { measuredAtOf } from './deviceClock.ts';

/** When a reading counts as taken for its alert episode, and whether its clock may be trusted. */
export interface AlertReadingTime {
  /** ISO 8601 instant the episode rules compare. */
  at: string;
  /** False for a device clock flagged implausible: such a reading may raise an alert, never resolve one. */
  plausible: boolean;
}

/**
 * The time alert decisions follow (docs/architecture.md#alerts-follow-flags-and-measurement-time):
 * the measurement time, never later than the gateway received it (as the
 * chart orders readings, projections/latestVitals.ts); for a device clock
 * flagged implausible, the gateway's receive time: a critical value read now
 * is critical now, whatever the device's calendar says.
 */
export function alertReadingTime(event: ClinicalEvent): AlertReadingTime {
  const measuredAt = measuredAtOf(event.eventType, event.data);
  if (event.metadata?.deviceClockImplausible) return { at: event.recordedAt, plausible: false };
  if (measuredAt === undefined) return { at: event.recordedAt, plausible: true };
  return { at: new Date(orderingTime(measuredAt, event.recordedAt)).toISOString(), plausible: true };
}

/** A reading measured before the one that opened (or last worsened) the episode changes nothing. */
export function isOlderThanEpisode(reading: AlertReadingTime, episodeMeasuredAt: string): boolean {
  return Date.parse(reading.at) < Date.parse(episodeMeasuredAt);
}
