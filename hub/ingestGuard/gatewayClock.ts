import type { ClinicalEvent } from '../../kernel/events/envelope.ts';

/**
 * Hub receive time minus the gateway's recordedAt, in milliseconds. It holds
 * the gateway's clock error plus the time the event waited to be synced, so
 * the smallest value seen is the best estimate of the clock error alone.
 */
export function clockOffsetMs(receivedAt: Date, recordedAt: string | undefined): number | undefined {
  if (recordedAt === undefined) return undefined;
  const recorded = Date.parse(recordedAt);
  return Number.isFinite(recorded) ? receivedAt.getTime() - recorded : undefined;
}

/**
 * A gateway clock reset: the gateway flags it on the event
 * (`metadata.gatewayClockWentBackwards`, docs/architecture.md), or the hub
 * sees recordedAt earlier than the previous seq's.
 */
export function clockWentBackwards(
  event: Pick<ClinicalEvent, 'metadata' | 'recordedAt'>,
  previousRecordedAt?: string,
): boolean {
  // The gateway's log writes the flag as { previousRecordedAt } (gateway/eventStore/eventLog.ts);
  // `true` is still read, as events built by hand and older hub tests carry it.
  const flag = event.metadata?.gatewayClockWentBackwards;
  if (flag === true || (typeof flag === 'object' && flag !== null)) return true;
  if (previousRecordedAt === undefined) return false;
  return Date.parse(event.recordedAt) < Date.parse(previousRecordedAt);
}
