import type { AlertEpisodeDoc } from '../projections/alertEpisodes.ts';
import {
  type ParameterRule,
  type ThresholdBand,
  hasRecovered,
  isWorse,
  worstBreach,
} from '../../kernel/clinical/criticalValueRules.ts';

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
 * changes nothing.
 */
export function decideAlerts(
  values: readonly ReadingValue[],
  rules: readonly ParameterRule[],
  openEpisode: (parameter: string) => AlertEpisodeDoc | undefined,
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
    if (band && (band.direction !== episode.direction || isWorse(band.severity, episode.severity))) {
      decisions.push({ kind: 'raise', rule, band, value, supersedes: episode });
    } else if (!band && hasRecovered(rule, episode.direction, value)) {
      decisions.push({ kind: 'resolve', episode, value });
    }
  }
  return decisions;
}
