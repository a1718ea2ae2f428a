import type { AlertEpisodeDoc } from '../projections/alertEpisodes.ts';
import {
  type ParameterRule,
  type ThresholdBand,
  hasRecovered,
  isWorse,
  worstBreach,
} from '../../kernel/clinical/criticalValueRules.ts';
import { type AlertReadingTime, isOlderThanEpisode } from './alertReadingTime.ts';

export interface ReadingValue {
  parameter: string;
  value: number;
}

export type AlertDecision =
  | { kind: 'raise'; rule: ParameterRule; band: ThresholdBand; value: number; supersedes?: AlertEpisodeDoc }
  | { kind: 'resolve'; episode: AlertEpisodeDoc; value: number };

/**
 * One alert per episode, not one per reading (pure): a first breach raises;
 * a worse breach (higher severity, or the other direction) raises again and
 * supersedes; a value back in range, with hysteresis, resolves; anything else
 * changes nothing. Decisions follow measurement time
 * (docs/architecture.md#alerts-follow-flags-and-measurement-time): a reading
 * older than the one that opened or last worsened the episode changes
 * nothing, and one whose device clock is implausible never resolves.
 */
export function decideAlerts(
  values: readonly ReadingValue[],
  rules: readonly ParameterRule[],
  openEpisode: (parameter: string) => AlertEpisodeDoc | undefined,
  time: AlertReadingTime,
): AlertDecision[] {
  const decisions: AlertDecision[] = [];
  for (const { parameter, value } of values) {
    const rule = rules.find((candidate) => candidate.parameter === parameter);
    if (!rule) continue;
    const episode = openEpisode(parameter);
    const band = worstBreach(rule, value);
    if (!episode) {
      if (band) decisions.push({ kind: 'raise', rule, band, value });
      continue;
    }
    if (isOlderThanEpisode(time, episode.measuredAt)) continue;
    if (band && (band.direction !== episode.direction || isWorse(band.severity, episode.severity))) {
      decisions.push({ kind: 'raise', rule, band, value, supersedes: episode });
    } else if (!band && time.plausible && recovered(rule, episode, value)) {
      decisions.push({ kind: 'resolve', episode, value });
    }
  }
  return decisions;
}

/** Back in range for the episode's direction (a vital-sign episode always has one). */
function recovered(rule: ParameterRule, episode: AlertEpisodeDoc, value: number): boolean {
  return episode.direction === undefined || hasRecovered(rule, episode.direction, value);
}
