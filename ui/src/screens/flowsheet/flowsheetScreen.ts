import { api, patientPath } from '../../api.ts';
import { h } from '../../dom.ts';
import { errorText } from '../../forms.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { fmt, t } from '../../i18n/locale.ts';
import type { Flowsheet, PatientChart } from '../../model.ts';
import { pathOf } from '../../router.ts';
import { vitalLabel } from '../../vitalLabels.ts';
import type { Screen } from '../screen.ts';
import {
  type FlowsheetCell,
  type FlowsheetRowName,
  flowsheetRowOrder,
  flowsheetRows,
} from './flowsheetRows.ts';

const hoursChoices = ['8', '12', '24', '72'] as const;
const intervalChoices = ['15', '30', '60', '120', '240'] as const;

const rowLabel = (name: FlowsheetRowName): string =>
  name === 'news2'
    ? t('flowsheet.news2Total')
    : name === 'supplementalOxygen'
      ? t('flowsheet.oxygenRow')
      : name === 'consciousness'
        ? t('flowsheet.consciousness')
        : vitalLabel(name);

const bandKey: Record<string, MessageKey> = {
  low: 'news2.band.low',
  lowMedium: 'flowsheet.band.lowMedium',
  medium: 'news2.band.medium',
  high: 'news2.band.high',
};

/**
 * The flowsheet (docs/ui.md#flowsheet): the ward's observation chart as a
 * grid, one row per parameter in the NEWS2 chart's order and the total
 * last, one column per interval (hourly by default), each cell coloured by
 * its NEWS2 score and saying it in text, so colour is never the only sign.
 * Columns follow the reading direction: in Arabic the earliest is on the right.
 */
export function flowsheetScreen(patientId: string): Screen {
  const element = h('section', { class: 'screen flowsheet', data: { patientId } });
  const choice = { hours: '24', interval: '60' };
  let disposed = false;
  const load = async () => {
    let sheet: Flowsheet;
    let chart: PatientChart;
    try {
      [sheet, chart] = await Promise.all([
        api.get<Flowsheet>(
          patientPath(patientId, `/flowsheet?hours=${choice.hours}&interval=${choice.interval}`),
        ),
        api.get<PatientChart>(patientPath(patientId)),
      ]);
    } catch (error) {
      element.replaceChildren(
        h('h1', { text: t('flowsheet.title') }),
        h('p', { class: 'status-line', data: { kind: 'error' }, text: errorText(error) }),
      );
      return;
    }
    if (disposed) return;
    const { patient } = chart;
    const name = `${patient.firstName} ${patient.lastName}`;
    element.replaceChildren(
      h('h1', { text: t('flowsheet.heading', { name }) }),
      h(
        'p',
        { class: 'flowsheet__where' },
        [patient.patientMRN, patient.ward, patient.bed ? t('board.bed', { bed: patient.bed }) : undefined]
          .filter(Boolean)
          .join(' · '),
      ),
      controls(choice, () => void load(), patientId),
      grid(sheet, name),
      h('p', { class: 'note flowsheet__key', text: t('flowsheet.key') }),
    );
  };
  void load();
  return {
    element,
    dispose() {
      disposed = true;
    },
  };
}

function controls(
  choice: { hours: string; interval: string },
  reload: () => void,
  patientId: string,
): HTMLElement {
  const select = (
    label: MessageKey,
    options: readonly string[],
    key: 'hours' | 'interval',
    text: (value: string) => string,
  ) => {
    const input = h(
      'select',
      {
        attrs: { id: `flowsheet-${key}` },
        on: {
          change: () => {
            choice[key] = input.value;
            reload();
          },
        },
      },
      ...options.map((value) => h('option', { text: text(value), attrs: { value } })),
    );
    input.value = choice[key];
    return h('label', { class: 'flowsheet__choice' }, t(label), input);
  };
  return h(
    'div',
    { class: 'flowsheet__controls' },
    h('a', {
      class: 'button button--plain',
      text: t('flowsheet.back'),
      data: { route: '' },
      attrs: { href: pathOf({ name: 'patient', patientId }) },
    }),
    select('flowsheet.hours', hoursChoices, 'hours', (value) => t('trends.hours', { hours: Number(value) })),
    select('flowsheet.interval', intervalChoices, 'interval', (value) =>
      t('flowsheet.minutes', { minutes: Number(value) }),
    ),
    h('button', {
      class: 'button',
      text: t('flowsheet.print'),
      attrs: { type: 'button', id: 'flowsheet-print' },
      on: { click: () => window.print() },
    }),
  );
}

