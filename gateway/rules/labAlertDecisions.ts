import { type CriticalFlag, criticalFlagDirection } from '../../kernel/clinical/analyzerFlags.ts';
import { isWorse, type ThresholdBand } from '../../kernel/clinical/criticalValueRules.ts';
import type { AlertEpisodeDoc } from '../projections/alertEpisodes.ts';
import { type AlertReadingTime, isOlderThanEpisode } from './alertReadingTime.ts';
import type { LabRule } from './labCriticalValueRules.ts';
import { type LabJudgement, judgeLabResult, type LabValue } from './labResultJudgement.ts';

/** A critical result: by a rule's limit (`band`), the analyzer's flag, or both. */
export interface LabRaise {
  kind: 'raise';
  parameter: string;
  /** The rule whose limit the value crossed; absent when the flag alone raised it. */
  breach?: { rule: LabRule; band: ThresholdBand };
  flag?: CriticalFlag;
  direction?: 'low' | 'high';
  /** In the rule's unit when a rule judged it, else as reported. */
  value?: number;
  valueText?: string;
  unit?: string;
  supersedes?: AlertEpisodeDoc;
}

export type LabDecision =
  | LabRaise
  | { kind: 'resolve'; episode: AlertEpisodeDoc; value?: number }
  | { kind: 'none'; reason?: 'unit_unknown' | 'text_without_flag' | 'older_than_episode' };

/**
 * What one lab result does to its patient's alert episode for that parameter
 * (pure), as the vitals rules do: critical raises; critical the other way
 * supersedes; normal resolves; a repeat changes nothing. A rule and a flag on
 * the same test share one episode, the rule's parameter: critical when either
 * says so, normal only when both agree (docs/architecture.md#alerts-follow-flags-and-measurement-time).
 * A result measured before the episode's reading changes nothing; one whose
 * analyzer clock is implausible never resolves. `openEpisode` is undefined
 * for a result filed under the facility (no patient matched): such results
 * are from many patients, so each critical one raises its own alert and none
 * resolves one.
 */
export function decideLabAlert(
  result: LabValue,
  rules: readonly LabRule[],
  openEpisode: ((parameter: string) => AlertEpisodeDoc | undefined) | undefined,
  time: AlertReadingTime,
): LabDecision {
  const judgement = judgeLabResult(result, rules);
  const episode = openEpisode?.(judgement.parameter);
  if (episode && isOlderThanEpisode(time, episode.measuredAt))
    return { kind: 'none', reason: 'older_than_episode' };
  switch (judgement.verdict) {
    case 'critical': {
      const raise = raiseOf(result, judgement);
      if (!episode) return raise;
      const otherWay = raise.direction !== undefined && raise.direction !== episode.direction;
      return otherWay || isWorse('critical', episode.severity)
        ? { ...raise, supersedes: episode }
        : { kind: 'none' };
    }
    case 'normal':
      if (!episode || !time.plausible) return { kind: 'none' };
      return { kind: 'resolve', episode, ...numberOf(result, judgement) };
    case 'abnormal':
      return { kind: 'none' };
    case 'unknown':
      return { kind: 'none', reason: judgement.reason };
    default: {
      const unhandled: never = judgement;
      return unhandled;
    }
  }
}

/** The value to report: in the rule's unit when a rule judged it, else as the analyzer sent it. */
function numberOf(result: LabValue, judgement: LabJudgement): { value?: number } {
  if (judgement.judgedBy) return { value: judgement.judgedBy.value };
  return typeof result.value === 'number' ? { value: result.value } : {};
}

function raiseOf(result: LabValue, judgement: LabJudgement & { verdict: 'critical' }): LabRaise {
  const { band, flag, judgedBy } = judgement;
  const direction = band?.direction ?? (flag ? criticalFlagDirection[flag] : undefined);
  const unit = judgedBy ? judgedBy.rule.unit : result.unit;
  return {
    kind: 'raise',
    parameter: judgement.parameter,
    ...(band && judgedBy ? { breach: { rule: judgedBy.rule, band } } : {}),
    ...(flag ? { flag } : {}),
    ...(direction ? { direction } : {}),
    ...numberOf(result, judgement),
    ...(typeof result.value === 'string' ? { valueText: result.value } : {}),
    ...(unit ? { unit } : {}),
  };
}
