import { labResultFlags } from '../../kernel/events/schemas/lab.ts';

type LabFlag = (typeof labResultFlags)[number];

/**
 * Abnormal flags as HL7 v2 table 0078 and E1394 R.7 write them (L, H, LL,
 * HH, <, >, N, A, AA), split and trimmed; any other flag an analyzer sends
 * ("W", "HL") is kept for the result's note rather than dropped.
 */
export function labFlagsOf(parts: readonly string[]): { flags: LabFlag[]; unknownFlags: string[] } {
  const allowed = new Set<string>(labResultFlags);
  const all = parts.map((flag) => flag.trim()).filter((flag) => flag !== '');
  const flags = [...new Set(all.filter((flag): flag is LabFlag => allowed.has(flag)))].slice(0, 4);
  return { flags, unknownFlags: [...new Set(all.filter((flag) => !allowed.has(flag)))] };
}
