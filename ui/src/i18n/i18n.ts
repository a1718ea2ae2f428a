import ar from './ar.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };

/** The screen's two languages: Arabic (right to left, Eastern Arabic numerals) and English. */
export type Locale = 'en' | 'ar';
export const locales: readonly Locale[] = ['en', 'ar'];

/** Every string the screen shows has a key in en.json; ar.json must have the same keys (a unit test checks). */
export type MessageKey = keyof typeof en;
export type MessageParams = Record<string, string | number>;

export const catalogues: Record<Locale, Record<MessageKey, string>> = { en, ar };

/**
 * The Intl locale: Sudanese Arabic with Arabic-Indic digits (٠١٢٣…), as the
 * clinic prefers, or British English (day before month, 24-hour clock).
 */
export function intlLocale(locale: Locale): string {
  return locale === 'ar' ? 'ar-SD-u-nu-arab' : 'en-GB';
}

export function textDirection(locale: Locale): 'rtl' | 'ltr' {
  return locale === 'ar' ? 'rtl' : 'ltr';
}

export function formatNumber(locale: Locale, value: number, maximumFractionDigits = 1): string {
  return new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits, useGrouping: false }).format(
    value,
  );
}

/** A gateway timestamp as the clinic reads it, in the browser's time zone (the clinic's). */
export function formatDateTime(locale: Locale, iso: string, withDate = true): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(locale), {
    ...(withDate ? { year: 'numeric', month: 'short', day: 'numeric' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    second: withDate ? undefined : '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

/** Hours and minutes only ("13:00"), for the columns of a grid. */
export function formatClock(locale: Locale, iso: string): string {
  return new Intl.DateTimeFormat(intlLocale(locale), {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

export function formatDate(locale: Locale, isoDate: string): string {
  const date = new Date(`${isoDate.slice(0, 10)}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return new Intl.DateTimeFormat(intlLocale(locale), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

/** "3 minutes ago" and the like, in the locale's words and digits. */
export function formatAge(locale: Locale, seconds: number): string {
  const format = new Intl.RelativeTimeFormat(intlLocale(locale), { numeric: 'auto', style: 'short' });
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return format.format(-s, 'second');
  if (s < 3600) return format.format(-Math.floor(s / 60), 'minute');
  if (s < 86_400) return format.format(-Math.floor(s / 3600), 'hour');
  return format.format(-Math.floor(s / 86_400), 'day');
}

/**
 * The message for `key` with `{name}` placeholders filled; numbers are
 * written in the locale's digits. A key missing from a catalogue (impossible
 * once the unit test passes) shows the English text rather than nothing.
 */
export function translate(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  const template = catalogues[locale][key] ?? catalogues.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(locale, value) : value;
  });
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(catalogues.en, key);
}
