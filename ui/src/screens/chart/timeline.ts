import { api, patientPath } from '../../api.ts';
import { h } from '../../dom.ts';
import { isMessageKey } from '../../i18n/i18n.ts';
import { fmt, t } from '../../i18n/locale.ts';
import type { TimelineEvent } from '../../model.ts';
import { unitLabel, vitalLabel, vitalValue } from '../../vitalLabels.ts';
import { chartSection, listOrNone } from './section.ts';

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

/** The patient's events from the log, newest first, with who did what and when. */
export function timelineSection(patientId: string): HTMLElement {
  return chartSection('timeline', 'timeline.title', async (body) => {
    const { events } = await api.get<{ events: TimelineEvent[] }>(
      patientPath(patientId, '/timeline?limit=100'),
    );
    body.replaceChildren(
      listOrNone(
        events.map((event) => {
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
        }),
        'timeline.none',
      ),
    );
  });
}
