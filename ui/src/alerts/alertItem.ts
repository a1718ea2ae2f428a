import { api } from '../api.ts';
import { h } from '../dom.ts';
import { errorText } from '../forms.ts';
import { fmt, t } from '../i18n/locale.ts';
import { icon } from '../icons.ts';
import { alertWhat } from './alertWhat.ts';
import type { Alert, Patient } from '../model.ts';
import { unitLabel, vitalLabel, vitalValue } from '../vitalLabels.ts';

/**
 * One alert as the nurse sees it: priority in words, colour and symbol
 * (never colour alone), whose and what value, how long ago, escalation, and
 * either the one-click Acknowledge or who acknowledged it.
 */
export function alertItem(
  alert: Alert,
  patient: Patient | undefined,
  onAcknowledged: (alert: Alert) => void,
  nowMs: number,
): HTMLLIElement {
  const escalated = alert.escalationLevel > 0;
  const who = patient
    ? `${patient.firstName} ${patient.lastName}`
    : alert.deviceId
      ? t('alert.device', { deviceId: alert.deviceId })
      : t('alert.unknownPatient');
  const bed = patient?.bed ?? alert.bed;
  const status = h('span', { class: 'alert__status' });
  const item = h(
    'li',
    {
      class: `alert alert--${alert.priority} alert--${alert.status}${escalated ? ' alert--escalated' : ''}`,
      data: {
        alertId: alert.alertId,
        patientId: alert.patientId,
        priority: alert.priority,
        status: alert.status,
      },
      attrs: { 'aria-label': t(alert.priority === 'high' ? 'alert.priorityHigh' : 'alert.priorityMedium') },
    },
    h(
      'span',
      { class: 'alert__priority' },
      icon('warning'),
      h('span', { text: t(alert.priority === 'high' ? 'alert.priorityHigh' : 'alert.priorityMedium') }),
    ),
    h(
      'span',
      { class: 'alert__body' },
      h('strong', { class: 'alert__who', text: who }),
      bed ? h('span', { class: 'alert__bed', text: t('board.bed', { bed }) }) : null,
      h('span', { class: 'alert__what', text: whatText(alert) }),
      h('span', {
        class: 'alert__when',
        text: t('alert.raised', { ago: fmt.age((nowMs - Date.parse(alert.raisedAt)) / 1000) }),
        attrs: { title: fmt.dateTime(alert.raisedAt) },
      }),
      escalated
        ? h('span', {
            class: 'alert__escalated',
            text: t('alert.escalated', { level: alert.escalationLevel }),
          })
        : null,
    ),
    status,
  );
  if (alert.status === 'active') {
    const button = h(
      'button',
      {
        class: 'button button--primary alert__ack',
        attrs: { type: 'button' },
        on: {
          click: async () => {
            button.disabled = true;
            try {
              const reply = await api.post<{ alert: Alert }>(
                `/api/v1/alerts/${encodeURIComponent(alert.alertId)}/acknowledge`,
                {},
              );
              onAcknowledged(reply.alert);
            } catch (error) {
              button.disabled = false;
              status.textContent = errorText(error);
            }
          },
        },
      },
      icon('check'),
      t('alert.acknowledge'),
    );
    status.append(button);
  } else if (alert.status === 'acknowledged' && alert.acknowledgedBy) {
    status.textContent = t('alert.acknowledgedBy', {
      name: alert.acknowledgedBy.userName,
      time: alert.acknowledgedAt ? fmt.time(alert.acknowledgedAt) : '',
    });
  } else if (alert.status === 'resolved') {
    status.textContent = t('alert.resolved', {
      time: alert.resolvedAt ? fmt.dateTime(alert.resolvedAt) : '',
    });
  }
  return item;
}

function whatText(alert: Alert): string {
  const what = alertWhat(alert, {
    value: vitalValue,
    label: vitalLabel,
    unit: unitLabel,
    text: (key, params) => t(key, params),
  });
  return t(what.key, what.params);
}

/** Highest priority first, then escalated, then newest: the order IEC 60601-1-8 asks a display to keep. */
export function alertOrder(a: Alert, b: Alert): number {
  const rank = (alert: Alert) => (alert.priority === 'high' ? 0 : 1);
  const active = (alert: Alert) => (alert.status === 'active' ? 0 : 1);
  return (
    active(a) - active(b) ||
    rank(a) - rank(b) ||
    b.escalationLevel - a.escalationLevel ||
    b.raisedAt.localeCompare(a.raisedAt)
  );
}
