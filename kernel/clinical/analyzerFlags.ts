/**
 * The abnormal flags of HL7 2.5.1 table 0078 that call for a critical-value
 * alert by themselves: the laboratory (its analyzer, its middleware) judged
 * the result critical against its own limits, whatever our rules know of the
 * test code or its unit (docs/architecture.md#alerts-follow-flags-and-measurement-time).
 */
export const criticalFlags = ['HH', 'LL', '>', '<', 'AA'] as const;
export type CriticalFlag = (typeof criticalFlags)[number];

export function isCriticalFlag(value: unknown): value is CriticalFlag {
  return criticalFlags.includes(value as CriticalFlag);
}

/** Flags that say "abnormal, not critical": they neither raise nor resolve an alert. */
const abnormalFlags = new Set(['H', 'L', 'A']);

/** Which way each critical flag points; AA (critically abnormal, a text result) has none. */
export const criticalFlagDirection: Record<CriticalFlag, 'low' | 'high' | undefined> = {
  HH: 'high',
  LL: 'low',
  '>': 'high',
  '<': 'low',
  AA: undefined,
};

/** The flag in words, as a reason the nurse and the on-call clinician read. */
export const criticalFlagMeaning: Record<CriticalFlag, { en: string; ar: string }> = {
  HH: { en: 'critically high', ar: 'مرتفع بشكل حرج' },
  LL: { en: 'critically low', ar: 'منخفض بشكل حرج' },
  '>': { en: 'above the measurable range', ar: 'فوق نطاق القياس' },
  '<': { en: 'below the measurable range', ar: 'تحت نطاق القياس' },
  AA: { en: 'critically abnormal', ar: 'غير طبيعي بشكل حرج' },
};

/** The critical flag among a result's flags, the first of table order HH, LL, >, <, AA. */
export function criticalFlagOf(flags: readonly string[] | undefined): CriticalFlag | undefined {
  return criticalFlags.find((flag) => flags?.includes(flag));
}

/** A flag of L, H or A: abnormal but not critical. */
export function hasAbnormalFlag(flags: readonly string[] | undefined): boolean {
  return flags?.some((flag) => abnormalFlags.has(flag)) ?? false;
}

/** "the analyzer flagged the result HH (critically high)": the reason an alert was raised by a flag. */
export function flagReason(flag: CriticalFlag): string {
  return `the analyzer flagged the result ${flag} (${criticalFlagMeaning[flag].en})`;
}
