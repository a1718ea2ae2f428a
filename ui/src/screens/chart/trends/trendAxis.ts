import { formatNumber, intlLocale, type Locale } from '../../../i18n/i18n.ts';

/**
 * The time axis's labels in the language's digits: the clock time, with the
 * date under the first label of each day (a 24 h or 72 h window crosses
 * midnight), in the browser's time zone (the clinic's). `splits` are seconds.
 */
export function timeAxisLabels(locale: Locale, splits: readonly number[]): string[] {
  const clock = new Intl.DateTimeFormat(intlLocale(locale), {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const day = new Intl.DateTimeFormat(intlLocale(locale), { day: 'numeric', month: 'short' });
  let previousDay = '';
  return splits.map((split) => {
    const date = new Date(split * 1000);
    const thisDay = day.format(date);
    const label = thisDay === previousDay ? clock.format(date) : `${clock.format(date)}\n${thisDay}`;
    previousDay = thisDay;
    return label;
  });
}

/** A value axis's labels in the language's digits, to the decimals of the vital sign (temperature to a tenth). */
export function valueAxisLabels(locale: Locale, splits: readonly number[], decimals: number): string[] {
  return splits.map((split) => formatNumber(locale, split, decimals));
}

/** A bucket's time as the readout says it: the clock time, and the day too when the window spans days. */
export function clockText(locale: Locale, seconds: number, withDay: boolean): string {
  return new Intl.DateTimeFormat(intlLocale(locale), {
    ...(withDay ? { day: 'numeric', month: 'short' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(seconds * 1000));
}
