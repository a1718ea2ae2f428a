import { type Hl7Message, type Hl7Segment, fieldValue } from './hl7Message.ts';

/**
 * The parts of an ORU^R01 (HL7 v2.5 section 7.3.1) a mapping needs, in
 * message order: each PATIENT_RESULT group (PID, PV1) and its
 * ORDER_OBSERVATION groups (OBR, its OBX, and the SPM of its SPECIMEN group,
 * which follows the OBXs).
 */
export interface OrderGroup {
  /** The ORC before the OBR (common order: placer and filler order numbers, ORC-2 and ORC-3). */
  orc?: Hl7Segment;
  obr: Hl7Segment | undefined;
  observations: Hl7Segment[];
  specimen: Hl7Segment | undefined;
  /** The NTE segments that follow each OBX (comments on that observation). */
  notes: Map<Hl7Segment, Hl7Segment[]>;
}

export interface PatientGroup {
  pid: Hl7Segment | undefined;
  pv1: Hl7Segment | undefined;
  orders: OrderGroup[];
}

export function oruGroups(message: Hl7Message): PatientGroup[] {
  const patients: PatientGroup[] = [];
  let patient: PatientGroup | undefined;
  let order: OrderGroup | undefined;
  let orc: Hl7Segment | undefined;
  const currentPatient = () => {
    if (!patient) {
      patient = { pid: undefined, pv1: undefined, orders: [] };
      patients.push(patient);
    }
    return patient;
  };
  const currentOrder = () => {
    if (!order) {
      order = { obr: undefined, observations: [], specimen: undefined, notes: new Map() };
      currentPatient().orders.push(order);
    }
    return order;
  };
  for (const segment of message.segments) {
    switch (segment.name) {
      case 'PID':
        patient = { pid: segment, pv1: undefined, orders: [] };
        patients.push(patient);
        order = undefined;
        break;
      case 'PV1':
        currentPatient().pv1 = segment;
        break;
      case 'ORC':
        orc = segment;
        break;
      case 'OBR':
        order = {
          ...(orc ? { orc } : {}),
          obr: segment,
          observations: [],
          specimen: undefined,
          notes: new Map(),
        };
        orc = undefined;
        currentPatient().orders.push(order);
        break;
      case 'OBX':
        // Every OBX is a result to account for: one after the SPM (HL7 2.5.1's SPECIMEN group, or
        // a sender that writes SPM before its results) is still an observation of this order.
        currentOrder().observations.push(segment);
        break;
      case 'NTE': {
        const observation = order?.observations.at(-1);
        if (order && observation)
          order.notes.set(observation, [...(order.notes.get(observation) ?? []), segment]);
        break;
      }
      case 'SPM': {
        const group = currentOrder();
        group.specimen ??= segment;
        break;
      }
    }
  }
  return patients;
}

/** PID-3 identifiers (CX.1 of each repetition), as sent. */
export function patientIdentifiers(pid: Hl7Segment | undefined): string[] {
  const count = pid?.fields[3]?.length ?? 0;
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const id = fieldValue(pid, 3, 1, index).trim();
    if (id !== '') ids.push(id);
  }
  return ids;
}
