import { GatewayError } from '../errors.ts';

/** A ward of the clinic and its beds, in the order the bed board lists them. */
export interface Ward {
  name: string;
  beds: readonly string[];
}

/**
 * The demo ward matches the simulator's four monitors (gateway/simulator/,
 * Ward A beds A1-A4) with room for admissions, plus a maternity ward.
 */
export const defaultWardsSpec = 'Ward A:A1-A8;Maternity:M1-M4';

/** Most beds one range may expand to: a typo like "A1-A9999" is refused, not turned into a huge board. */
const MAX_BEDS_PER_WARD = 500;
const wardName = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,63}$/u;
const bedName = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
/** "A1-A8", "1-8", "M01-M12": one prefix (possibly empty) on both ends, numbers in between. */
const bedRange = /^([A-Za-z._-]*)([0-9]+)-([A-Za-z._-]*)([0-9]+)$/;

/**
 * Parses `NILECARE_WARDS`: wards separated by ";", each "name:beds" where
 * beds are separated by "," and each is a bed name ("B5") or a range
 * ("A1-A8", "1-8"). Refuses anything unclear with GW_ERR_OPTION_INVALID
 * naming the part at fault, so a typo stops the gateway at start rather than
 * admitting a patient to a bed that does not exist.
 */
export function parseWards(spec: string): Ward[] {
  const refuse = (why: string): never => {
    throw new GatewayError('GW_ERR_OPTION_INVALID', ['wards (NILECARE_WARDS)', why, JSON.stringify(spec)]);
  };
  const parts = spec
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) refuse('needs at least one ward, e.g. "Ward A:A1-A8;Maternity:M1-M4"');
  const wards: Ward[] = [];
  for (const part of parts) {
    const colon = part.lastIndexOf(':');
    if (colon < 0) refuse(`"${part}" has no ":" between the ward name and its beds`);
    const name = part.slice(0, colon).trim();
    if (!wardName.test(name))
      refuse(`ward name "${name}" must be 1-64 letters, digits, spaces, ".", "_" or "-"`);
    if (wards.some((ward) => ward.name === name)) refuse(`ward "${name}" is named twice`);
    const beds = part
      .slice(colon + 1)
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '')
      .flatMap((item) => expandBeds(item, name, refuse));
    if (beds.length === 0) refuse(`ward "${name}" has no beds`);
    if (beds.length > MAX_BEDS_PER_WARD) refuse(`ward "${name}" has more than ${MAX_BEDS_PER_WARD} beds`);
    const twice = beds.find((bed, index) => beds.indexOf(bed) !== index);
    if (twice !== undefined) refuse(`bed "${twice}" is listed twice in ward "${name}"`);
    wards.push({ name, beds });
  }
  return wards;
}

function expandBeds(item: string, ward: string, refuse: (why: string) => never): string[] {
  const range = bedRange.exec(item);
  if (!range) {
    if (!bedName.test(item))
      refuse(`bed "${item}" in ward "${ward}" must be 1-32 letters, digits, ".", "_" or "-"`);
    return [item];
  }
  const [, prefix = '', first = '', endPrefix = '', last = ''] = range;
  if (endPrefix !== '' && endPrefix !== prefix)
    refuse(`range "${item}" in ward "${ward}" must use one prefix on both ends`);
  const from = Number(first);
  const to = Number(last);
  if (to < from) refuse(`range "${item}" in ward "${ward}" runs backwards`);
  if (to - from + 1 > MAX_BEDS_PER_WARD)
    refuse(`range "${item}" in ward "${ward}" has more than ${MAX_BEDS_PER_WARD} beds`);
  // Keep zero padding as written: "M01-M12" gives M01 ... M12.
  const width = first.startsWith('0') ? first.length : 0;
  const beds: string[] = [];
  for (let number = from; number <= to; number += 1) {
    const bed = `${prefix}${String(number).padStart(width, '0')}`;
    if (!bedName.test(bed)) refuse(`bed "${bed}" in ward "${ward}" is not a valid bed name`);
    beds.push(bed);
  }
  return beds;
}

/** The ward of that name, or GW_ERR_WARD_UNKNOWN listing the configured ones. */
export function wardNamed(wards: readonly Ward[], name: string): Ward {
  const ward = wards.find((candidate) => candidate.name === name);
  if (!ward) throw new GatewayError('GW_ERR_WARD_UNKNOWN', [name, wards.map((w) => w.name).join(', ')]);
  return ward;
}
