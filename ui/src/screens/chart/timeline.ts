import { api, patientPath } from '../../api.ts';
import { h } from '../../dom.ts';
import { isMessageKey } from '../../i18n/i18n.ts';
import { fmt, t } from '../../i18n/locale.ts';
import type { TimelineEvent } from '../../model.ts';
import { unitLabel, vitalLabel, vitalValue } from '../../vitalLabels.ts';
import { chartSection, listOrNone } from './section.ts';
import { groupedTimeline, type ReadingsGroup } from './timelineGroups.ts';

/** One line of detail for the events a nurse reads most; the type and who say the rest. */
function detailOf(event: TimelineEvent): string {
  const data = event.data;
  switch (event.eventType) {
    case 'vital_signs_recorded':
      return Object.entries(data)
        .filter(([, value]) => typeof value === 'object' && value !== null && 'value' in value)
        .map(([name, value]) => {
          const quantity = value as { value: number; unit: string };
          return `${vitalLabel(name)} ${vitalValue(quantity.value, name)} ${unitLabel(quantity.unit)}`;
        })
        .join(' · ');
    case 'patient_admitted':
    case 'encounter_created':
      return [data.ward, data.bed].filter(Boolean).join(' · ');
    case 'patient_transferred':
      return [data.toWard, data.toBed].filter(Boolean).join(' · ');
    case 'critical_value_detected':
      // A flag-raised lab alert may carry text ("POSITIVE") and the flag instead of a number.
      return [
        vitalLabel(String(data.parameter)),
        typeof data.value === 'number' ? vitalValue(data.value, String(data.parameter)) : data.valueText,
        data.flag,
      ]
        .filter(Boolean)
        .join(' ');
    case 'diagnosis_added':
      return [data.code, data.display].filter(Boolean).join(' ');
    case 'medication_prescribed':
    case 'medication_administered':
      return String(data.drugName ?? '');
    case 'lab_result_available':
      return `${data.testName ?? ''} ${data.value ?? ''}`;
    default:
      return '';
  }
}

/** One event as a line: when, what, the detail a nurse reads most, and who. */
function eventItem(event: TimelineEvent): HTMLElement {
  const key = `event.${event.eventType}`;
  const detail = detailOf(event);
  return h(
    'li',
    { data: { eventType: event.eventType } },
    h('time', { text: fmt.dateTime(event.timestamp), attrs: { datetime: event.timestamp } }),
    ' ',
    h('strong', { text: isMessageKey(key) ? t(key) : event.eventType }),
    detail ? ` · ${detail}` : '',
    event.userName ? h('small', { text: ` · ${t('timeline.by', { name: event.userName })}` }) : null,
  );
}

/**
 * A monitor's readings of one hour as one entry that opens to list them: a
 * native details element, so Enter or Space on its summary opens it with the
 * keyboard and a screen reader says whether it is open.
 */
function readingsItem(group: ReadingsGroup): HTMLElement {
  const newest = group.events[0]!;
  const end = new Date(Date.parse(group.hour) + 3_600_000).toISOString();
  return h(
    'li',
    { class: 'timeline__group', data: { eventType: 'vital_signs_group', deviceId: group.deviceId } },
    h(
      'details',
      {},
      h(
        'summary',
        {},
        h('time', { text: fmt.dateTime(newest.timestamp), attrs: { datetime: newest.timestamp } }),
        ' ',
        h('strong', { text: t('event.vital_signs_recorded') }),
        ` · ${t('timeline.readings', {
          count: group.events.length,
          device: group.deviceId,
          from: fmt.clock(group.hour),
          to: fmt.clock(end),
        })}`,
      ),
      h('ul', { class: 'record-list' }, ...group.events.map(eventItem)),
    ),
  );
}

/**
 * The patient's events from the log, newest first, with who did what and
 * when; a monitor's consecutive readings of an hour are one entry
 * (timelineGroups.ts), so what people did stands out between them.
 */
export function timelineSection(patientId: string): HTMLElement {
  return chartSection('timeline', 'timeline.title', async (body) => {
    const { events } = await api.get<{ events: TimelineEvent[] }>(
      patientPath(patientId, '/timeline?limit=100'),
    );
    body.replaceChildren(
      listOrNone(
        groupedTimeline(events).map((entry) =>
          entry.kind === 'readings' ? readingsItem(entry) : eventItem(entry.event),
        ),
        'timeline.none',
      ),
    );
  });
}
