import { api, patientPath } from '../../api.ts';
import { h } from '../../dom.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { fmt, t } from '../../i18n/locale.ts';
import type { LabResult } from '../../model.ts';
import { chartSection, listOrNone } from './section.ts';

/** HL7 v2 table 0078 abnormal flags (kernel/events/schemas/lab.ts) as words; LL, HH and AA are critical. */
const flagWords: Record<string, MessageKey> = {
  L: 'lab.flag.low',
  H: 'lab.flag.high',
  LL: 'lab.flag.criticalLow',
  HH: 'lab.flag.criticalHigh',
  '<': 'lab.flag.belowRange',
  '>': 'lab.flag.aboveRange',
  A: 'lab.flag.abnormal',
  AA: 'lab.flag.criticalAbnormal',
};
const criticalFlags = new Set(['LL', 'HH', 'AA']);

/** How much a result should catch the eye: critical, abnormal, or neither (N or no flag). */
export function labMarking(flags: readonly string[] = []): 'critical' | 'abnormal' | 'normal' {
  if (flags.some((flag) => criticalFlags.has(flag))) return 'critical';
  return flags.some((flag) => flag in flagWords) ? 'abnormal' : 'normal';
}

function rangeText(range: LabResult['referenceRange']): string {
  if (!range) return '';
  if (range.low !== undefined && range.high !== undefined)
    return t('lab.range', { range: `${fmt.number(range.low, 2)}–${fmt.number(range.high, 2)}` });
  if (range.text) return t('lab.range', { range: range.text });
  if (range.low !== undefined) return t('lab.range', { range: `≥ ${fmt.number(range.low, 2)}` });
  return range.high !== undefined ? t('lab.range', { range: `≤ ${fmt.number(range.high, 2)}` }) : '';
}

/** Each lab_result_available for the patient, its flags in words, critical ones marked as such. */
export function labResultsSection(patientId: string): HTMLElement {
  return chartSection('lab-results', 'lab.title', async (body) => {
    const { results } = await api.get<{ results: LabResult[] }>(patientPath(patientId, '/lab-results'));
    body.replaceChildren(
      listOrNone(
        results.map((r) => {
          const marking = labMarking(r.flags);
          const words = (r.flags ?? []).flatMap((flag) => (flagWords[flag] ? [t(flagWords[flag])] : []));
          const range = rangeText(r.referenceRange);
          return h(
            'li',
            { class: `lab lab--${marking}`, data: { resultId: r.resultId, marking } },
            h('strong', { text: r.testName }),
            ` ${r.comparator ?? ''}${typeof r.value === 'number' ? fmt.number(r.value, 2) : r.value}${r.unit ? ` ${r.unit}` : ''}`,
            words.length
              ? h('span', {
                  class: 'flag',
                  text: ` ${marking === 'critical' ? `${t('lab.critical')}: ` : ''}${words.join(', ')}`,
                })
              : null,
            h('small', {
              text: ` · ${range ? `${range} · ` : ''}${t(`lab.status.${r.resultStatus}` as MessageKey)} · ${fmt.dateTime(r.reportedAt)}`,
            }),
          );
        }),
        'lab.none',
      ),
    );
  });
}
