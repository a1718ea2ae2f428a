import { news2Score, type Spo2Scale } from '../../kernel/clinical/news2.ts';
import { type News2AggregateRule, news2AlertParameter } from '../../kernel/clinical/news2AggregateRule.ts';
import type { ClinicalEvent, EventDraft } from '../../kernel/events/envelope.ts';
import { eventDraft, facilityOf } from '../../kernel/events/eventDraft.ts';
import { gatewaySources } from '../../kernel/events/eventTypeSpec.ts';
import type { IdSource } from '../../kernel/events/ids.ts';
import type { AlertEpisodeDoc } from '../projections/alertEpisodes.ts';
import type { LatestVitalsDoc } from '../projections/latestVitals.ts';
import { subjectOf } from '../projections/vitalsSubject.ts';
import { alertReadingTime } from './alertReadingTime.ts';
import { decideNews2Alert } from './news2AlertDecisions.ts';
import { news2ObservationSet } from './news2ObservationSet.ts';

export interface News2AlertContext {
  rule: News2AggregateRule;
  newId: IdSource;
  openEpisode: (subjectId: string, parameter: string) => AlertEpisodeDoc | undefined;
  /** The subject's latest observations, this reading included (the read models are applied first). */
  latestVitals: (subjectId: string) => LatestVitalsDoc | undefined;
  /** The SpO2 scale a clinician chose for the patient's encounter; 1 unless one did. */
  spo2ScaleOf: (patientId: string) => Spo2Scale;
}

/**
 * The NEWS2 aggregate-score alert, run as each vital_signs_recorded is
 * appended, in the same transaction as the reading
 * (docs/architecture.md#guarantee-6), like the single-parameter rules
 * (criticalValueReactor.ts). Scores only a patient's readings: an unbound
 * device has no chart and no clinician's SpO2 scale.
 */
export function reactToNews2(reading: ClinicalEvent, context: News2AlertContext): EventDraft[] {
  if (reading.eventType !== 'vital_signs_recorded' || !reading.patientId) return [];
  const subjectId = subjectOf(reading);
  if (!subjectId) return [];
  const set = news2ObservationSet(context.latestVitals(subjectId), context.rule.freshnessSeconds);
  const score = news2Score(set.observations, context.spo2ScaleOf(reading.patientId));
  const time = alertReadingTime(reading);
  const decision = decideNews2Alert(
    score,
    context.openEpisode(subjectId, news2AlertParameter),
    time,
    context.rule,
  );
  if (!decision) return [];
  const at = reading.recordedAt;
  const data = reading.data as { deviceId?: string; bed?: string };
  const base = {
    eventId: context.newId(),
    timestamp: at,
    facility: facilityOf(reading),
    patientId: reading.patientId,
    patientMRN: reading.patientMRN,
    correlationId: reading.correlationId ?? reading.eventId,
    causationId: reading.eventId,
    source: gatewaySources.deviceIngest,
  };
  const deviceId = data.deviceId ? { deviceId: data.deviceId } : {};
  if (decision.kind === 'resolve')
    return [
      eventDraft(
        { ...base, eventType: 'alert_resolved' },
        {
          alertId: decision.episode.alertId,
          parameter: news2AlertParameter,
          ...deviceId,
          reason: 'returned_to_range',
          value: decision.score.total,
          resolvedAt: at,
        },
      ),
    ];
  const { level } = decision;
  return [
    eventDraft(
      { ...base, eventType: 'critical_value_detected' },
      {
        alertId: context.newId(),
        parameter: news2AlertParameter,
        value: decision.score.total,
        ...(level.threshold !== undefined ? { threshold: level.threshold, direction: 'high' } : {}),
        severity: level.severity,
        priority: level.severity === 'critical' ? 'high' : 'medium',
        ruleId: context.rule.ruleId,
        ...deviceId,
        ...(data.bed ? { bed: data.bed } : {}),
        ...(decision.supersedes ? { supersedesAlertId: decision.supersedes.alertId } : {}),
        measuredAt: time.at,
        detectedAt: at,
        news2: {
          total: decision.score.total,
          band: decision.score.band,
          scores: decision.score.scores,
          spo2Scale: decision.score.spo2Scale,
          trigger: level.trigger,
        },
      },
    ),
  ];
}
