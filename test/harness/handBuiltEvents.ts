import { specOf } from '../../kernel/events/catalogue.ts';
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import { type DraftStamp, eventDraft } from '../../kernel/events/eventDraft.ts';
import type { JsonObject } from '../../kernel/events/json.ts';
import { type VitalParameter, vitalParameterSpecs } from '../../kernel/events/schemas/vitals.ts';
import { validateDraft } from '../../kernel/events/validateEvent.ts';
import { exampleData } from './exampleDrafts.ts';

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

/** The envelope fields a test chooses; `patientId: undefined` leaves out a default patient. */
export type EventEnvelope = Partial<
  Pick<
    DraftStamp,
    'patientId' | 'patientMRN' | 'userId' | 'userName' | 'userRole' | 'correlationId' | 'causationId'
  >
> & { source?: string };

export interface EventBuilderOptions {
  /** recordedAt (and timestamp) of the first event. */
  start?: string;
  /** Seconds between consecutive events. */
  stepSeconds?: number;
  /** Envelope fields of every event (a patient, a source), each event's own envelope winning. */
  envelope?: EventEnvelope;
}

/**
 * The fields the catalogue requires of `eventType`'s data, so a test names
 * only what it is about: the times at which it happened are the time it is
 * recorded, the rest come from the type's example (exampleDrafts.ts).
 */
function requiredData(eventType: string, at: string, given: JsonObject): JsonObject {
  const schema = specOf(eventType)?.dataSchema as
    | {
        required?: readonly string[];
        anyOf?: readonly { required?: readonly string[] }[];
        properties?: Record<string, { format?: string }>;
      }
    | undefined;
  const example = exampleData[eventType] ?? {};
  const data: JsonObject = {};
  // Where the schema asks for one of several sets of fields (anyOf), the first set, unless
  // the test's own fields complete one (a flag-raised alert names its flag, not a threshold).
  const sets = schema?.anyOf ?? [];
  const completed = sets.some((set) => set.required?.every((field) => given[field] !== undefined));
  const oneOfSets = completed ? [] : (sets[0]?.required ?? []);
  for (const field of [...(schema?.required ?? []), ...oneOfSets]) {
    const value = schema?.properties?.[field]?.format === 'date-time' ? at : example[field];
    if (value !== undefined) data[field] = structuredClone(value);
  }
  return data;
}

/** Event types the gateway's projections, sagas and rules read, each with a builder named after it. */
const namedEventTypes = [
  'patient_registered',
  'patient_updated',
  'patient_admitted',
  'patient_transferred',
  'patient_discharged',
  'encounter_created',
  'encounter_updated',
  'encounter_closed',
  'vital_signs_recorded',
  'device_connected',
  'device_disconnected',
  'device_alert_triggered',
  'critical_value_detected',
  'alert_acknowledged',
  'alert_escalated',
  'alert_resolved',
  'lab_result_available',
  'admission_saga_started',
  'bed_reserved',
  'bed_released',
  'care_team_notified',
  'admission_saga_completed',
  'admission_saga_step_failed',
  'admission_saga_failed',
] as const;

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;
type BuildOne = (data?: JsonObject, envelope?: EventEnvelope) => ClinicalEvent;
type NamedBuilders = { [T in (typeof namedEventTypes)[number] as CamelCase<T>]: BuildOne };

const camelCase = (eventType: string) =>
  eventType.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * Hand-built ClinicalEvents for pure projection, saga and rule tests, made by
 * the one envelope factory (kernel/events/eventDraft.ts): seq counts up,
 * recordedAt advances by a fixed step, `data` is what the test gives over the
 * fields the catalogue requires, and every event is checked against the
 * catalogue, so a test cannot pass on an event the gateway would refuse.
 * (`hash` is a placeholder: projections do not read it.)
 *
 *     const build = eventBuilder({ envelope: { patientId: 'p-1' } });
 *     build.patientAdmitted({ encounterId: 'enc-1', ward: 'Ward A', bed: 'A-3' });
 */
export function eventBuilder(options: EventBuilderOptions = {}) {
  const start = Date.parse(options.start ?? '2025-03-01T08:00:00.000Z');
  const stepMs = (options.stepSeconds ?? 60) * 1000;
  let seq = 0;
  const nextAt = (): string => new Date(start + seq * stepMs).toISOString();

  function event(eventType: string, data: JsonObject = {}, envelope: EventEnvelope = {}): ClinicalEvent {
    const recordedAt = nextAt();
    seq += 1;
    const { source, ...fields } = { ...options.envelope, ...envelope };
    const draft = eventDraft(
      {
        eventId: testUuid(10_000 + seq),
        eventType,
        timestamp: recordedAt,
        facility: testFacility,
        source: source ?? 'gateway-service',
        ...fields,
      },
      { ...requiredData(eventType, recordedAt, data), ...data },
    );
    const built: ClinicalEvent = { ...draft, gatewayId: 'gw-test', seq, recordedAt, hash: '0'.repeat(64) };
    const checked = validateDraft(built);
    if (!checked.ok)
      throw new Error(`hand-built ${eventType} is not a valid event: ${JSON.stringify(checked.issues)}`);
    return built;
  }

  const named = Object.fromEntries(
    namedEventTypes.map((eventType) => [
      camelCase(eventType),
      (data?: JsonObject, envelope?: EventEnvelope) => event(eventType, data, envelope),
    ]),
  ) as NamedBuilders;
  return {
    /** The time the next event will be recorded at. */
    nextAt,
    event,
    ...named,
  };
}

/** Vital signs as `vital_signs_recorded` carries them, each in its catalogue unit: `vitals({ heartRate: 80 })`. */
export function vitals(values: Partial<Record<VitalParameter, number>>): JsonObject {
  return Object.fromEntries(
    Object.entries(values).map(([parameter, value]) => [
      parameter,
      { value, unit: vitalParameterSpecs[parameter as VitalParameter].unit },
    ]),
  ) as JsonObject;
}

export type EventBuilder = ReturnType<typeof eventBuilder>;
