import type { AlertSeverity } from './criticalValueRules.ts';
import type { News2Band, News2Parameter, News2Score, Spo2Scale } from './news2.ts';
import type { ParameterScore } from './news2Chart.ts';

/**
 * The aggregate-score alert of NEWS2 (Royal College of Physicians, London,
 * 2017, chart 2, clinical response): a total of 5 or more, or a score of 3 in
 * any single parameter, calls for an urgent review; a total of 7 or more for
 * an emergency response. The two map onto the alert severities there are:
 * urgent is `warning` (IEC 60601-1-8 medium priority), emergency is
 * `critical` (high priority).
 */
export interface News2AggregateRule {
  ruleId: string;
  /** The total from which an urgent review is due. */
  urgentTotal: number;
  /** The total from which an emergency response is due. */
  emergencyTotal: number;
  /**
   * How far apart (seconds) the observations of one score may have been
   * measured: the chart scores a set taken together, so an observation older
   * than this before the newest one counts as missing, not as current.
   */
  freshnessSeconds: number;
  /**
   * How far below the urgent total (points) the score must come before the
   * episode resolves, as the single-parameter rules' hysteresis does: a
   * score hovering at 4-5 does not open and close alerts on every reading.
   */
  hysteresis: number;
}

export const news2AggregateRule: News2AggregateRule = {
  ruleId: 'news2-aggregate',
  urgentTotal: 5,
  emergencyTotal: 7,
  freshnessSeconds: 3600, // s: one hour, the closest observation interval the chart asks for
  hysteresis: 1,
};

/** The parameter name of an aggregate episode, beside the vital signs' names. */
export const news2AlertParameter = 'news2';

/** What the score calls for: `trigger` says whether the total or a single 3 did. */
export interface News2AlertLevel {
  severity: AlertSeverity;
  trigger: 'total' | 'singleParameter';
  /** The total that triggered it; absent when a single parameter's 3 did. */
  threshold?: number;
}

/** The alert a complete score calls for, or undefined (pure). */
export function news2AlertLevel(score: News2Score, rule: News2AggregateRule): News2AlertLevel | undefined {
  if (!score.complete) return undefined;
  if (score.total >= rule.emergencyTotal)
    return { severity: 'critical', trigger: 'total', threshold: rule.emergencyTotal };
  if (score.total >= rule.urgentTotal)
    return { severity: 'warning', trigger: 'total', threshold: rule.urgentTotal };
  if (Object.values(score.scores).includes(3)) return { severity: 'warning', trigger: 'singleParameter' };
  return undefined;
}

/** Back below the urgent total by the hysteresis, with no parameter scoring 3, from a complete score. */
export function news2HasRecovered(score: News2Score, rule: News2AggregateRule): boolean {
  return (
    score.complete &&
    score.total < rule.urgentTotal - rule.hysteresis &&
    !Object.values(score.scores).includes(3)
  );
}

/** The score an aggregate-score alert carries (critical_value_detected `news2`): complete, so every parameter scored. */
export interface News2AlertScore {
  total: number;
  band: News2Band;
  scores: Record<News2Parameter, ParameterScore>;
  spo2Scale: Spo2Scale;
  trigger: News2AlertLevel['trigger'];
}
