import type { Bed, Patient } from '../model.ts';

/** One place on the ward board: a bed (taken or free) or an admitted patient without a bed. */
export interface BoardSlot {
  key: string;
  ward: string;
  bed?: string;
  state: 'free' | 'reserved' | 'occupied';
  patient?: Patient;
}

/**
 * The board's places: the gateway's bed list in its order, then admitted
 * patients it does not name, by ward and bed. With the gateway's bed list
 * every bed is shown, free ones too; without it (a gateway that has none),
 * the admitted patients' beds. An admitted patient the bed list does not
 * name still gets a place: nobody admitted may be missing from the board.
 */
export function boardSlots(patients: readonly Patient[], beds: readonly Bed[] | undefined): BoardSlot[] {
  const admitted = patients.filter((patient) => patient.status === 'admitted');
  const byId = new Map(admitted.map((patient) => [patient.patientId, patient]));
  const slots: BoardSlot[] = [];
  const placed = new Set<string>();
  for (const bed of beds ?? []) {
    const patient = bed.patientId ? byId.get(bed.patientId) : undefined;
    if (patient) placed.add(patient.patientId);
    slots.push({
      key: `bed:${bed.ward}/${bed.bed}`,
      ward: bed.ward,
      bed: bed.bed,
      state: bed.state,
      ...(patient ? { patient } : {}),
    });
  }
  for (const patient of admitted) {
    if (placed.has(patient.patientId)) continue;
    slots.push({
      key: `patient:${patient.patientId}`,
      ward: patient.ward ?? '',
      ...(patient.bed ? { bed: patient.bed } : {}),
      state: 'occupied',
      patient,
    });
  }
  // The bed list comes in the clinic's own order (its ward configuration); the rest by ward and bed.
  const collator = new Intl.Collator('en', { numeric: true });
  const configured = slots.filter((slot) => slot.key.startsWith('bed:'));
  const others = slots
    .filter((slot) => !slot.key.startsWith('bed:'))
    .sort(
      (a, b) =>
        collator.compare(a.ward, b.ward) ||
        Number(a.bed === undefined) - Number(b.bed === undefined) ||
        collator.compare(a.bed ?? '', b.bed ?? ''),
    );
  return [...configured, ...others];
}
