import type { ClinicalEvent, EventDraft } from '../../kernel/events/envelope.ts';
import { eventDraft, facilityOf } from '../../kernel/events/eventDraft.ts';
import { gatewaySources } from '../../kernel/events/eventTypeSpec.ts';
import type { IdSource } from '../../kernel/events/ids.ts';
import { vitalParameters, vitalParameterSpecs } from '../../kernel/events/schemas/vitals.ts';
import type { AlertEpisodeDoc } from '../projections/alertEpisodes.ts';
import { subjectOf } from '../projections/vitalsSubject.ts';
import { decideAlerts, type ReadingValue } from './alertEpisodeDecisions.ts';
import { alertReadingTime } from './alertReadingTime.ts';
import type { ParameterRule } from '../../kernel/clinical/criticalValueRules.ts';

export interface CriticalValueContext {
  rules: readonly ParameterRule[];
  newId: IdSource;
  openEpisode: (subjectId: string, parameter: string) => AlertEpisodeDoc | undefined;
}

/**
 * Runs as each vital_signs_recorded is appended, in the same transaction
 * (docs/architecture.md#guarantee-6): the alert it raises is as durable as the reading
 * and never waits for the network. Returns the drafts to append next.
 */
export function reactToVitals(reading: ClinicalEvent, context: CriticalValueContext): EventDraft[] {
  if (reading.eventType !== 'vital_signs_recorded') return [];
  const subjectId = subjectOf(reading);
  if (!subjectId) return [];
  const data = reading.data as Record<string, unknown> & { deviceId?: string; bed?: string };
  const values: ReadingValue[] = vitalParameters.flatMap((parameter) => {
    const quantity = data[parameter] as { value: number } | undefined;
    return quantity ? [{ parameter, value: quantity.value }] : [];
  });
  const time = alertReadingTime(reading);
  const decisions = decideAlerts(
    values,
    context.rules,
    (parameter) => context.openEpisode(subjectId, parameter),
    time,
  );
  const at = reading.recordedAt;
  return decisions.map((decision) => {
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
    const device = {
      ...(data.deviceId ? { deviceId: data.deviceId } : {}),
      ...(data.bed ? { bed: data.bed } : {}),
    };
    if (decision.kind === 'resolve') {
      return eventDraft(
        { ...base, eventType: 'alert_resolved' },
        {
          alertId: decision.episode.alertId,
          parameter: decision.episode.parameter,
          ...(data.deviceId ? { deviceId: data.deviceId } : {}),
          reason: 'returned_to_range',
          value: decision.value,
          resolvedAt: at,
        },
      );
    }
    const parameter = decision.rule.parameter;
    return eventDraft(
      { ...base, eventType: 'critical_value_detected' },
      {
        alertId: context.newId(),
        parameter,
        value: decision.value,
        unit: vitalParameterSpecs[parameter].unit,
        threshold: decision.band.threshold,
        direction: decision.band.direction,
        severity: decision.band.severity,
        priority: decision.band.severity === 'critical' ? 'high' : 'medium',
        ruleId: decision.rule.ruleId,
        ...device,
        ...(decision.supersedes ? { supersedesAlertId: decision.supersedes.alertId } : {}),
        measuredAt: time.at,
        detectedAt: at,
      },
    );
  });
}
