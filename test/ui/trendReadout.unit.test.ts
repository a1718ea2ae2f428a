import { describe, expect, it } from 'vitest';
import { formatNumber, translate } from '../../ui/src/i18n/i18n.ts';
import { clockText, timeAxisLabels, valueAxisLabels } from '../../ui/src/screens/chart/trends/trendAxis.ts';
import type { PanelData } from '../../ui/src/screens/chart/trends/trendData.ts';
import { type ReadoutWords, readoutAt } from '../../ui/src/screens/chart/trends/trendReadout.ts';

const englishWords: ReadoutWords = {
  t: (key, params) => translate('en', key, params),
  value: (value) => formatNumber('en', value, 0),
  time: (seconds) => `t${seconds}`,
  name: (parameter) => (parameter === 'oxygenSaturation' ? 'SpO₂' : parameter),
};

const spo2: PanelData = {
  times: [0, 60, 120, 180],
  lines: [
    {
      parameter: 'oxygenSaturation',
      max: [97, null, 94, null],
      min: [95, null, 94, null],
      last: [96, null, 94, null],
      manual: [null, null, 93, null],
    },
  ],
  alerts: [],
  from: 0,
  to: 240,
};

describe('the trend chart’s readout of the value under the cursor', () => {
  it('says the latest reading when no cursor is on the chart', () => {
    expect(readoutAt(spo2, null, englishWords)).toBe('Latest, t120: SpO₂ 94 · by hand 93');
  });

  it('says a bucket’s latest value with its lowest and highest', () => {
    expect(readoutAt(spo2, 0, englishWords)).toBe('t0: SpO₂ 96 (95–97)');
  });

  it('says a gap is a gap rather than borrowing a neighbour’s value', () => {
    expect(readoutAt(spo2, 1, englishWords)).toBe('t60: SpO₂ no reading');
  });

  it('says NEWS2 from incomplete observations as the least it can be', () => {
    const news2: PanelData = {
      ...spo2,
      lines: [],
      news2: { total: [2, 5, null, null], complete: [true, false, null, null] },
    };
    expect(readoutAt(news2, 0, englishWords)).toBe('t0: NEWS2 2');
    expect(readoutAt(news2, 1, englishWords)).toBe('t60: NEWS2 ≥ 5');
  });

  it('says so when the window has no reading at all', () => {
    const empty: PanelData = {
      ...spo2,
      lines: [
        {
          ...spo2.lines[0]!,
          max: [null, null, null, null],
          min: [null, null, null, null],
          last: [null, null, null, null],
          manual: [null, null, null, null],
        },
      ],
    };
    expect(readoutAt(empty, null, englishWords)).toBe('No readings in this window.');
  });
});

describe('the trend chart’s axes in the language’s digits', () => {
  const noon = Date.parse('2026-11-26T12:00:00Z') / 1000;

  it('writes the time axis in Eastern Arabic digits for Arabic and Western digits for English', () => {
    const [arabic] = timeAxisLabels('ar', [noon]);
    const [english] = timeAxisLabels('en', [noon]);
    expect(arabic).toMatch(/^[٠-٩]{2}:[٠-٩]{2}\n/);
    expect(english).toMatch(/^\d\d:\d\d\n/);
  });

  it('puts the date only under the first label of each day', () => {
    const labels = timeAxisLabels('en', [noon, noon + 3600, noon + 86_400]);
    expect(labels.map((label) => label.includes('\n'))).toEqual([true, false, true]);
  });

  it('writes values to the vital sign’s decimals, temperature to a tenth', () => {
    expect(valueAxisLabels('ar', [36.5, 90], 1)).toEqual(['٣٦٫٥', '٩٠']);
    expect(valueAxisLabels('en', [36.5, 90], 1)).toEqual(['36.5', '90']);
  });

  it('adds the day to the readout’s time only when the window spans days', () => {
    expect(clockText('en', noon, false)).toMatch(/^\d\d:\d\d$/);
    expect(clockText('en', noon, true)).toMatch(/Nov/);
  });
});
