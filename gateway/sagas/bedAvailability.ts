import { type Ward, wardNamed } from '../config/wards.ts';
import { GatewayError } from '../errors.ts';
import { type BedBoardDoc, bedHold } from '../projections/beds.ts';

/**
 * The bed a patient may take in a ward: the one asked for if it is a bed of
 * the ward and nobody else holds it, or else the first free bed in the order
 * the configuration lists them. Throws the coded error that says why not.
 * `holder` is the saga (or patient) whose own hold does not count against it.
 */
export function chooseBed(
  wards: readonly Ward[],
  board: BedBoardDoc | undefined,
  request: { ward: string; bed?: string | undefined },
  holder: { sagaId?: string; patientId?: string } = {},
): string {
  const ward = wardNamed(wards, request.ward);
  const isMine = (bed: string) => {
    const hold = bedHold(board, ward.name, bed);
    if (!hold) return true;
    if (holder.sagaId !== undefined && hold.sagaId === holder.sagaId) return true;
    return holder.patientId !== undefined && hold.patientId === holder.patientId && hold.state === 'occupied';
  };
  if (request.bed !== undefined) {
    if (!ward.beds.includes(request.bed))
      throw new GatewayError('GW_ERR_BED_UNKNOWN', [request.bed, ward.name]);
    const hold = bedHold(board, ward.name, request.bed);
    if (!isMine(request.bed) && hold)
      throw new GatewayError('GW_ERR_BED_UNAVAILABLE', [request.bed, ward.name, hold.state], {
        ward: ward.name,
        bed: request.bed,
        state: hold.state,
      });
    return request.bed;
  }
  const free = ward.beds.find((bed) => bedHold(board, ward.name, bed) === undefined);
  if (free === undefined) throw new GatewayError('GW_ERR_WARD_FULL', [ward.name]);
  return free;
}
