import { api, gatewayNow } from '../api.ts';
import { h } from '../dom.ts';
import { errorText } from '../forms.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { fmt, t } from '../i18n/locale.ts';
import type { PendingLabOrders } from '../model.ts';
import { pathOf } from '../router.ts';
import { orderStatusText } from './chart/labOrders.ts';
import type { Screen } from './screen.ts';

/** How often the worklist is read again, in milliseconds. */
const WORKLIST_POLL_MS = 15_000;

/** Minutes since a time, for "waiting 75 min". */
const minutesSince = (at: string, now: Date) =>
  Math.max(0, Math.floor((now.getTime() - Date.parse(at)) / 60_000));

/**
 * The pending-orders worklist (docs/lab-orders.md#the-pending-orders-worklist):
 * every open order, stat first, how long it has waited, overdue ones marked.
 */
export function labWorklistScreen(): Screen {
  const rows = h('tbody');
  const error = h('p', { class: 'status-line', attrs: { role: 'status' } });
  const element = h(
    'section',
    { class: 'screen' },
    h('h1', { text: t('worklist.title') }),
    error,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table', attrs: { id: 'lab-worklist' } },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...(
              [
                'worklist.priority',
                'worklist.patient',
                'worklist.tests',
                'worklist.specimen',
                'worklist.status',
                'worklist.waiting',
              ] as const
            ).map((key) => h('th', { text: t(key), attrs: { scope: 'col' } })),
          ),
        ),
        rows,
      ),
    ),
  );
  const load = async () => {
    try {
      const { orders } = await api.get<PendingLabOrders>('/api/v1/lab-orders/pending');
      const now = new Date(gatewayNow());
      error.textContent = '';
      rows.replaceChildren(
        ...orders.map(({ order, patient, overdue }) =>
          h(
            'tr',
            {
              class: overdue ? 'row--overdue' : '',
              data: { orderId: order.orderId, overdue: String(overdue) },
            },
            h('td', { text: t(`labOrder.priority.${order.priority}` as MessageKey) }),
            h(
              'td',
              {},
              h('a', {
                text: patient.name,
                data: { route: '' },
                attrs: { href: pathOf({ name: 'patient', patientId: patient.patientId }) },
              }),
              patient.patientMRN ? h('small', { text: ` · ${patient.patientMRN}` }) : null,
            ),
            h('td', { text: order.tests.map((test) => test.testName).join(', ') }),
            h('td', { class: 'code', text: order.specimen?.specimenId ?? '' }),
            h('td', { text: orderStatusText(order) }),
            h(
              'td',
              {},
              t('worklist.minutes', { minutes: fmt.number(minutesSince(order.orderedAt, now), 0) }),
              overdue ? h('strong', { class: 'flag', text: ` · ${t('worklist.overdue')}` }) : null,
            ),
          ),
        ),
      );
      if (orders.length === 0)
        rows.replaceChildren(h('tr', {}, h('td', { text: t('worklist.none'), attrs: { colspan: '6' } })));
    } catch (failure) {
      error.textContent = errorText(failure);
    }
  };
  void load();
  const timer = setInterval(() => void load(), WORKLIST_POLL_MS);
  return { element, dispose: () => clearInterval(timer) };
}
