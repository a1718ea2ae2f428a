import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import type { JsonObject } from '../../kernel/events/json.ts';
import { validateDraft } from '../../kernel/events/validateEvent.ts';

/** A deterministic, well-formed UUID (version 7 layout) for test number `n`. */
export function testUuid(n: number): string {
  return `01900000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** An id source that counts: testUuid(1), testUuid(2), ... */
export function countingIds(start = 1): () => string {
  let next = start;
  return () => testUuid(next++);
}

export const testFacility = { facilityId: 'facility-test', tenantId: 'tenant-test' } as const;
export const nurse = { userId: 'nurse-7', userName: 'Sr. Hawa Adam', userRole: 'nurse' } as const;

export interface EventBuilderOptions {
  /** recordedAt (and by default timestamp) of the first event. */
  start?: string;
  /** Seconds between consecutive events. */
  stepSeconds?: number;
}

/**
 * Hand-built ClinicalEvents for pure projection and rule tests: seq counts up,
 * recordedAt advances by a fixed step, and every event is checked against the
 * catalogue, so a test cannot pass on an event the gateway would refuse.
 * (`hash` is a placeholder: projections do not read it.)
 */
export function eventBuilder(options: EventBuilderOptions = {}) {
  const start = Date.parse(options.start ?? '2025-03-01T08:00:00.000Z');
  const stepMs = (options.stepSeconds ?? 60) * 1000;
  let seq = 0;
  return {
    /** The time the next event will be recorded at. */
    nextAt(): string {
      return new Date(start + seq * stepMs).toISOString();
    },
    event(eventType: string, data: JsonObject, envelope: Partial<ClinicalEvent> = {}): ClinicalEvent {
      const recordedAt = new Date(start + seq * stepMs).toISOString();
      seq += 1;
      const event: ClinicalEvent = {
        eventId: testUuid(10_000 + seq),
        eventType,
        timestamp: recordedAt,
        version: '1.0',
        ...testFacility,
        source: 'gateway-service',
        data,
        gatewayId: 'gw-test',
        seq,
        recordedAt,
        hash: '0'.repeat(64),
        ...envelope,
      };
      const checked = validateDraft(event);
      if (!checked.ok)
        throw new Error(`hand-built ${eventType} is not a valid event: ${JSON.stringify(checked.issues)}`);
      return event;
    },
  };
}
