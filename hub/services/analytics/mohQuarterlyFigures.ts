/** A calendar quarter as the MoH names it ("Q3 2026") and the instants it spans, UTC. */
export interface Quarter {
  label: string;
  start: Date;
  end: Date;
}

export function quarterOf(year: number, quarter: 1 | 2 | 3 | 4): Quarter {
  return {
    label: `Q${quarter} ${year}`,
    start: new Date(Date.UTC(year, (quarter - 1) * 3, 1)),
    end: new Date(Date.UTC(year, quarter * 3, 1)),
  };
}

/** "Q3 2026" to its quarter; undefined for anything else. */
export function parseQuarter(label: string): Quarter | undefined {
  const match = /^Q([1-4]) ([0-9]{4})$/.exec(label);
  return match ? quarterOf(Number(match[2]), Number(match[1]) as 1 | 2 | 3 | 4) : undefined;
}

/** The last quarter that has ended at `now`: what a run on the first day of a quarter reports. */
export function previousQuarter(now: Date): Quarter {
  const current = Math.floor(now.getUTCMonth() / 3); // 0..3
  return current === 0
    ? quarterOf(now.getUTCFullYear() - 1, 4)
    : quarterOf(now.getUTCFullYear(), current as 1 | 2 | 3);
}

/** What the quarterly report states; every figure is a count of events in the quarter. */
export interface QuarterlyFigures {
  totalEvents: number;
  patientsRegistered: number;
  admissions: number;
  discharges: number;
  criticalValues: number;
  alertsAcknowledged: number;
  alertsEscalated: number;
  labResults: number;
  prescriptions: number;
  cdsFindings: number;
  notificationsSent: number;
  complianceViolations: number;
  /** Acknowledged critical values, %: 100 when there were none. */
  alertAcknowledgementRate: number;
  eventsByType: Record<string, number>;
}

const count = (byType: Record<string, number>, ...types: string[]) =>
  types.reduce((sum, type) => sum + (byType[type] ?? 0), 0);

/**
 * The figures of a quarter from its event counts, and a score. The scoring
 * is this project's illustration, not the Ministry's method: the share of
 * critical values acknowledged, less 5 points per compliance violation;
 * compliant from 90, partially compliant from 60. Pure.
 */
export function quarterlyFigures(byType: Record<string, number>): {
  figures: QuarterlyFigures;
  overallScore: number;
  complianceStatus: 'compliant' | 'partially_compliant' | 'non_compliant';
} {
  const criticalValues = count(byType, 'critical_value_detected');
  const alertsAcknowledged = count(byType, 'alert_acknowledged');
  const complianceViolations = count(byType, 'compliance_violation_detected');
  const alertAcknowledgementRate =
    criticalValues === 0
      ? 100
      : Math.round((Math.min(alertsAcknowledged, criticalValues) / criticalValues) * 1000) / 10;
  const overallScore = Math.max(
    0,
    Math.round((alertAcknowledgementRate - 5 * complianceViolations) * 10) / 10,
  );
  return {
    figures: {
      totalEvents: Object.values(byType).reduce((sum, n) => sum + n, 0),
      patientsRegistered: count(byType, 'patient_registered'),
      admissions: count(byType, 'patient_admitted'),
      discharges: count(byType, 'patient_discharged'),
      criticalValues,
      alertsAcknowledged,
      alertsEscalated: count(byType, 'alert_escalated'),
      labResults: count(byType, 'lab_result_available'),
      prescriptions: count(byType, 'medication_prescribed'),
      cdsFindings: count(
        byType,
        'medication_interaction_detected',
        'allergy_alert_generated',
        'dose_validation_failed',
      ),
      notificationsSent: count(byType, 'notification_sent'),
      complianceViolations,
      alertAcknowledgementRate,
      eventsByType: byType,
    },
    overallScore,
    complianceStatus:
      overallScore >= 90 ? 'compliant' : overallScore >= 60 ? 'partially_compliant' : 'non_compliant',
  };
}
