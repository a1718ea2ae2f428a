import type { CriticalFlag } from '../../kernel/clinical/analyzerFlags.ts';
import type { News2AlertScore } from '../../kernel/clinical/news2AggregateRule.ts';
import { dataOf, type Projection } from './projection.ts';
import { subjectOf } from './vitalsSubject.ts';

export type AlertStatus = 'active' | 'acknowledged' | 'resolved';

export interface AlertDoc {
  alertId: string;
  subjectId: string;
  patientId?: string;
  deviceId?: string;
  bed?: string;
  parameter: string;
  /** Absent for a text result (valueText). */
  value?: number;
  valueText?: string;
  unit?: string;
  /** Absent when the analyzer's flag alone raised it. */
  threshold?: number;
  /** Absent for an AA flag (critically abnormal, no direction). */
  direction?: 'low' | 'high';
  severity: 'critical' | 'warning';
  priority: 'high' | 'medium';
  ruleId: string;
  /** The analyzer's critical flag (HL7 2.5.1 table 0078), when it had one. */
  flag?: CriticalFlag;
  testCode?: string;
  /** The complete NEWS2 an aggregate-score alert (parameter `news2`) was raised on. */
  news2?: News2AlertScore;
  /** When the reading that raised it was measured, as the alert rules count it. */
  measuredAt?: string;
  /** eventId of the reading that raised it. */
  causationId?: string;
  detectedAt: string;
  raisedAt: string;
  /** active: nobody has responded; acknowledged: a person took it, the condition may persist; resolved: over. */
  status: AlertStatus;
  acknowledgedAt?: string;
  acknowledgedBy?: { userId: string; userName: string; userRole: string };
  escalationLevel: number;
  lastEscalatedAt?: string;
  resolvedAt?: string;
  resolution?: string;
  supersededBy?: string;
}

/** critical_value_detected's data, 1.x or 2.x (kernel/events/schemas/alert.ts). */
type CriticalValueData = Omit<
  AlertDoc,
  'subjectId' | 'patientId' | 'causationId' | 'raisedAt' | 'status' | 'escalationLevel'
> & { supersedesAlertId?: string };

const alertTypes = new Set([
  'critical_value_detected',
  'alert_acknowledged',
  'alert_escalated',
  'alert_resolved',
]);

/** Active and past alerts, one document per alert. */
export const alertsProjection: Projection<AlertDoc> = {
  name: 'alerts',
  version: 1,
  docIdsOf(event) {
    if (!alertTypes.has(event.eventType)) return [];
    const data = dataOf<{ alertId: string; supersedesAlertId?: string }>(event);
    return data.supersedesAlertId ? [data.alertId, data.supersedesAlertId] : [data.alertId];
  },
  evolve(doc, event) {
    switch (event.eventType) {
      case 'critical_value_detected': {
        const data = dataOf<CriticalValueData>(event);
        if (doc && doc.alertId === data.supersedesAlertId) {
          return {
            ...doc,
            status: 'resolved',
            resolvedAt: data.detectedAt,
            resolution: 'superseded',
            supersededBy: data.alertId,
          };
        }
        const { supersedesAlertId: _s, ...fields } = data;
        return {
          ...fields,
          subjectId: subjectOf(event)!,
          ...(event.patientId ? { patientId: event.patientId } : {}),
          ...(event.causationId ? { causationId: event.causationId } : {}),
          raisedAt: event.recordedAt,
          status: 'active',
          escalationLevel: 0,
        };
      }
      case 'alert_acknowledged':
        if (doc?.status !== 'active') return doc;
        return {
          ...doc,
          status: 'acknowledged',
          acknowledgedAt: dataOf<{ acknowledgedAt: string }>(event).acknowledgedAt,
          acknowledgedBy: { userId: event.userId!, userName: event.userName!, userRole: event.userRole! },
        };
      case 'alert_escalated': {
        const data = dataOf<{ level: number; escalatedAt: string }>(event);
        return (
          doc && {
            ...doc,
            escalationLevel: Math.max(doc.escalationLevel, data.level),
            lastEscalatedAt: data.escalatedAt,
          }
        );
      }
      case 'alert_resolved': {
        const data = dataOf<{ reason: string; resolvedAt: string }>(event);
        if (!doc || doc.status === 'resolved') return doc;
        return { ...doc, status: 'resolved', resolvedAt: data.resolvedAt, resolution: data.reason };
      }
      default:
        return doc;
    }
  },
};
