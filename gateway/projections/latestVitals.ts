import type { ConsciousnessLevel } from '../../kernel/clinical/news2Chart.ts';
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import type { VitalParameter } from '../../kernel/events/schemas/vitals.ts';
import { vitalParameters } from '../../kernel/events/schemas/vitals.ts';
import { dataOf, type Projection } from './projection.ts';
import { subjectOf } from './vitalsSubject.ts';

export interface VitalReading {
  value: number;
  unit: string;
  measuredAt: string;
  recordedAt: string;
  method: 'device' | 'manual';
  deviceId?: string;
  eventId: string;
}

export interface LatestVitalsDoc {
  subjectId: string;
  patientId?: string;
  deviceId?: string;
  bed?: string;
  parameters: Partial<Record<VitalParameter, VitalReading>>;
  /** The latest air-or-oxygen and ACVPU observations (entered by hand), for NEWS2. */
  supplementalOxygen?: Observation<boolean>;
  consciousness?: Observation<ConsciousnessLevel>;
  updatedAt: string;
}

/** A NEWS2 observation that is not a quantity: what was seen, when, and in which event. */
export interface Observation<Value> {
  value: Value;
  measuredAt: string;
  recordedAt: string;
  eventId: string;
}

interface VitalsData {
  method: 'device' | 'manual';
  deviceId?: string;
  bed?: string;
  measuredAt: string;
  supplementalOxygen?: boolean;
  consciousness?: ConsciousnessLevel;
  [parameter: string]: unknown;
}

/**
 * When a reading counts as taken, for ordering: its device time, but never
 * later than the gateway stored it. A device clock running ahead would
 * otherwise hide every later reading until its false time had passed.
 */
export function orderingTime(measuredAt: string, recordedAt: string): number {
  return Math.min(Date.parse(measuredAt), Date.parse(recordedAt));
}

/** The latest value of each vital sign per patient (or unbound device). */
export const latestVitalsProjection: Projection<LatestVitalsDoc> = {
  name: 'latestVitals',
  // 2: measurement times compared as instants (Date.parse), not as text.
  // 4: keeps the latest supplemental oxygen and consciousness, for NEWS2.
  version: 4,
  docIdsOf(event) {
    const subject = event.eventType === 'vital_signs_recorded' ? subjectOf(event) : undefined;
    return subject ? [subject] : [];
  },
  evolve(doc, event) {
    const data = dataOf<VitalsData>(event);
    const parameters = { ...doc?.parameters };
    for (const name of vitalParameters) {
      const quantity = data[name] as { value: number; unit: string } | undefined;
      if (!quantity) continue;
      const previous = parameters[name];
      // A late reading (measured before the one shown) does not replace a newer one.
      // Compared as instants: device clocks write offsets (+02:00) and fractions or not.
      if (
        previous &&
        orderingTime(previous.measuredAt, previous.recordedAt) >
          orderingTime(data.measuredAt, event.recordedAt)
      )
        continue;
      parameters[name] = {
        value: quantity.value,
        unit: quantity.unit,
        measuredAt: data.measuredAt,
        recordedAt: event.recordedAt,
        method: data.method,
        ...(data.deviceId ? { deviceId: data.deviceId } : {}),
        eventId: event.eventId,
      };
    }
    const supplementalOxygen = latestObservation(
      doc?.supplementalOxygen,
      data.supplementalOxygen,
      data,
      event,
    );
    const consciousness = latestObservation(doc?.consciousness, data.consciousness, data, event);
    return {
      subjectId: subjectOf(event)!,
      ...(event.patientId ? { patientId: event.patientId } : {}),
      ...(data.deviceId ? { deviceId: data.deviceId } : doc?.deviceId ? { deviceId: doc.deviceId } : {}),
      ...(data.bed ? { bed: data.bed } : doc?.bed ? { bed: doc.bed } : {}),
      parameters,
      ...(supplementalOxygen ? { supplementalOxygen } : {}),
      ...(consciousness ? { consciousness } : {}),
      updatedAt: event.recordedAt,
    };
  },
};

/** The observation the event carries, unless the one kept was measured later (as for the quantities). */
function latestObservation<Value>(
  previous: Observation<Value> | undefined,
  value: Value | undefined,
  data: VitalsData,
  event: ClinicalEvent,
): Observation<Value> | undefined {
  if (value === undefined) return previous;
  if (
    previous &&
    orderingTime(previous.measuredAt, previous.recordedAt) > orderingTime(data.measuredAt, event.recordedAt)
  )
    return previous;
  return { value, measuredAt: data.measuredAt, recordedAt: event.recordedAt, eventId: event.eventId };
}
