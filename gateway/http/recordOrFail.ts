import { GatewayError } from '../errors.ts';
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import type { ClinicalRecorder, RecordInput } from '../recording/clinicalRecorder.ts';

/**
 * Records through the write side; a refused draft becomes a coded error with
 * the issues: 400 for text no store can hold (GW_ERR_TEXT_UNSTORABLE, the
 * client's to fix), 422 for anything else the event's schema refuses.
 */
export async function recordOrFail(recorder: ClinicalRecorder, input: RecordInput): Promise<ClinicalEvent[]> {
  const outcome = await recorder.record(input);
  if (outcome.status === 'quarantined') {
    const code = outcome.code === 'GW_ERR_TEXT_UNSTORABLE' ? outcome.code : 'GW_ERR_EVENT_INVALID';
    throw new GatewayError(code, [outcome.reason], {
      issues: outcome.issues,
      quarantineId: outcome.quarantineId,
    });
  }
  if (outcome.status === 'duplicate') return [];
  return outcome.events;
}

/** What a write endpoint answers: the events it appended, by id and position. */
export function appendedSummary(events: readonly ClinicalEvent[]) {
  return {
    events: events.map((event) => ({ eventId: event.eventId, eventType: event.eventType, seq: event.seq })),
  };
}
