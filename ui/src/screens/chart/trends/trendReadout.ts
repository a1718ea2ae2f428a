import type { MessageKey, MessageParams } from '../../../i18n/i18n.ts';
import { bucketsWithData, latestOf, type PanelData, type TrendLine } from './trendData.ts';

/** The words and numbers of the screen's language, given by the caller (ui/src/i18n/locale.ts on the screen). */
export interface ReadoutWords {
  t(key: MessageKey, params?: MessageParams): string;
  /** A vital sign's value to its usual decimals. */
  value(value: number, parameter: string): string;
  /** A bucket's start (seconds since the epoch). */
  time(seconds: number): string;
  /** A vital sign's short name. */
  name(parameter: string): string;
}

function lineAt(line: TrendLine, index: number, words: ReadoutWords): string {
  const say = (value: number) => words.value(value, line.parameter);
  const last = line.last[index] ?? null;
  const min = line.min[index] ?? null;
  const max = line.max[index] ?? null;
  const manual = line.manual[index] ?? null;
  const parts: string[] = [];
  if (last !== null)
    parts.push(
      min !== null && max !== null && min !== max
        ? words.t('trends.valueWithRange', { value: say(last), min: say(min), max: say(max) })
        : say(last),
    );
  if (manual !== null) parts.push(words.t('trends.byHandValue', { value: say(manual) }));
  return `${words.name(line.parameter)} ${parts.length ? parts.join(' · ') : words.t('trends.gap')}`;
}

/**
 * What the chart shows at the cursor's bucket, in words (docs/ui.md#trends):
 * each line's latest value with the bucket's lowest and highest, the value
 * entered by hand, "no reading" in a gap, NEWS2 as "≥" when incomplete. With
 * no cursor, the latest bucket with a reading.
 */
export function readoutAt(data: PanelData, cursorIndex: number | null, words: ReadoutWords): string {
  const latest = latestOf(bucketsWithData(data).map((has) => (has ? 1 : null)));
  const index = cursorIndex ?? latest?.index;
  const time = index === undefined ? undefined : data.times[index];
  if (index === undefined || time === undefined) return words.t('trends.noReadings');
  let values: string;
  if (data.news2) {
    const total = data.news2.total[index] ?? null;
    const shown = total === null ? '' : words.value(total, 'news2');
    values =
      total === null
        ? `${words.t('news2.label')} ${words.t('trends.gap')}`
        : words.t('news2.score', {
            total: data.news2.complete[index] ? shown : words.t('news2.atLeast', { total: shown }),
          });
  } else values = data.lines.map((line) => lineAt(line, index, words)).join('; ');
  return words.t(cursorIndex === null ? 'trends.latest' : 'trends.at', {
    time: words.time(time),
    values,
  });
}
