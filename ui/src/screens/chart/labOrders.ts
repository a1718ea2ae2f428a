import { api, patientPath } from '../../api.ts';
import { h } from '../../dom.ts';
import { button, field, formValues, select, statusLine, submitting } from '../../forms.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { fmt, locale, t } from '../../i18n/locale.ts';
import type { LabOrder, LabTest } from '../../model.ts';
import { collectSpecimens, orderLabTests } from '../../../../kernel/roles/clinicalRoles.ts';
import { type LabelPatient, printLabels } from '../../labels/specimenLabels.ts';
import { chartSection, listOrNone } from './section.ts';

const mayDo = (roles: readonly string[], role: string) => roles.includes(role);

/** A test's name in the screen's language. */
export function testName(test: LabTest): string {
  return locale() === 'ar' ? test.name.ar : test.name.en;
}

/** The order's status in words (docs/lab-orders.md#lifecycle). */
export function orderStatusText(order: LabOrder): string {
  return t(`labOrder.status.${order.status}` as MessageKey);
}

/**
 * The patient's lab orders with their status, and for a physician the "Order
 * tests" form: tests of the catalogue as checkboxes, priority, a clinical note.
 */
export function labOrdersSection(patientId: string, role: string, patient: LabelPatient): HTMLElement {
  const status = statusLine();
  const tests = h('fieldset', { class: 'field field--checks', attrs: { id: 'lab-order-tests' } });
  const form = h(
    'form',
    { class: 'form form--row', attrs: { id: 'lab-order-form' } },
    tests,
    field(
      'labOrder.priority',
      select('priority', [
        ['routine', t('labOrder.priority.routine')],
        ['urgent', t('labOrder.priority.urgent')],
        ['stat', t('labOrder.priority.stat')],
      ]),
    ),
    field(
      'labOrder.notes',
      h('textarea', { attrs: { name: 'clinicalNotes', maxlength: '1000', rows: '2' } }),
    ),
    button('labOrder.place', { kind: 'primary', type: 'submit' }),
    status,
  );
  let catalogue: LabTest[] = [];
  const section = chartSection(
    'lab-orders',
    'labOrder.title',
    async (body) => {
      const [{ orders }, loaded] = await Promise.all([
        api.get<{ orders: LabOrder[] }>(patientPath(patientId, '/lab-orders')),
        catalogue.length
          ? Promise.resolve({ tests: catalogue })
          : api.get<{ tests: LabTest[] }>('/api/v1/lab-tests'),
      ]);
      if (!catalogue.length) {
        catalogue = loaded.tests;
        tests.replaceChildren(
          h('legend', { text: t('labOrder.tests') }),
          ...catalogue.map((test) =>
            h(
              'label',
              { class: 'check' },
              h('input', { attrs: { type: 'checkbox', name: 'test', value: test.code } }),
              ` ${testName(test)}`,
            ),
          ),
        );
      }
      body.replaceChildren(
        listOrNone(
          [...orders]
            .reverse()
            .map((order) => orderItem(patientId, order, role, patient, () => void section.reload())),
          'labOrder.none',
        ),
      );
    },
    mayDo(orderLabTests.roles, role)
      ? form
      : h('p', { class: 'note', data: { refused: 'lab-order' }, text: t('labOrder.physicianOnly') }),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = [...form.querySelectorAll<HTMLInputElement>('input[name="test"]:checked')].map(
      (box) => box.value,
    );
    if (chosen.length === 0) {
      status.show(t('labOrder.chooseTest'), 'error');
      return;
    }
    void submitting(form, status, async () => {
      const values = formValues(form);
      await api.post(patientPath(patientId, '/lab-orders'), {
        tests: chosen,
        priority: values.priority ?? 'routine',
        ...(values.clinicalNotes ? { clinicalNotes: values.clinicalNotes } : {}),
      });
      form.reset();
      status.show(t('labOrder.placed'), 'ok');
      await section.reload();
    });
  });
  return section;
}

function orderItem(
  patientId: string,
  order: LabOrder,
  role: string,
  patient: LabelPatient,
  reload: () => void,
): HTMLElement {
  const path = patientPath(patientId, `/lab-orders/${encodeURIComponent(order.orderId)}`);
  const act = (suffix: string, body: Record<string, unknown>) => async () => {
    await api.post(`${path}/${suffix}`, body);
    reload();
  };
  const open = order.status !== 'resulted' && order.status !== 'cancelled';
  return h(
    'li',
    {
      class: `lab-order lab-order--${order.priority}`,
      data: { orderId: order.orderId, status: order.status },
    },
    h('strong', { text: order.tests.map((test) => test.testName).join(', ') }),
    ` · ${t(`labOrder.priority.${order.priority}` as MessageKey)} · `,
    h('span', { class: 'lab-order__status', text: orderStatusText(order) }),
    order.specimen ? h('small', { class: 'code', text: ` · ${order.specimen.specimenId}` }) : null,
    h('small', { text: ` · ${fmt.dateTime(order.orderedAt)}` }),
    order.specimen && open
      ? button('labOrder.printLabel', { onClick: () => printLabels([order], patient, 'label') })
      : null,
    order.specimen && open
      ? button('labOrder.printSheet', { onClick: () => printLabels([order], patient, 'a4') })
      : null,
    open && order.specimen && !order.specimen.collectedAt && mayDo(collectSpecimens.roles, role)
      ? button('labOrder.collected', { onClick: () => void act('collected', {})() })
      : null,
    open && mayDo(orderLabTests.roles, role)
      ? button('labOrder.cancel', {
          kind: 'danger',
          onClick: () => {
            const reason = window.prompt(t('labOrder.cancelReason'));
            if (reason) void act('cancellation', { reason })();
          },
        })
      : null,
  );
}
