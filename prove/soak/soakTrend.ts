import type { Violation } from '../campaign.ts';

/** One sample of the soak: when, and each figure's value. */
export interface SoakSample {
  atMs: number;
  figures: Record<string, number>;
}

/**
 * How far a figure may rise: `perHour` is the stated tolerance of its
 * least-squares slope; `floor` is the rise over the whole measured window
 * that is still noise (a short run's hundred seconds make any wobble a steep
 * slope per hour).
 */
export interface Tolerance {
  perHour: number;
  floor: number;
  unit: string;
}

/** The soak's tolerances (docs/reliability.md#soak). */
export const soakTolerances: Record<string, Tolerance> = {
  rssMb: { perHour: 10, floor: 40, unit: 'MB' },
  heapUsedMb: { perHour: 5, floor: 30, unit: 'MB' },
  openFds: { perHour: 2, floor: 20, unit: 'fds' },
  walMb: { perHour: 8, floor: 64, unit: 'MB' },
  eventLoopP99Ms: { perHour: 5, floor: 25, unit: 'ms' },
  alertP99Ms: { perHour: 20, floor: 250, unit: 'ms' },
};

/** Least-squares slope of y over x. */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (const { x, y } of points) {
    numerator += (x - meanX) * (y - meanY);
    denominator += (x - meanX) ** 2;
  }
  return denominator === 0 ? 0 : numerator / denominator;
}

/** Each figure's slope per hour over the samples taken from `fromMs` on (the warm-up left out). */
export function slopesPerHour(samples: readonly SoakSample[], fromMs: number): Record<string, number> {
  const kept = samples.filter((sample) => sample.atMs >= fromMs);
  const names = new Set(kept.flatMap((sample) => Object.keys(sample.figures)));
  return Object.fromEntries(
    [...names].map((name) => [
      name,
      slope(
        kept
          .filter((sample) => Number.isFinite(sample.figures[name]))
          .map((sample) => ({ x: sample.atMs / 3_600_000, y: sample.figures[name]! })),
      ),
    ]),
  );
}

/**
 * A violation for each figure that trends upward beyond its tolerance after
 * the warm-up: its slope times the measured window is over both its
 * per-hour tolerance for that window and its noise floor.
 */
export function upwardTrends(
  samples: readonly SoakSample[],
  fromMs: number,
  tolerances: Record<string, Tolerance> = soakTolerances,
): Violation[] {
  const kept = samples.filter((sample) => sample.atMs >= fromMs);
  if (kept.length < 3) return [];
  const windowHours = (kept[kept.length - 1]!.atMs - kept[0]!.atMs) / 3_600_000;
  const slopes = slopesPerHour(samples, fromMs);
  const violations: Violation[] = [];
  for (const [name, tolerance] of Object.entries(tolerances)) {
    const perHour = slopes[name];
    if (perHour === undefined) continue;
    const rise = perHour * windowHours;
    if (rise > Math.max(tolerance.perHour * windowHours, tolerance.floor))
      violations.push({
        round: kept.length,
        guarantee: 'no figure trends upward after the warm-up',
        detail: `${name} rises ${perHour.toFixed(1)} ${tolerance.unit}/h (${rise.toFixed(1)} ${tolerance.unit} over ${(windowHours * 60).toFixed(1)} min; tolerance ${tolerance.perHour} ${tolerance.unit}/h, noise floor ${tolerance.floor} ${tolerance.unit})`,
      });
  }
  return violations;
}
