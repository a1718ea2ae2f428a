import { isWorse } from '../../kernel/clinical/criticalValueRules.ts';
import type { News2Score } from '../../kernel/clinical/news2.ts';
import {
  type News2AggregateRule,
  type News2AlertLevel,
  news2AlertLevel,
  news2HasRecovered,
} from '../../kernel/clinical/news2AggregateRule.ts';
import type { AlertEpisodeDoc } from '../projections/alertEpisodes.ts';
import { type AlertReadingTime, isOlderThanEpisode } from './alertReadingTime.ts';

export type News2AlertDecision =
  | { kind: 'raise'; level: News2AlertLevel; score: News2Score; supersedes?: AlertEpisodeDoc }
  | { kind: 'resolve'; episode: AlertEpisodeDoc; score: News2Score };

/**
 * The NEWS2 aggregate-score episode, decided as the single-parameter episodes
 * are (alertEpisodeDecisions.ts, pure): a complete score that calls for a
 * response raises; a worse one (urgent to emergency) raises again and
 * supersedes; a complete score back below the urgent total by the rule's
 * hysteresis, with no single 3, resolves; anything else changes nothing.
 * An incomplete score (a parameter never observed, or older than the
 * freshness window) neither raises nor resolves: it cannot say the patient is
 * well or unwell. Decisions follow measurement time
 * (docs/architecture.md#alerts-follow-flags-and-measurement-time): a reading
 * older than the one that opened or last worsened the episode changes
 * nothing, and one whose device clock is implausible never resolves.
 */
export function decideNews2Alert(
  score: News2Score,
  episode: AlertEpisodeDoc | undefined,
  time: AlertReadingTime,
  rule: News2AggregateRule,
): News2AlertDecision | undefined {
  const level = news2AlertLevel(score, rule);
  if (!episode) return level ? { kind: 'raise', level, score } : undefined;
  if (isOlderThanEpisode(time, episode.measuredAt)) return undefined;
  if (level && isWorse(level.severity, episode.severity))
    return { kind: 'raise', level, score, supersedes: episode };
  if (!level && time.plausible && news2HasRecovered(score, rule)) return { kind: 'resolve', episode, score };
  return undefined;
}