function grid(sheet: Flowsheet, name: string): HTMLElement {
  const rows = flowsheetRows(sheet);
  const first = sheet.columns[0] ?? sheet.from;
  const heads = sheet.columns.map((column, index) => {
    const newDay = index === 0 || column.slice(0, 10) !== sheet.columns[index - 1]?.slice(0, 10);
    return h(
      'th',
      { attrs: { scope: 'col' }, data: { t: column } },
      newDay ? h('span', { class: 'flowsheet__day', text: fmt.date(column) }) : undefined,
      fmt.clock(column),
    );
  });
  return h(
    'div',
    {
      class: 'flowsheet__scroll',
      attrs: { tabindex: '0', role: 'region', 'aria-labelledby': 'flowsheet-caption' },
    },
    h(
      'table',
      { class: 'flowsheet__grid' },
      h('caption', {
        attrs: { id: 'flowsheet-caption' },
        text: t('flowsheet.caption', {
          name,
          from: fmt.dateTime(first),
          to: fmt.dateTime(sheet.to),
          minutes: sheet.intervalMinutes,
        }),
      }),
      h(
        'thead',
        {},
        h('tr', {}, h('th', { attrs: { scope: 'col' }, text: t('flowsheet.parameter') }), ...heads),
      ),
      h(
        'tbody',
        {},
        ...flowsheetRowOrder.map((row) =>
          h(
            'tr',
            { data: { row } },
            h('th', { attrs: { scope: 'row' }, text: rowLabel(row) }),
            ...rows[row].map((cell, index) => cellOf(row, cell, sheet.columns[index] ?? '')),
          ),
        ),
      ),
    ),
  );
}

function cellOf(row: FlowsheetRowName, cell: FlowsheetCell | undefined, column: string): HTMLElement {
  if (!cell) return h('td', { class: 'flowsheet__empty', text: '' });
  const value =
    typeof cell.value === 'number'
      ? fmt.number(cell.value, row === 'temperature' ? 1 : 0)
      : cell.value === 'air'
        ? t('flowsheet.air')
        : cell.value === 'oxygen'
          ? t('flowsheet.oxygen')
          : cell.value;
  if (row === 'news2') {
    const band = String(cell.colour);
    return h(
      'td',
      { data: { band }, attrs: { title: t(bandKey[band] ?? 'news2.band.low') } },
      cell.incomplete ? t('news2.atLeast', { total: value }) : value,
      h('span', { class: 'flowsheet__band', text: t(bandKey[band] ?? 'news2.band.low') }),
    );
  }
  const range = cell.range;
  const title = range
    ? t('flowsheet.cellTitle', {
        time: fmt.clock(column),
        value,
        min: fmt.number(range.min),
        max: fmt.number(range.max),
        count: range.count,
      })
    : undefined;
  return h(
    'td',
    { data: { score: cell.colour === undefined ? undefined : String(cell.colour) }, attrs: { title } },
    value,
    cell.manual && row !== 'supplementalOxygen' && row !== 'consciousness'
      ? h('span', { class: 'flowsheet__manual', text: '✎', attrs: { 'aria-label': t('trends.byHand') } })
      : undefined,
    typeof cell.colour === 'number' && cell.colour > 0
      ? h('span', {
          class: 'flowsheet__score',
          text: `+${fmt.number(cell.colour, 0)}`,
          // "+3" reads as a signed number in both languages, not "3+" in Arabic.
          attrs: { dir: 'ltr' },
        })
      : undefined,
  );
}
