import type { AlarmTone } from '../alarm/alarmTone.ts';
import { gatewayNow } from '../api.ts';
import { h } from '../dom.ts';
import { t } from '../i18n/locale.ts';
import type { WardStore } from '../wardStore.ts';
import { alertItem, alertOrder } from './alertItem.ts';

/**
 * The bar of unacknowledged alerts above every screen: an alert is on screen
 * the moment its event arrives on the live stream, whatever the nurse is
 * doing, and the tone sounds for the highest priority among them.
 */
export function alertBar(store: WardStore, tone: AlarmTone): { element: HTMLElement; dispose(): void } {
  const list = h('ul', {
    class: 'alert-list',
    attrs: { 'aria-live': 'assertive', 'aria-relevant': 'additions' },
  });
  const bar = h('section', { class: 'alert-bar', attrs: { 'aria-label': t('alerts.barTitle') } }, list);
  let shown: string | undefined;
  const render = () => {
    const active = [...store.alerts.values()].filter((alert) => alert.status === 'active').sort(alertOrder);
    tone.update(active.map((alert) => alert.priority));
    // Rebuilt only when something a nurse would see changed: a button replaced under the pointer loses the click.
    const signature = active
      .map(
        (alert) =>
          `${alert.alertId}:${alert.escalationLevel}:${store.patients.get(alert.patientId ?? '')?.bed}`,
      )
      .join('|');
    if (signature === shown) return;
    shown = signature;
    bar.hidden = active.length === 0;
    const now = gatewayNow();
    list.replaceChildren(
      ...active.map((alert) =>
        alertItem(
          alert,
          alert.patientId ? store.patients.get(alert.patientId) : undefined,
          (updated) => {
            if (updated) store.alerts.set(updated.alertId, updated);
            render();
          },
          now,
        ),
      ),
    );
  };
  const unsubscribe = store.subscribe((topic) => {
    if (topic === 'alerts') render();
  });
  render();
  return { element: bar, dispose: unsubscribe };
}
