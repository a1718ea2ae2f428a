import { fmt, t } from '../i18n/locale.ts';
import type { SparkPoint } from './sparkHours.ts';

const HOUR_MS = 3_600_000;
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 120;
const HEIGHT = 28;
const PAD = 3;

/**
 * A NEWS2 sparkline as inline SVG built with DOM calls (the CSP allows no
 * inline style: colours come from classes in app.css by band). One point per
 * hour over `hours` ending now; an hour without a score breaks the line.
 * Said in words too, for a screen reader: the aria-label lists the scores.
 */
export function news2Sparkline(points: readonly SparkPoint[], now: number, hours: number): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('role', 'img');
  const end = Math.floor(now / HOUR_MS) * HOUR_MS;
  const first = end - (hours - 1) * HOUR_MS;
  const top = Math.max(7, ...points.map((point) => point.total));
  const x = (t: string) =>
    PAD + ((Date.parse(t) - first) / HOUR_MS / Math.max(1, hours - 1)) * (WIDTH - 2 * PAD);
  const y = (total: number) => HEIGHT - PAD - (total / top) * (HEIGHT - 2 * PAD);
  const shown = points.filter((point) => Date.parse(point.t) >= first && Date.parse(point.t) <= end);
  // The threshold of an urgent response (total 5) as a faint line, so a rise to it reads at a glance.
  const threshold = document.createElementNS(SVG, 'line');
  for (const [name, value] of [
    ['x1', PAD],
    ['x2', WIDTH - PAD],
    ['y1', y(5)],
    ['y2', y(5)],
  ] as const)
    threshold.setAttribute(name, String(value));
  threshold.setAttribute('class', 'sparkline__threshold');
  svg.append(threshold);
  for (const run of runsOf(shown)) {
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute(
      'points',
      run.map((point) => `${x(point.t).toFixed(1)},${y(point.total).toFixed(1)}`).join(' '),
    );
    line.setAttribute('class', 'sparkline__line');
    svg.append(line);
  }
  for (const point of shown) {
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('cx', x(point.t).toFixed(1));
    dot.setAttribute('cy', y(point.total).toFixed(1));
    dot.setAttribute('r', '2');
    dot.setAttribute('class', `sparkline__dot sparkline__dot--${point.band}`);
    svg.append(dot);
  }
  const latest = shown.at(-1);
  svg.dataset.band = latest?.band ?? 'none';
  svg.setAttribute(
    'aria-label',
    shown.length
      ? t('news2.sparkline', { hours, scores: shown.map((point) => fmt.number(point.total, 0)).join(', ') })
      : t('news2.sparklineNone', { hours }),
  );
  return svg;
}

/** Consecutive hours as one run each: an hour without a score ends a run (a gap, not a line across it). */
function runsOf(points: readonly SparkPoint[]): SparkPoint[][] {
  const runs: SparkPoint[][] = [];
  let previous: number | undefined;
  for (const point of points) {
    const at = Date.parse(point.t);
    if (previous === undefined || at - previous > HOUR_MS) runs.push([]);
    runs.at(-1)?.push(point);
    previous = at;
  }
  return runs;
}
