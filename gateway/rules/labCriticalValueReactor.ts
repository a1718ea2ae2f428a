import type { ClinicalEvent, EventDraft } from '../../kernel/events/envelope.ts';
import { eventDraft, facilityOf } from '../../kernel/events/eventDraft.ts';
import { gatewaySources } from '../../kernel/events/eventTypeSpec.ts';
import type { IdSource } from '../../kernel/events/ids.ts';
import type { AlertEpisodeDoc } from '../projections/alertEpisodes.ts';
import { alertReadingTime } from './alertReadingTime.ts';
import { decideLabAlert, type LabRaise } from './labAlertDecisions.ts';
import type { LabRule } from './labCriticalValueRules.ts';

export interface LabCriticalValueContext {
  rules: readonly LabRule[];
  newId: IdSource;
  openEpisode: (subjectId: string, parameter: string) => AlertEpisodeDoc | undefined;
}

interface LabResultData {
  testCode: string;
  value: number | string;
  unit?: string;
  flags?: string[];
  deviceId?: string;
  qc?: unknown;
}

/** The ruleId of an alert the analyzer's flag alone raised (no rule's limit was crossed). */
export const analyzerFlagRuleId = 'analyzer-flag';

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
  const patientId = result.patientId;
  const time = alertReadingTime(result);
  const decision = decideLabAlert(
    {
      testCode: data.testCode,
      value: data.value,
      unit: data.unit,
      ...(data.flags ? { flags: data.flags } : {}),
    },
    context.rules,
    patientId ? (parameter) => context.openEpisode(patientId, parameter) : undefined,
    time,
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
          parameter: decision.episode.parameter,
          ...device,
          reason: 'returned_to_range',
          ...(decision.value !== undefined ? { value: decision.value } : {}),
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
        ...alertFieldsOf(decision),
        testCode: data.testCode,
        ...device,
        ...(decision.supersedes ? { supersedesAlertId: decision.supersedes.alertId } : {}),
        measuredAt: time.at,
        detectedAt: at,
      },
    ),
  ];
}

/** What the alert says: the rule's breach when a rule judged it, else the analyzer's flag. */
function alertFieldsOf(raise: LabRaise) {
  return {
    parameter: raise.parameter,
    ...(raise.value !== undefined ? { value: raise.value } : {}),
    ...(raise.valueText !== undefined ? { valueText: raise.valueText } : {}),
    ...(raise.unit !== undefined ? { unit: raise.unit } : {}),
    ...(raise.breach ? { threshold: raise.breach.band.threshold } : {}),
    ...(raise.direction ? { direction: raise.direction } : {}),
    severity: 'critical',
    priority: 'high',
    ruleId: raise.breach ? raise.breach.rule.ruleId : analyzerFlagRuleId,
    ...(raise.flag ? { flag: raise.flag } : {}),
  };
}
