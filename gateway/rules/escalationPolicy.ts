import type { AlertDoc } from '../projections/alerts.ts';

export interface EscalationPolicy {
  /** Seconds an unacknowledged high-priority alert waits before its first escalation. */
  highAfterSeconds: number;
  /** Seconds an unacknowledged medium-priority alert waits before its first escalation. */
  mediumAfterSeconds: number;
  /** Seconds between further escalation levels while nobody acknowledges. */
  repeatEverySeconds: number;
  /** Highest escalation level. */
  maxLevel: number;
}

export const defaultEscalationPolicy: EscalationPolicy = {
  highAfterSeconds: 120,
  mediumAfterSeconds: 300,
  repeatEverySeconds: 300,
  maxLevel: 3,
};

export interface EscalationDue {
  alert: AlertDoc;
  level: number;
  unacknowledgedSeconds: number;
}

/**
 * Which alerts must escalate now (pure; the clock is an input): an active,
 * unacknowledged alert older than its priority's wait goes to level 1, then
 * one level per repeat interval, up to the maximum. An alert already at the
 * due level is not escalated again.
 */
export function escalationsDue(
  now: Date,
  alerts: readonly AlertDoc[],
  policy: EscalationPolicy,
): EscalationDue[] {
  const due: EscalationDue[] = [];
  for (const alert of alerts) {
    if (alert.status !== 'active') continue;
    const waited = (now.getTime() - Date.parse(alert.raisedAt)) / 1000;
    const after = alert.priority === 'high' ? policy.highAfterSeconds : policy.mediumAfterSeconds;
    if (waited < after) continue;
    const level = Math.min(policy.maxLevel, 1 + Math.floor((waited - after) / policy.repeatEverySeconds));
    if (level > alert.escalationLevel) due.push({ alert, level, unacknowledgedSeconds: Math.round(waited) });
  }
  return due;
}
