import {
  type TrendWindow,
  trendWindowNames,
  trendWindows,
} from '../../../../../gateway/http/contract/trendWindows.ts';
import { api, patientPath } from '../../../api.ts';
import { h } from '../../../dom.ts';
import { t } from '../../../i18n/locale.ts';
import type { VitalsTrend } from '../../../model.ts';
import type { WardStore } from '../../../wardStore.ts';
import { chartSection } from '../section.ts';
import { refreshDelay } from './refreshSchedule.ts';
import { type TrendChart, trendChart } from './trendChart.ts';
import { panelData } from './trendData.ts';
import { trendPanels } from './trendPanels.ts';

/** The window chooser: radio buttons, so the arrow keys move between them as in any radio group. */
function windowChooser(chosen: TrendWindow, choose: (window: TrendWindow) => void): HTMLElement {
  return h(
    'fieldset',
    { class: 'trend-windows' },
    h('legend', { text: t('trends.window') }),
    ...trendWindowNames.map((name) => {
      const input = h('input', {
        attrs: { type: 'radio', name: 'trend-window', value: name },
        on: { change: () => choose(name) },
      });
      input.checked = name === chosen;
      return h(
        'label',
        { class: 'trend-windows__choice' },
        input,
        t('trends.hours', { hours: trendWindows[name].hours }),
      );
    }),
  );
}

/** How to read the charts, said once for all of them: what is a line, a band, a ring, a zone, a mark. */
function chartKey(): HTMLElement {
  return h(
    'ul',
    { class: 'trend-key' },
    h('li', { class: 'trend-key__monitor', text: t('trends.key.monitor') }),
    h('li', { class: 'trend-key__hand', text: t('trends.key.hand') }),
    h('li', { class: 'trend-key__zones', text: t('trends.key.zones') }),
    h('li', { class: 'trend-key__alert', text: t('trends.key.alert') }),
    h('li', { class: 'trend-key__gap', text: t('trends.key.gap') }),
  );
}

/**
 * The patient's vital signs over 1 h to 72 h (docs/ui.md#trends): a small
 * chart per vital sign and NEWS2, read from the gateway's downsampled trend
 * and read again, in the background, when the window changes and when the
 * live stream brings a reading or an alert for this patient (at most every
 * 10 s), so the charts follow the bedside without keeping an idle screen
 * signed in.
 */
export function trendsSection(
  patientId: string,
  store: WardStore,
  remembered: { window: TrendWindow },
): { element: HTMLElement; dispose(): void } {
  let charts: TrendChart[] = [];
  let lastReadAt = 0;
  let asked = 0;
  let pending: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;
  const grid = h('div', { class: 'trend-grid' });
  const bucketNote = h('p', { class: 'note trend-bucket' });
  const chooser = windowChooser(remembered.window, (window) => {
    remembered.window = window;
    void element.reload();
  });
  const element = chartSection('trends', 'trends.title', async (body) => {
    const ask = ++asked;
    lastReadAt = Date.now();
    const trend = await api.getInBackground<VitalsTrend>(
      patientPath(patientId, `/vitals/trend?window=${remembered.window}`),
    );
    // A slower answer for a window no longer chosen, or for a chart already left, is dropped.
    if (ask !== asked || disposed) return;
    if (!body.contains(grid)) body.replaceChildren(chooser, chartKey(), bucketNote, grid);
    bucketNote.textContent = t('trends.bucket', { minutes: trend.bucketSeconds / 60 });
    if (charts.length === 0) {
      charts = trendPanels.map((panel) => trendChart(panel, panelData(trend, panel)));
      grid.replaceChildren(...charts.map((chart) => chart.element));
    } else
      trendPanels.forEach((panel, index) => {
        charts[index]?.update(panelData(trend, panel));
      });
  });
  const unsubscribe = store.subscribe((topic, about) => {
    if (topic !== 'vitals' || about !== patientId || pending) return;
    pending = setTimeout(
      () => {
        pending = undefined;
        void element.reload();
      },
      refreshDelay(lastReadAt, Date.now()),
    );
  });
  return {
    element,
    dispose() {
      disposed = true;
      unsubscribe();
      if (pending) clearTimeout(pending);
      for (const chart of charts) chart.destroy();
      charts = [];
    },
  };
}
