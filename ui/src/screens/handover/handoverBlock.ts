import { h } from '../../dom.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { fmt, t } from '../../i18n/locale.ts';
import type { HandoverPatient } from '../../model.ts';
import { news2Badge } from '../../news2/news2Badge.ts';
import { news2Sparkline } from '../../news2/news2Sparkline.ts';
import { unitLabel, vitalLabel, vitalValue } from '../../vitalLabels.ts';

/** Hours of the NEWS2 trend, as on the board's sparkline. */
const TREND_HOURS = 12;

/**
 * One patient's handover block (docs/ui.md#shift-handover): who and where,
 * NEWS2 now and its trend, then only the sections with something in them,
 * so a quiet patient takes two lines and the page stays short.
 */
export function handoverBlock(patient: HandoverPatient, now: number): HTMLElement {
  const badge = news2Badge();
  badge.update(patient.news2);
  const who = [
    patient.patientMRN,
    patient.ageYears !== undefined
      ? t('handover.age', { years: fmt.number(patient.ageYears, 0) })
      : undefined,
    t(`sex.${patient.sex}` as MessageKey),
  ]
    .filter(Boolean)
    .join(' · ');
  const sections = [
    section('alerts', 'handover.alerts', patient.alerts.map(alertLine)),
    section('lab-results', 'handover.labResults', patient.labResults.map(resultLine)),
    section('lab-orders', 'handover.labOrders', patient.labOrders.map(orderLine)),
    section('medications', 'handover.medications', patient.medications.map(medicationLine)),
    section('given', 'handover.given', patient.given.map(givenLine)),
    section('notes', 'handover.notes', [
      ...(patient.encounterNotes ? [h('li', { text: patient.encounterNotes })] : []),
      ...patient.diagnoses.map((entry) =>
        h('li', {
          text: t(`handover.diagnosis.${entry.change}` as MessageKey, {
            display: entry.display,
            code: entry.code,
            time: fmt.time(entry.at),
          }),
        }),
      ),
    ]),
  ].filter((entry) => entry !== undefined);
  return h(
    'article',
    { class: 'handover__patient', data: { patientId: patient.patientId, band: patient.news2.band } },
    h(
      'header',
      { class: 'handover__who' },
      h('h2', { text: [patient.bed ?? t('handover.noBed'), patient.name].join(' · ') }),
      h('p', { class: 'handover__details', text: [patient.ward, who].filter(Boolean).join(' · ') }),
    ),
    h('div', { class: 'handover__news2' }, badge.element, news2Sparkline(patient.trend, now, TREND_HOURS)),
    ...(sections.length ? sections : [h('p', { class: 'note', text: t('handover.nothingNew') })]),
  );
}

function section(name: string, title: MessageKey, items: HTMLElement[]): HTMLElement | undefined {
  if (items.length === 0) return undefined;
  return h(
    'section',
    { class: 'handover__section', data: { section: name } },
    h('h3', { text: t(title) }),
    h('ul', {}, ...items),
  );
}

function alertLine(alert: HandoverPatient['alerts'][number]): HTMLElement {
  const value =
    alert.value !== undefined
      ? `${vitalValue(alert.value, alert.parameter)} ${unitLabel(alert.unit)}`.trim()
      : (alert.valueText ?? '');
  const taken = alert.acknowledgedBy
    ? t('handover.acknowledgedBy', {
        name: alert.acknowledgedBy.userName ?? alert.acknowledgedBy.userId,
        time: alert.acknowledgedAt ? fmt.time(alert.acknowledgedAt) : '',
      })
    : t('handover.notAcknowledged');
  return h('li', {
    data: { status: alert.status, priority: alert.priority },
    text: t('handover.alert', {
      what: `${vitalLabel(alert.parameter)} ${value}`.trim(),
      since: fmt.time(alert.raisedAt),
      taken,
    }),
  });
}

function resultLine(result: HandoverPatient['labResults'][number]): HTMLElement {
  const value = typeof result.value === 'number' ? fmt.number(result.value, 2) : result.value;
  const flags = result.flags.length ? ` (${result.flags.join(', ')})` : '';
  return h('li', {
    class: result.critical ? 'handover__critical' : undefined,
    text: [
      result.critical ? t('handover.critical') : undefined,
      `${result.testName} ${result.comparator ?? ''}${value} ${unitLabel(result.unit)}`.trim() + flags,
      fmt.time(result.reportedAt),
    ]
      .filter(Boolean)
      .join(' · '),
  });
}

function orderLine(order: HandoverPatient['labOrders'][number]): HTMLElement {
  return h('li', {
    class: order.overdue ? 'handover__critical' : undefined,
    text: [
      order.overdue ? t('handover.overdue') : undefined,
      order.tests.join(', '),
      t(`handover.priority.${order.priority}` as MessageKey),
      t(`handover.orderStatus.${order.status}` as MessageKey),
      t('handover.ordered', { time: fmt.time(order.orderedAt) }),
    ]
      .filter(Boolean)
      .join(' · '),
  });
}

function medicationLine(medication: HandoverPatient['medications'][number]): HTMLElement {
  return h('li', {
    text: [
      `${medication.drugName} ${fmt.number(medication.dose.value, 2)} ${medication.dose.unit} ${medication.route}`,
      medication.frequency,
      medication.lastGivenAt
        ? t('handover.lastGiven', { time: fmt.dateTime(medication.lastGivenAt) })
        : t('handover.notGivenYet'),
    ].join(' · '),
  });
}

function givenLine(entry: HandoverPatient['given'][number]): HTMLElement {
  return h('li', {
    text: [
      fmt.time(entry.administeredAt),
      entry.drugName,
      entry.doseGiven ? `${fmt.number(entry.doseGiven.value, 2)} ${entry.doseGiven.unit}` : undefined,
      t(`handover.administration.${entry.status}` as MessageKey),
      entry.reason,
      // Not entry.by: the medications read model keeps the user's id only, which says nothing on paper.
    ]
      .filter(Boolean)
      .join(' · '),
  });
}
