import { type News2Score, news2ObservationsOf, news2Score } from '../../../kernel/clinical/news2.ts';
import type { ConsciousnessLevel } from '../../../kernel/clinical/news2Chart.ts';
import type { BoardVitals } from '../board/vitalSigns.ts';
import type { PatientChart, StreamEvent } from '../model.ts';

/** The two NEWS2 observations that are not monitor quantities, with when they were measured. */
export interface BoardObservations {
  supplementalOxygen?: { value: boolean; measuredAt: string };
  consciousness?: { value: ConsciousnessLevel; measuredAt: string };
}

/** The chart's latest observations, as the board holds them. */
export function observationsOfChart(latest: PatientChart['latestVitals']): BoardObservations {
  const observations: BoardObservations = {};
  if (latest?.supplementalOxygen) observations.supplementalOxygen = latest.supplementalOxygen;
  if (latest?.consciousness) observations.consciousness = latest.consciousness;
  return observations;
}

/** A hand entry from the live stream folded in, unless the one held was measured later (as withReading). */
export function withObservations(held: BoardObservations, event: StreamEvent): BoardObservations {
  const data = event.data as { measuredAt?: string; supplementalOxygen?: unknown; consciousness?: unknown };
  const measuredAt = data.measuredAt ?? event.timestamp;
  const newer = (previous: { measuredAt: string } | undefined) =>
    !previous || Date.parse(previous.measuredAt) <= Date.parse(measuredAt);
  const next = { ...held };
  if (typeof data.supplementalOxygen === 'boolean' && newer(held.supplementalOxygen))
    next.supplementalOxygen = { value: data.supplementalOxygen, measuredAt };
  if (typeof data.consciousness === 'string' && newer(held.consciousness))
    next.consciousness = { value: data.consciousness as ConsciousnessLevel, measuredAt };
  return next;
}

/**
 * NEWS2 of what the board shows, by the gateway's own function (bundled from
 * kernel/clinical/news2.ts), so a reading on the live stream moves the score
 * at once and it always agrees with the chart's (gateway/http/vitalsView.ts).
 */
export function boardNews2(readings: BoardVitals, observations: BoardObservations): News2Score {
  return news2Score(news2ObservationsOf(readings, observations));
}
