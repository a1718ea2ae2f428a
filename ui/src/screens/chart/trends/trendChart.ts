import uPlot from 'uplot';
import { vitalParameterSpecs } from '../../../../../kernel/events/schemas/vitals.ts';
import { h, setText } from '../../../dom.ts';
import { locale, t } from '../../../i18n/locale.ts';
import { unitLabel, vitalLabel, vitalValue } from '../../../vitalLabels.ts';
import { cursorIndexAfter } from './cursorKeys.ts';
import { clockText, timeAxisLabels, valueAxisLabels } from './trendAxis.ts';
import { drawAlertMarks, drawThresholds } from './trendCanvas.ts';
import { trendColours } from './trendColours.ts';
import {
  type BucketValues,
  bucketsWithData,
  isolatedIndices,
  latestOf,
  type PanelData,
  seriesValues,
} from './trendData.ts';
import { axisRange, type TrendPanel } from './trendPanels.ts';
import { type ReadoutWords, readoutAt } from './trendReadout.ts';

const PLOT_HEIGHT_PX = 150;
/** Noto Sans carries the Latin and the Arabic digits; the canvas needs it named (it does not inherit CSS). */
const AXIS_FONT = '12px "Noto Sans", "Noto Sans Arabic", system-ui, sans-serif';

export interface TrendChart {
  element: HTMLElement;
  update(data: PanelData): void;
  destroy(): void;
}

/** Dots only where a line cannot show a value: a bucket with a reading between two without. */
const isolatedPoints: uPlot.Series.Points.Filter = (self, seriesIdx) =>
  isolatedIndices(self.data[seriesIdx] as BucketValues);

/** The panel's title: its vital sign (or blood pressure, or NEWS2) and the unit. */
function titleOf(panel: TrendPanel): string {
  const [first] = panel.parameters;
  if (!first) return t('news2.label');
  const name = panel.parameters.length > 1 ? t('trends.bloodPressure') : vitalLabel(first);
  return `${name} · ${unitLabel(vitalParameterSpecs[first].unit)}`;
}

/** uPlot's series for the panel's data, in the order of seriesValues(): extremes as a band, the latest as a line, hand entries as rings. */
function seriesOf(panel: TrendPanel, data: PanelData): uPlot.Series[] {
  if (!panel.parameters.length)
    return [
      {},
      {
        label: t('news2.label'),
        stroke: trendColours.news2,
        width: 2,
        paths: uPlot.paths.stepped?.({ align: 1 }),
        points: {
          show: true,
          size: 6,
          fill: trendColours.news2,
          filter: isolatedPoints,
        },
      },
    ];
  return [
    {},
    ...data.lines.flatMap((line, index): uPlot.Series[] => {
      const colour = index === 0 ? trendColours.line : trendColours.secondLine;
      const extreme: uPlot.Series = { stroke: trendColours.none, width: 1, points: { show: false } };
      return [
        extreme,
        extreme,
        {
          label: vitalLabel(line.parameter),
          stroke: colour,
          width: 2,
          points: {
            show: true,
            size: 6,
            fill: colour,
            filter: isolatedPoints,
          },
        },
        {
          label: t('trends.byHand'),
          stroke: colour,
          paths: () => null,
          points: { show: true, size: 10, width: 2, stroke: trendColours.ink, fill: trendColours.paper },
        },
      ];
    }),
  ];
}

/**
 * One small trend chart (docs/ui.md#trends): uPlot draws the lines, bands and
 * axes; the rule zones and alert marks are painted on its canvas; the value
 * under the cursor is written below it in words, and the keyboard moves the
 * cursor. The plot stays left to right in Arabic too: time runs to the right.
 */
