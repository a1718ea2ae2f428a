import {
  formatAge,
  formatClock,
  formatDate,
  formatDateTime,
  formatNumber,
  type Locale,
  type MessageKey,
  type MessageParams,
  textDirection,
  translate,
} from './i18n.ts';

/** The language chosen on this browser, remembered across visits. */
const storageKey = 'nilecare.locale';
let current: Locale = readStoredLocale();
const listeners: (() => void)[] = [];

function readStoredLocale(): Locale {
  try {
    const stored = localStorage.getItem(storageKey);
    if (stored === 'ar' || stored === 'en') return stored;
  } catch {
    // Storage refused (private mode): fall back to the browser's language.
  }
  return navigator.language.toLowerCase().startsWith('ar') ? 'ar' : 'en';
}

export function locale(): Locale {
  return current;
}

export function t(key: MessageKey, params?: MessageParams): string {
  return translate(current, key, params);
}

export const fmt = {
  number: (value: number, digits = 1) => formatNumber(current, value, digits),
  dateTime: (iso: string) => formatDateTime(current, iso),
  time: (iso: string) => formatDateTime(current, iso, false),
  clock: (iso: string) => formatClock(current, iso),
  date: (iso: string) => formatDate(current, iso),
  age: (seconds: number) => formatAge(current, seconds),
};

/** Sets lang and dir on <html>: the whole layout mirrors for Arabic through logical CSS properties. */
export function applyLocaleToDocument(): void {
  document.documentElement.lang = current;
  document.documentElement.dir = textDirection(current);
  document.title = t('app.title');
}

export function setLocale(next: Locale): void {
  if (next === current) return;
  current = next;
  try {
    localStorage.setItem(storageKey, next);
  } catch {
    // Not remembered, but switched.
  }
  applyLocaleToDocument();
  for (const listener of listeners) listener();
}

export function onLocaleChange(listener: () => void): void {
  listeners.push(listener);
}
