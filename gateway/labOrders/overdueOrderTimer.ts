import type { Logger } from 'pino';
import { eventDraft, type FacilityContext } from '../../kernel/events/eventDraft.ts';
import { gatewaySources } from '../../kernel/events/eventTypeSpec.ts';
import type { IdSource } from '../../kernel/events/ids.ts';
import type { AlertEpisodeDoc } from '../projections/alertEpisodes.ts';
import type { ProjectionStore } from '../projections/projectionStore.ts';
import type { ClinicalRecorder } from '../recording/clinicalRecorder.ts';
import { decideOverdueAlerts, type OverdueDecision, overdueRuleId } from '../rules/labOrderOverdueAlerts.ts';
import type { GatewayLabOrders } from './readModelLabOrderBook.ts';

export interface OverdueOrderTimerDeps {
  orders: GatewayLabOrders;
  projections: ProjectionStore;
  recorder: ClinicalRecorder;
  facility: FacilityContext;
  intervalMs: number;
  clock: () => Date;
  newId: IdSource;
  logger: Logger;
}

const resolvedNote = {
  resulted: 'Every test of the order has a final result.',
  cancelled: 'The order was cancelled.',
  gone: 'The order is no longer known.',
} as const;

/**
 * Checks the open lab orders on a timer: appends critical_value_detected for
 * an order past its due time and alert_resolved once it is resulted or
 * cancelled (docs/lab-orders.md#overdue-orders). The decision is the pure
 * `decideOverdueAlerts`; this is only the clock and the append.
 */
export function startOverdueOrderTimer(deps: OverdueOrderTimerDeps): {
  check(): Promise<number>;
  stop(): void;
} {
  let running: Promise<number> | undefined;

  async function runCheck(): Promise<number> {
    const now = deps.clock();
    const decisions = decideOverdueAlerts({
      now,
      dueMinutes: deps.orders.catalogue.dueMinutes,
      openOrders: deps.orders.open(),
      openEpisodes: deps.projections.all<AlertEpisodeDoc>('alertEpisodes'),
      orderById: (orderId) => deps.orders.viewOf(orderId),
    });
    for (const decision of decisions) {
      await deps.recorder.record({
        channel: 'internal',
        origin: 'lab order overdue',
        draft: draftOf(decision, now),
      });
      if (decision.kind === 'raise')
        deps.logger.warn(
          { orderId: decision.order.orderId, priority: decision.order.priority },
          'lab order overdue: no final result in time',
        );
    }
    return decisions.length;
  }

  function draftOf(decision: OverdueDecision, now: Date) {
    const at = now.toISOString();
    const envelope = {
      eventId: deps.newId(),
      timestamp: at,
      facility: deps.facility,
      source: gatewaySources.labDriver,
    };
    if (decision.kind === 'resolve')
      return eventDraft(
        { ...envelope, eventType: 'alert_resolved', patientId: decision.episode.subjectId },
        {
          alertId: decision.episode.alertId,
          parameter: decision.episode.parameter,
          reason: 'returned_to_range',
          note: resolvedNote[decision.why],
          resolvedAt: at,
        },
      );
    return eventDraft(
      {
        ...envelope,
        eventType: 'critical_value_detected',
        patientId: decision.order.patientId,
        correlationId: decision.order.orderId,
      },
      {
        alertId: deps.newId(),
        parameter: decision.parameter,
        value: decision.waitedMinutes,
        unit: 'min',
        threshold: decision.dueMinutes,
        direction: 'high',
        severity: decision.severity,
        priority: decision.priority,
        ruleId: overdueRuleId,
        measuredAt: at,
        detectedAt: at,
      },
    );
  }

  function check(): Promise<number> {
    running ??= runCheck().finally(() => {
      running = undefined;
    });
    return running;
  }

  const timer = setInterval(() => {
    check().catch((error: unknown) => deps.logger.error({ err: error }, 'lab order overdue check failed'));
  }, deps.intervalMs);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