export function trendChart(panel: TrendPanel, first: PanelData): TrendChart {
  let data = first;
  const current = locale();
  const decimals = panel.parameters[0] === 'temperature' ? 1 : 0;
  const readout = h('p', { class: 'trend__readout', attrs: { 'aria-live': 'polite' } });
  const alertList = h('p', { class: 'trend__alerts' });
  const plot = h('div', {
    class: 'trend__plot',
    attrs: {
      dir: 'ltr',
      tabindex: '0',
      role: 'group',
      'aria-label': t('trends.chartLabel', { name: titleOf(panel) }),
    },
  });
  const element = h(
    'figure',
    { class: 'trend', data: { panel: panel.id } },
    h('figcaption', { class: 'trend__title', text: titleOf(panel) }),
    plot,
    readout,
    alertList,
  );
  const words: ReadoutWords = {
    t,
    value: vitalValue,
    name: vitalLabel,
    time: (seconds) => clockText(current, seconds, data.to - data.from > 86_400),
  };
  let chart: uPlot | undefined;
  const describe = () => {
    setText(readout, readoutAt(data, chart?.cursor.idx ?? null, words));
    // The latest value drawn on the panel's first line, for whoever reads the page rather than the canvas.
    const latest = latestOf(seriesValues(data)[panel.parameters.length ? 2 : 0] ?? []);
    element.dataset.last = latest ? String(latest.value) : '';
    element.dataset.alerts = String(data.alerts.length);
    setText(
      alertList,
      data.alerts.length
        ? t('trends.alerts', {
            times: data.alerts.map((mark) => words.time(mark.at)).join(' · '),
          })
        : '',
    );
  };
  const options: uPlot.Options = {
    width: 320,
    height: PLOT_HEIGHT_PX,
    legend: { show: false },
    cursor: {
      y: false,
      drag: { x: false, y: false, setScale: false },
      // The bucket under the pointer, gap or not: a gap is said as one, never filled from a neighbour.
      dataIdx: (_self, _series, closestIdx) => closestIdx,
    },
    scales: {
      x: { time: true, range: () => [data.from, data.to] },
      y: { range: (_self, min, max) => axisRange(panel, min ?? null, max ?? null) },
    },
    axes: [
      {
        font: AXIS_FONT,
        stroke: trendColours.axis,
        grid: { stroke: trendColours.grid, width: 1 },
        ticks: { stroke: trendColours.grid, width: 1 },
        space: 70,
        values: (_self, splits) => timeAxisLabels(current, splits),
      },
      {
        font: AXIS_FONT,
        stroke: trendColours.axis,
        grid: { stroke: trendColours.grid, width: 1 },
        ticks: { stroke: trendColours.grid, width: 1 },
        size: 44,
        values: (_self, splits) => valueAxisLabels(current, splits, decimals),
      },
    ],
    series: seriesOf(panel, data),
    bands: data.lines.map((_line, index) => ({
      series: [1 + index * 4, 2 + index * 4] as [number, number],
      fill: index === 0 ? trendColours.band : trendColours.secondBand,
    })),
    hooks: {
      drawClear: [(self) => drawThresholds(self, panel)],
      draw: [(self) => drawAlertMarks(self, data.alerts)],
      setCursor: [describe],
    },
  };
  const drawn = new uPlot(options, [data.times, ...seriesValues(data)], plot);
  chart = drawn;
  describe();
  plot.addEventListener('keydown', (event) => {
    const idx = cursorIndexAfter(event.key, drawn.cursor.idx ?? null, bucketsWithData(data));
    const time = idx === undefined ? undefined : data.times[idx];
    if (time === undefined) return;
    event.preventDefault();
    drawn.setCursor({ left: drawn.valToPos(time, 'x'), top: drawn.over.clientHeight / 2 });
  });
  const resize = new ResizeObserver(() => {
    const width = Math.floor(plot.clientWidth);
    if (width > 0 && width !== drawn.width) drawn.setSize({ width, height: PLOT_HEIGHT_PX });
  });
  resize.observe(plot);
  return {
    element,
    update(next) {
      data = next;
      drawn.setData([data.times, ...seriesValues(data)]);
      describe();
    },
    destroy() {
      resize.disconnect();
      drawn.destroy();
    },
  };
}
