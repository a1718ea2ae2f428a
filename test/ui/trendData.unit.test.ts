import { describe, expect, it } from 'vitest';
import type { VitalsTrend } from '../../ui/src/model.ts';
import {
  bucketTimes,
  bucketsWithData,
  isolatedIndices,
  latestOf,
  panelData,
  seriesValues,
} from '../../ui/src/screens/chart/trends/trendData.ts';
import { trendPanels } from '../../ui/src/screens/chart/trends/trendPanels.ts';

const noReadings = { device: [], manual: [] };
const point = (t: string, min: number, max: number, last: number) => ({ t, min, max, last, count: 2 });
const seconds = (iso: string) => Date.parse(iso) / 1000;

/** A 10-minute window of 1-minute buckets from 08:00, SpO2 from the monitor at 08:01, 08:02 and 08:05 and once by hand at 08:03. */
const trend: VitalsTrend = {
  patientId: 'p1',
  window: '1h',
  from: '2026-11-26T08:00:00.000Z',
  to: '2026-11-26T08:10:00.000Z',
  bucketSeconds: 60,
  parameters: {
    oxygenSaturation: {
      device: [
        point('2026-11-26T08:01:00.000Z', 95, 97, 96),
        point('2026-11-26T08:02:00.000Z', 90, 94, 90),
        point('2026-11-26T08:05:00.000Z', 88, 88, 88),
      ],
      manual: [point('2026-11-26T08:03:00.000Z', 91, 91, 91)],
    },
    heartRate: noReadings,
    respiratoryRate: noReadings,
    systolicBloodPressure: { device: [point('2026-11-26T08:04:00.000Z', 120, 124, 122)], manual: [] },
    diastolicBloodPressure: { device: [point('2026-11-26T08:04:00.000Z', 70, 80, 75)], manual: [] },
    temperature: noReadings,
  },
  news2: [
    { t: '2026-11-26T08:01:00.000Z', total: 0, band: 'low', complete: false, missing: ['temperature'] },
    { t: '2026-11-26T08:02:00.000Z', total: 3, band: 'lowMedium', complete: true, missing: [] },
  ],
  alerts: [
    {
      alertId: 'a-spo2',
      parameter: 'oxygenSaturation',
      priority: 'high',
      value: 90,
      raisedAt: '2026-11-26T08:02:10.000Z',
      status: 'active',
    },
    // Raised before the window and still open: not marked inside it.
    {
      alertId: 'a-old',
      parameter: 'oxygenSaturation',
      priority: 'medium',
      raisedAt: '2026-11-26T07:30:00.000Z',
      status: 'acknowledged',
    },
    {
      alertId: 'a-pulse',
      parameter: 'heartRate',
      priority: 'medium',
      raisedAt: '2026-11-26T08:06:00.000Z',
      status: 'resolved',
      resolvedAt: '2026-11-26T08:07:00.000Z',
    },
  ],
};

const panel = (id: string) => trendPanels.find((candidate) => candidate.id === id)!;

describe('the trend reply laid out for a chart', () => {
  it('has one x value per bucket of the window, readings or not', () => {
    const times = bucketTimes(trend);
    expect(times).toHaveLength(10);
    expect(times[0]).toBe(seconds('2026-11-26T08:00:00Z'));
    expect(times[9]).toBe(seconds('2026-11-26T08:09:00Z'));
  });

  it('leaves a bucket without a reading null, so the line breaks there instead of joining across', () => {
    const [spo2] = panelData(trend, panel('oxygenSaturation')).lines;
    expect(spo2?.last).toEqual([null, 96, 90, null, null, 88, null, null, null, null]);
    expect(spo2?.min).toEqual([null, 95, 90, null, null, 88, null, null, null, null]);
    expect(spo2?.max).toEqual([null, 97, 94, null, null, 88, null, null, null, null]);
  });

  it('keeps readings entered by hand apart from the monitor’s', () => {
    const [spo2] = panelData(trend, panel('oxygenSaturation')).lines;
    expect(spo2?.manual).toEqual([null, null, null, 91, null, null, null, null, null, null]);
    expect(spo2?.last[3]).toBeNull();
  });

  it('draws systolic and diastolic on the blood-pressure panel, in uPlot’s series order', () => {
    const data = panelData(trend, panel('bloodPressure'));
    expect(data.lines.map((line) => line.parameter)).toEqual([
      'systolicBloodPressure',
      'diastolicBloodPressure',
    ]);
    const series = seriesValues(data);
    expect(series).toHaveLength(8);
    expect(series.map((values) => values[4])).toEqual([124, 120, 122, null, 80, 70, 75, null]);
  });

  it('marks the alerts of the panel’s vital signs raised inside the window, at their time', () => {
    expect(panelData(trend, panel('oxygenSaturation')).alerts).toEqual([
      {
        alertId: 'a-spo2',
        at: seconds('2026-11-26T08:02:10Z'),
        parameter: 'oxygenSaturation',
        priority: 'high',
        value: 90,
      },
    ]);
    expect(panelData(trend, panel('heartRate')).alerts.map((mark) => mark.alertId)).toEqual(['a-pulse']);
    expect(panelData(trend, panel('temperature')).alerts).toEqual([]);
  });

  it('gives the NEWS2 panel each bucket’s total and whether the observations were complete', () => {
    const data = panelData(trend, panel('news2'));
    expect(data.news2?.total.slice(0, 4)).toEqual([null, 0, 3, null]);
    expect(data.news2?.complete.slice(0, 4)).toEqual([null, false, true, null]);
    expect(seriesValues(data)).toEqual([data.news2?.total]);
  });

  it('finds the latest value and the buckets with anything to show', () => {
    const data = panelData(trend, panel('oxygenSaturation'));
    expect(latestOf(data.lines[0]!.last)).toEqual({ index: 5, value: 88 });
    expect(latestOf([null, null])).toBeUndefined();
    expect(bucketsWithData(data)).toEqual([false, true, true, true, false, true, false, false, false, false]);
  });

  it('draws as a dot only a reading with no neighbour, which a line cannot show', () => {
    expect(isolatedIndices([null, 96, 90, null, null, 88, null])).toEqual([5]);
    expect(isolatedIndices([88, null, 90, 91])).toEqual([0]);
    expect(isolatedIndices([null, null])).toEqual([]);
  });
});
