import { api } from '../../api.ts';
import { h } from '../../dom.ts';
import { errorText } from '../../forms.ts';
import { fmt, t } from '../../i18n/locale.ts';
import type { Handover } from '../../model.ts';
import type { Screen } from '../screen.ts';
import { handoverBlock } from './handoverBlock.ts';

/**
 * The shift handover (docs/ui.md#shift-handover): every admitted patient by
 * ward and bed, from one request. Laid out as a table of one row per patient
 * so that, printed, the header repeats on every page and no patient's block
 * is split between two pages (app.css, @page handover).
 */
export function handoverScreen(): Screen {
  const element = h('section', { class: 'screen handover' });
  let disposed = false;
  const load = async () => {
    let handover: Handover;
    try {
      handover = await api.get<Handover>('/api/v1/handover');
    } catch (error) {
      element.replaceChildren(
        h('h1', { text: t('handover.title') }),
        h('p', { class: 'status-line', data: { kind: 'error' }, text: errorText(error) }),
      );
      return;
    }
    if (disposed) return;
    const now = Date.parse(handover.generatedAt);
    const heading = h(
      'div',
      { class: 'handover__heading' },
      h('h1', { text: t('handover.title') }),
      h('p', {
        class: 'handover__shift',
        text: t('handover.shift', {
          since: fmt.dateTime(handover.since),
          now: fmt.dateTime(handover.generatedAt),
          count: fmt.number(handover.patients.length, 0),
        }),
      }),
    );
    element.replaceChildren(
      h(
        'div',
        { class: 'handover__controls' },
        h('button', {
          class: 'button',
          text: t('handover.print'),
          attrs: { type: 'button', id: 'handover-print' },
          on: { click: () => window.print() },
        }),
      ),
      handover.patients.length === 0
        ? h('div', {}, heading, h('p', { class: 'note', text: t('handover.empty') }))
        : h(
            'table',
            { class: 'handover__table' },
            h('thead', {}, h('tr', {}, h('th', {}, heading))),
            h(
              'tbody',
              {},
              ...handover.patients.map((patient) => h('tr', {}, h('td', {}, handoverBlock(patient, now)))),
            ),
          ),
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
