import type { News2Score } from '../../../kernel/clinical/news2.ts';
import { news2Badge } from './news2Badge.ts';

/** The chart's NEWS2 as the gateway scored it (latestVitals.news2). */
export function news2Now(score: News2Score | undefined): HTMLElement {
  const badge = news2Badge();
  badge.update(score);
  return badge.element;
}
