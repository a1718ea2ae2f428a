import { GatewayError } from '../errors.ts';
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import type { ClinicalRecorder, RecordInput } from '../recording/clinicalRecorder.ts';

/** Records through the write side; a refused draft becomes a coded 422 with the issues. */
export async function recordOrFail(recorder: ClinicalRecorder, input: RecordInput): Promise<ClinicalEvent[]> {
  const outcome = await recorder.record(input);
  if (outcome.status === 'quarantined') {
    throw new GatewayError('GW_ERR_EVENT_INVALID', [outcome.reason], {
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
