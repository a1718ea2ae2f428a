/**
 * The invariant of a lab message (docs/devices.md#every-result-accounted-for):
 * every result in an acknowledged message is stored, quarantined with a
 * coded error, or a proven duplicate of what is stored. A driver counts
 * each outcome and acknowledges only when the sum is the message's count.
 */
export interface ResultTally {
  results: number;
  stored: number;
  quarantined: number;
  duplicate: number;
}

export type ResultOutcome = 'stored' | 'quarantined' | 'duplicate';

export function tallyOf(results: number, outcomes: readonly ResultOutcome[]): ResultTally {
  return {
    results,
    stored: outcomes.filter((outcome) => outcome === 'stored').length,
    quarantined: outcomes.filter((outcome) => outcome === 'quarantined').length,
    duplicate: outcomes.filter((outcome) => outcome === 'duplicate').length,
  };
}

export function accountedFor(tally: ResultTally): boolean {
  return tally.stored + tally.quarantined + tally.duplicate === tally.results;
}

/** "astm message 42: 84 results: 84 stored, 0 quarantined, 0 duplicate" (counts only: no PHI). */
export function tallyLine(protocol: 'astm' | 'hl7', messageId: string, tally: ResultTally): string {
  return `${protocol} message ${messageId}: ${tally.results} result${tally.results === 1 ? '' : 's'}: ${tally.stored} stored, ${tally.quarantined} quarantined, ${tally.duplicate} duplicate`;
}

/** Thrown before an acknowledgement that would claim more than was kept: the sender keeps its copy. */
export class UnaccountedResults extends Error {
  constructor(readonly tally: ResultTally) {
    super(
      `${tally.results} results received but ${tally.stored + tally.quarantined + tally.duplicate} accounted for: not acknowledged`,
    );
  }
}
