import type { HandoverPatient } from '../http/apiContract.ts';

/**
 * The handover's order: by ward, then bed, as the clinic's wards are
 * configured (the walk round the ward); wards and beds the configuration no
 * longer lists come after, by name, and a patient without a ward or bed last.
 */
export function byWardAndBed(wards: readonly { name: string; beds: readonly string[] }[]) {
  const wardRank = (ward: string | undefined) =>
    rankIn(
      wards.map((entry) => entry.name),
      ward,
    );
  const bedRank = (ward: string | undefined, bed: string | undefined) =>
    rankIn(wards.find((entry) => entry.name === ward)?.beds ?? [], bed);
  return (a: HandoverPatient, b: HandoverPatient): number =>
    wardRank(a.ward) - wardRank(b.ward) ||
    (a.ward ?? '').localeCompare(b.ward ?? '') ||
    bedRank(a.ward, a.bed) - bedRank(b.ward, b.bed) ||
    (a.bed ?? '').localeCompare(b.bed ?? '', 'en', { numeric: true }) ||
    a.patientId.localeCompare(b.patientId);
}

function rankIn(list: readonly string[], name: string | undefined): number {
  if (name === undefined) return list.length + 1;
  const index = list.indexOf(name);
  return index === -1 ? list.length : index;
}
