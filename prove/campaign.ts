/**
 * One reliability campaign of `npm run prove` (docs/reliability.md): many
 * randomised rounds of one kind of fault against real parts, checking the
 * guarantees of docs/architecture.md after each round. A campaign never
 * throws for a broken guarantee: it records a violation and goes on, so the
 * report counts them all.
 */
export interface CampaignOptions {
  /** `short` is the form `npm test` runs (a few rounds); `full` the form docs/reliability.md records. */
  size: 'short' | 'full';
  /** Overrides the campaign's own number of rounds (kills, cuts, inputs, minutes...) when set. */
  rounds: number | undefined;
  /** Seed of every random choice, printed in the report so a failing run can be repeated. */
  seed: number;
  /** Length of time-bound campaigns (the soak), in hours; undefined takes the campaign's default for the size. */
  hours: number | undefined;
  /** A scratch directory of the campaign's own, removed by the runner afterwards. */
  workDir: string;
  /** Progress lines for the person watching (stderr); never PHI. */
  progress: (line: string) => void;
}

/** A guarantee found broken: in which round, which guarantee, and what was seen. */
export interface Violation {
  round: number;
  guarantee: string;
  detail: string;
}

export interface CampaignReport {
  campaign: string;
  /** Rounds actually run (kills, cuts, inputs, minutes...), in the unit `roundUnit` names. */
  rounds: number;
  roundUnit: string;
  /** The campaign's figures for the report table and the JSON line (events, cuts, p99 ms...). */
  figures: Record<string, number | string | boolean>;
  violations: Violation[];
  /**
   * Set when part of the campaign could not run on this machine (no loop
   * devices, no `tc`): what was left out and what was done instead. Never
   * silent: the runner prints it and docs/reliability.md records it.
   */
  limitations: string[];
  durationMs: number;
}

export interface Campaign {
  name: string;
  /** One line for `npm run prove -- --help` and the report. */
  summary: string;
  run(options: CampaignOptions): Promise<CampaignReport>;
}
