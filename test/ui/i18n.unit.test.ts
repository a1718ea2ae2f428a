import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import ar from '../../ui/src/i18n/ar.json' with { type: 'json' };
import en from '../../ui/src/i18n/en.json' with { type: 'json' };
import { eventCatalogue } from '../../kernel/events/catalogue.ts';
import { formatNumber, textDirection, translate } from '../../ui/src/i18n/i18n.ts';

const source = fileURLToPath(new URL('../../ui/src/', import.meta.url));
const codeFiles = (folder: string): string[] =>
  readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? codeFiles(join(folder, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(folder, entry.name)]
        : [],
  );
const code = codeFiles(source).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
/** The same in both languages on purpose: each language's own name on the switch. */
const sameInBoth = new Set(['language.ar', 'language.en']);

describe('the screen’s strings in Arabic and English', () => {
  it('has the same keys in both catalogues, none empty, with the same placeholders', () => {
    expect(Object.keys(ar).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(en)) {
      const arabic = ar[key as keyof typeof ar];
      expect(value.trim(), key).not.toBe('');
      expect(arabic.trim(), key).not.toBe('');
      expect(placeholders(arabic), key).toEqual(placeholders(value));
    }
  });

  it('has every Arabic string translated: different from the English and written in Arabic script', () => {
    for (const [key, value] of Object.entries(en)) {
      if (sameInBoth.has(key)) continue;
      const arabic = ar[key as keyof typeof ar];
      expect(arabic, key).not.toBe(value);
      expect(arabic, key).toMatch(/[\u0600-\u06FF]/);
    }
  });

  it('has a catalogue entry for every key the code asks for', () => {
    const keyCall =
      /\b(?:t|field|button|translate\(\w+,)\(\s*'([a-zA-Z]+\.[a-zA-Z0-9_.]+)'|(?:chartSection\([^,]+,|listOrNone\([^']*,)\s*'([a-zA-Z]+\.[a-zA-Z0-9_.]+)'/g;
    const used = new Set<string>();
    for (const { text } of code)
      for (const match of text.matchAll(keyCall)) used.add((match[1] ?? match[2])!);
    // Keys given as literals elsewhere (tables of keys, `as const` tuples).
    for (const { text } of code)
      for (const match of text.matchAll(/'((?:[a-z]+)\.[a-zA-Z]+)'/g))
        if (
          /^(alert|alerts|board|devices|encounter|error|nav|patients|register|sync|vital|unit|live|alarm|login|reveal|medication|diagnosis|lab|timeline|vitals|chart|form|language|storage|app)\./.test(
            match[1]!,
          )
        )
          used.add(match[1]!);
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((key) => !(key in en));
    expect(missing).toEqual([]);
    // Keys built from a value (`sex.${patient.sex}`): the family exists in the catalogue.
    for (const { text } of code)
      for (const match of text.matchAll(/`([a-zA-Z]+(?:\.[a-zA-Z]+)*)\.\$\{/g))
        expect(
          Object.keys(en).some((key) => key.startsWith(`${match[1]}.`)),
          match[1],
        ).toBe(true);
  });

  it('names every event type of the catalogue, so a timeline never shows a raw event type', () => {
    const unnamed = [...eventCatalogue.keys()].filter((eventType) => !(`event.${eventType}` in en));
    expect(unnamed).toEqual([]);
  });

  it('puts no fixed English words on screen outside the catalogues', () => {
    const literalText = /(?:\btext:\s*|textContent\s*=\s*|\bt\s*=\s*)'([^']*[A-Za-z]{3,}[^']*)'/g;
    const found = code.flatMap(({ file, text }) =>
      [...text.matchAll(literalText)].map((match) => `${file.slice(source.length)}: ${match[1]}`),
    );
    expect(found).toEqual([]);
  });

  it('writes numbers in Eastern Arabic digits for Arabic and Western digits for English, and sets the direction', () => {
    expect(formatNumber('ar', 97, 0)).toBe('٩٧');
    expect(formatNumber('ar', 36.8)).toBe('٣٦٫٨');
    expect(formatNumber('en', 36.8)).toBe('36.8');
    expect(translate('ar', 'board.bed', { bed: 'A1' })).toBe('سرير A1');
    expect(translate('ar', 'sync.events', { count: 120 })).toBe('١٢٠ حدث');
    expect(translate('en', 'sync.events', { count: 120 })).toBe('120 events');
    expect(textDirection('ar')).toBe('rtl');
    expect(textDirection('en')).toBe('ltr');
  });
});
