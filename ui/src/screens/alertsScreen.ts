import { alertItem, alertOrder } from '../alerts/alertItem.ts';
import { api, gatewayNow } from '../api.ts';
import { h } from '../dom.ts';
import { errorText } from '../forms.ts';
import { t } from '../i18n/locale.ts';
import type { Alert } from '../model.ts';
import type { WardStore } from '../wardStore.ts';
import type { Screen } from './screen.ts';

/** Every open alert (active and acknowledged), and one patient's alert history. */
export function alertsScreen(store: WardStore): Screen {
  const open = h('ul', { class: 'alert-list alert-list--page' });
  const history = h('ul', { class: 'alert-list alert-list--page' });
  const chooser = h('select', { attrs: { id: 'history-patient' } });
  const historyStatus = h('p', { class: 'status-line', attrs: { role: 'status' } });
  const element = h(
    'section',
    { class: 'screen' },
    h('h1', { text: t('alerts.title') }),
    h('h2', { text: t('alerts.open') }),
    open,
    h('h2', { text: t('alerts.history') }),
    h(
      'div',
      { class: 'field field--inline' },
      h('label', { text: t('alerts.historyFor'), attrs: { for: 'history-patient' } }),
      chooser,
    ),
    historyStatus,
    history,
  );
  const renderOpen = () => {
    const alerts = [...store.alerts.values()].sort(alertOrder);
    const now = gatewayNow();
    open.replaceChildren(
      ...(alerts.length
        ? alerts.map((alert) =>
            alertItem(
              alert,
              store.patients.get(alert.patientId ?? ''),
              (updated) => {
                store.alerts.set(updated.alertId, updated);
                renderOpen();
              },
              now,
            ),
          )
        : [h('li', { class: 'note', text: t('alerts.none') })]),
    );
  };
  const fillChooser = () => {
    const selected = chooser.value;
    chooser.replaceChildren(
      h('option', { text: t('alerts.choosePatient'), attrs: { value: '' } }),
      ...[...store.patients.values()].map((patient) =>
        h('option', {
          text: `${patient.firstName} ${patient.lastName}${patient.bed ? ` · ${patient.bed}` : ''}`,
          attrs: { value: patient.patientId },
        }),
      ),
    );
    chooser.value = selected;
  };
  chooser.addEventListener('change', async () => {
    history.replaceChildren();
    historyStatus.textContent = '';
    if (!chooser.value) return;
    try {
      const { alerts } = await api.get<{ alerts: Alert[] }>(
        `/api/v1/alerts?status=all&patientId=${encodeURIComponent(chooser.value)}`,
      );
      const now = gatewayNow();
      history.replaceChildren(
        ...(alerts.length
          ? alerts.map((alert) => alertItem(alert, store.patients.get(chooser.value), () => undefined, now))
          : [h('li', { class: 'note', text: t('alerts.none') })]),
      );
    } catch (error) {
      historyStatus.textContent = errorText(error);
    }
  });
  const unsubscribe = store.subscribe((topic) => {
    if (topic === 'alerts') renderOpen();
    if (topic === 'board' && chooser.options.length !== store.patients.size + 1) fillChooser();
  });
  renderOpen();
  fillChooser();
  return { element, dispose: unsubscribe };
}
