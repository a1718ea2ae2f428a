import { api } from '../api.ts';
import { h } from '../dom.ts';
import { errorText } from '../forms.ts';
import { fmt, t } from '../i18n/locale.ts';
import type { QcResultList } from '../model.ts';
import type { WardStore } from '../wardStore.ts';

type QcRow = QcResultList['results'][number] & { deviceId: string };

/** How many of the latest runs are shown: enough for a day's controls on a busy analyzer. */
const ROWS_SHOWN = 30;

/**
 * The analyzers' quality-control runs, newest first, for the technician who
 * must act on a failed control (docs/devices.md#quality-control-results). They
 * never reach a chart; here they are with the analyzer's coded comments.
 */
export function qcResultsSection(store: WardStore): { element: HTMLElement; refresh(): Promise<void> } {
  const rows = h('tbody');
  const status = h('p', { class: 'status-line', attrs: { role: 'status' } });
  const columns = ['qc.analyzer', 'qc.time', 'qc.test', 'qc.result', 'qc.control', 'qc.note'] as const;
  const element = h(
    'section',
    { attrs: { id: 'qc-results' } },
    h('h2', { text: t('qc.title') }),
    status,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table' },
        h(
          'thead',
          {},
          h('tr', {}, ...columns.map((key) => h('th', { text: t(key), attrs: { scope: 'col' } }))),
        ),
        rows,
      ),
    ),
  );
  async function refresh() {
    const analyzers = [...store.devices.values()].filter((device) => device.kind === 'lab-analyzer');
    try {
      const lists = await Promise.all(
        analyzers.map((device) =>
          api.getInBackground<QcResultList>(
            `/api/v1/devices/${encodeURIComponent(device.deviceId)}/qc-results`,
          ),
        ),
      );
      status.textContent = '';
      const runs: QcRow[] = lists
        .flatMap((list) => list.results.map((result) => ({ ...result, deviceId: list.deviceId })))
        .sort((a, b) => b.observedAt.localeCompare(a.observedAt))
        .slice(0, ROWS_SHOWN);
      rows.replaceChildren(...runs.map(row));
      if (runs.length === 0)
        rows.append(h('tr', {}, h('td', { text: t('qc.none'), attrs: { colspan: String(columns.length) } })));
    } catch (error) {
      status.textContent = errorText(error);
    }
  }
  return { element, refresh };
}

function row(run: QcRow): HTMLElement {
  const value = typeof run.value === 'number' ? fmt.number(run.value, 3) : run.value;
  const flags = run.flags?.length ? ` (${run.flags.join(', ')})` : '';
  const control = [run.qc.control, run.qc.level, run.qc.lot].filter(Boolean).join(' · ');
  return h(
    'tr',
    { data: { deviceId: run.deviceId, resultId: run.resultId } },
    h('th', { text: run.deviceId, attrs: { scope: 'row' } }),
    h('td', { text: fmt.dateTime(run.observedAt) }),
    h('td', { text: run.testName }),
    h('td', { text: `${run.comparator ?? ''}${value}${run.unit ? ` ${run.unit}` : ''}${flags}` }),
    h('td', { text: control || '–' }),
    h('td', { text: run.note ?? '' }),
  );
}
