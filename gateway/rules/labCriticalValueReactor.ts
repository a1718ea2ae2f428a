import type { ClinicalEvent, EventDraft } from '../../kernel/events/envelope.ts';
import { eventDraft, facilityOf } from '../../kernel/events/eventDraft.ts';
import { gatewaySources } from '../../kernel/events/eventTypeSpec.ts';
import type { IdSource } from '../../kernel/events/ids.ts';
import type { AlertEpisodeDoc } from '../projections/alertEpisodes.ts';
import { decideLabAlert, type LabRule } from './labCriticalValueRules.ts';

export interface LabCriticalValueContext {
  rules: readonly LabRule[];
  newId: IdSource;
  openEpisode: (subjectId: string, parameter: string) => AlertEpisodeDoc | undefined;
}

interface LabResultData {
  testCode: string;
  value: number | string;
  unit?: string;
  deviceId?: string;
  qc?: unknown;
}

/**
 * Runs as each lab_result_available is appended, in the same transaction,
 * like reactToVitals: the critical_value_detected it raises is as durable as
 * the result, and the nurse sees it whether or not the hub is reachable.
 */
export function reactToLabResult(result: ClinicalEvent, context: LabCriticalValueContext): EventDraft[] {
  if (result.eventType !== 'lab_result_available') return [];
  const data = result.data as unknown as LabResultData;
  // Control material is not a patient (docs/devices.md#quality-control-results).
  if (data.qc !== undefined) return [];
  if (typeof data.value !== 'number') return [];
  const patientId = result.patientId;
  const decision = decideLabAlert(
    { testCode: data.testCode, value: data.value, unit: data.unit },
    context.rules,
    patientId ? (parameter) => context.openEpisode(patientId, parameter) : undefined,
  );
  if (decision.kind === 'none') return [];
  const at = result.recordedAt;
  const base = {
    eventId: context.newId(),
    timestamp: at,
    facility: facilityOf(result),
    patientId,
    patientMRN: result.patientMRN,
    correlationId: result.correlationId ?? result.eventId,
    causationId: result.eventId,
    source: gatewaySources.labDriver,
  };
  const device = data.deviceId ? { deviceId: data.deviceId } : {};
  if (decision.kind === 'resolve') {
    return [
      eventDraft(
        { ...base, eventType: 'alert_resolved' },
        {
          alertId: decision.episode.alertId,
          parameter: decision.rule.parameter,
          ...device,
          reason: 'returned_to_range',
          value: decision.value,
          resolvedAt: at,
        },
      ),
    ];
  }
  return [
    eventDraft(
      { ...base, eventType: 'critical_value_detected' },
      {
        alertId: context.newId(),
        parameter: decision.rule.parameter,
        value: decision.value,
        unit: decision.rule.unit,
        threshold: decision.band.threshold,
        direction: decision.band.direction,
        severity: decision.band.severity,
        priority: decision.band.severity === 'critical' ? 'high' : 'medium',
        ruleId: decision.rule.ruleId,
        ...device,
        ...(decision.supersedes ? { supersedesAlertId: decision.supersedes.alertId } : {}),
        detectedAt: at,
      },
    ),
  ];
}
