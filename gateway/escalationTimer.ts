import type { Logger } from 'pino';
import { gatewaySources } from '../kernel/events/eventTypeSpec.ts';
import type { IdSource } from '../kernel/events/ids.ts';
import type { AlertQueries } from './projections/alertQueries.ts';
import type { ClinicalRecorder } from './recording/clinicalRecorder.ts';
import { type EscalationPolicy, escalationsDue } from './rules/escalationPolicy.ts';
import { eventDraft, type FacilityContext } from '../kernel/events/eventDraft.ts';

export interface EscalationTimerDeps {
  policy: EscalationPolicy;
  intervalMs: number;
  alerts: AlertQueries;
  recorder: ClinicalRecorder;
  facility: FacilityContext;
  clock: () => Date;
  newId: IdSource;
  logger: Logger;
}

/**
 * Checks unacknowledged alerts on a timer and appends `alert_escalated` when
 * one waited too long (docs/architecture.md#guarantee-6). The decision is the pure
 * `escalationsDue`; this is only the clock and the append.
 */
export function startEscalationTimer(deps: EscalationTimerDeps): { check(): Promise<number>; stop(): void } {
  let running: Promise<number> | undefined;

  async function runCheck(): Promise<number> {
    const now = deps.clock();
    const active = deps.alerts.withStatus('active');
    const due = escalationsDue(now, active, deps.policy);
    for (const { alert, level, unacknowledgedSeconds } of due) {
      const at = now.toISOString();
      await deps.recorder.record({
        channel: 'internal',
        origin: 'escalation',
        draft: eventDraft(
          {
            eventId: deps.newId(),
            eventType: 'alert_escalated',
            timestamp: at,
            // Facility and tenant only: alert_escalated has never carried the Sudan state.
            facility: { facilityId: deps.facility.facilityId, tenantId: deps.facility.tenantId },
            patientId: alert.patientId,
            correlationId: alert.alertId,
            source: gatewaySources.clinicalApi,
          },
          {
            alertId: alert.alertId,
            level,
            reason: 'not_acknowledged',
            unacknowledgedSeconds,
            escalatedAt: at,
          },
        ),
      });
      deps.logger.warn(
        { alertId: alert.alertId, level, priority: alert.priority },
        'alert escalated: not acknowledged in time',
      );
    }
    return due.length;
  }

  function check(): Promise<number> {
    running ??= runCheck().finally(() => {
      running = undefined;
    });
    return running;
  }

  const timer = setInterval(() => {
    check().catch((error: unknown) => deps.logger.error({ err: error }, 'escalation check failed'));
  }, deps.intervalMs);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
