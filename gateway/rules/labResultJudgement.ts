import { type CriticalFlag, criticalFlagOf, hasAbnormalFlag } from '../../kernel/clinical/analyzerFlags.ts';
import { breaches, type ThresholdBand } from '../../kernel/clinical/criticalValueRules.ts';
import { inRuleUnit, type LabRule, labRuleFor } from './labCriticalValueRules.ts';

/** One lab result as the alert rules read it. */
export interface LabValue {
  testCode: string;
  /** A number, or text for a result that is not one ("POSITIVE"). */
  value: number | string;
  unit: string | undefined;
  /** HL7 2.5.1 table 0078 abnormal flags, as the analyzer sent them. */
  flags?: readonly string[];
}

/**
 * What a result says of its patient: critical (a rule's limit crossed, or an
 * analyzer's critical flag), normal (inside a rule's limits with no abnormal
 * flag, or flagged N, or an unflagged number no rule watches), abnormal but
 * not critical (L, H, A: neither raises nor resolves), or unknown (text with
 * no flag; a number in a unit the rule does not know, with no flag).
 */
export type LabVerdict =
  | { verdict: 'critical'; band?: ThresholdBand; flag?: CriticalFlag }
  | { verdict: 'normal' }
  | { verdict: 'abnormal' }
  | { verdict: 'unknown'; reason: 'unit_unknown' | 'text_without_flag' };

export type LabJudgement = LabVerdict & {
  /** The episode's parameter: the rule's ("potassium") when a rule knows the test code, else the code. */
  parameter: string;
  /** The rule that judged the number, with the value in its unit; absent when none could. */
  judgedBy?: { rule: LabRule; value: number };
};

/** How the gateway's rules and the analyzer's flags together judge one result (pure). */
export function judgeLabResult(result: LabValue, rules: readonly LabRule[]): LabJudgement {
  const rule = labRuleFor(result.testCode, rules);
  const parameter = rule?.parameter ?? result.testCode.toUpperCase();
  const value =
    rule && typeof result.value === 'number' ? inRuleUnit(rule, result.value, result.unit) : undefined;
  const judgedBy = rule && value !== undefined ? { rule, value } : undefined;
  const band = judgedBy?.rule.bands.find((candidate) => breaches(candidate, judgedBy.value));
  const flag = criticalFlagOf(result.flags);
  const base = { parameter, ...(judgedBy ? { judgedBy } : {}) };
  if (band || flag)
    return { ...base, verdict: 'critical', ...(band ? { band } : {}), ...(flag ? { flag } : {}) };
  if (hasAbnormalFlag(result.flags)) return { ...base, verdict: 'abnormal' };
  if (judgedBy || result.flags?.includes('N')) return { ...base, verdict: 'normal' };
  if (typeof result.value !== 'number') return { ...base, verdict: 'unknown', reason: 'text_without_flag' };
  return rule ? { ...base, verdict: 'unknown', reason: 'unit_unknown' } : { ...base, verdict: 'normal' };
}
