import { dataOf, type Projection } from './projection.ts';
import { subjectOf } from './vitalsSubject.ts';

/**
 * The open alert episode per subject and parameter: what the critical-value
 * rules consult to raise one alert per episode rather than one per reading.
 */
export interface AlertEpisodeDoc {
  subjectId: string;
  parameter: string;
  alertId: string;
  severity: 'critical' | 'warning';
  /** Absent for an episode an AA flag (critically abnormal, no direction) opened. */
  direction?: 'low' | 'high';
  /**
   * The time of the reading that opened or last worsened the episode, as the
   * alert rules compare readings (rules/alertReadingTime.ts): an older reading
   * never changes the episode.
   */
  measuredAt: string;
}

export function episodeKey(subjectId: string, parameter: string): string {
  return `${subjectId}|${parameter}`;
}

export const alertEpisodesProjection: Projection<AlertEpisodeDoc> = {
  name: 'alertEpisodes',
  // 2: the episode keeps the measurement time that opened it; direction may be absent (AA flag).
  version: 2,
  docIdsOf(event) {
    if (event.eventType !== 'critical_value_detected' && event.eventType !== 'alert_resolved') return [];
    const subject = subjectOf(event);
    const parameter = (event.data as { parameter?: unknown }).parameter;
    return subject && typeof parameter === 'string' ? [episodeKey(subject, parameter)] : [];
  },
  evolve(doc, event) {
    if (event.eventType === 'critical_value_detected') {
      const data = dataOf<{
        alertId: string;
        parameter: string;
        severity: 'critical' | 'warning';
        direction?: 'low' | 'high';
        measuredAt?: string;
        detectedAt: string;
      }>(event);
      return {
        subjectId: subjectOf(event)!,
        parameter: data.parameter,
        alertId: data.alertId,
        severity: data.severity,
        ...(data.direction ? { direction: data.direction } : {}),
        // Alerts of 1.x carry no measurement time: the gateway's time of detection stands in.
        measuredAt: data.measuredAt ?? data.detectedAt,
      };
    }
    // alert_resolved closes the episode only if it resolves the episode's current alert.
    const { alertId } = dataOf<{ alertId: string }>(event);
    return doc && doc.alertId === alertId ? undefined : doc;
  },
};
