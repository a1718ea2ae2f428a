import { describe, expect, it } from 'vitest';
import { flowsheetGrid } from '../../../gateway/flowsheet/flowsheetGrid.ts';
import type { BucketRow } from '../../../gateway/trends/trendQuery.ts';

const from = new Date('2026-12-07T08:00:00.000Z');
const HOUR = 3600;
const row = (
  bucket: number,
  method: 'device' | 'manual',
  parameter: string,
  min: number,
  max: number,
  last: number,
  count = 1,
): BucketRow => ({ bucket, method, parameter, min, max, last, count });

describe('the flowsheet grid', () => {
  it('has one column per interval, empty ones included, oldest first', () => {
    const grid = flowsheetGrid([], [], from, HOUR, 4);
    expect(grid.columns).toEqual([
      '2026-12-07T08:00:00.000Z',
      '2026-12-07T09:00:00.000Z',
      '2026-12-07T10:00:00.000Z',
      '2026-12-07T11:00:00.000Z',
    ]);
    expect(grid.measured.oxygenSaturation).toEqual([]);
    expect(grid.news2).toEqual([]);
  });

  it('charts the interval’s latest reading, not its worst, and keeps the extremes beside it', () => {
    // A probe slipping off gave one 84 % in an hour that ended at 96 %.
    const grid = flowsheetGrid([row(1, 'device', 'oxygenSaturation', 84, 98, 96, 3600)], [], from, HOUR, 2);
    expect(grid.measured.oxygenSaturation).toEqual([
      { t: '2026-12-07T09:00:00.000Z', value: 96, method: 'device', min: 84, max: 98, count: 3600, score: 0 },
    ]);
  });

  it('charts the nurse’s hand-entered reading over the monitor’s in the same interval', () => {
    const grid = flowsheetGrid(
      [row(0, 'device', 'respiratoryRate', 14, 18, 16, 60), row(0, 'manual', 'respiratoryRate', 26, 26, 26)],
      [],
      from,
      HOUR,
      1,
    );
    expect(grid.measured.respiratoryRate).toEqual([
      { t: '2026-12-07T08:00:00.000Z', value: 26, method: 'manual', min: 14, max: 26, count: 61, score: 3 },
    ]);
  });

  it('scores each charted value on the NEWS2 chart, and leaves diastolic pressure unscored', () => {
    const grid = flowsheetGrid(
      [
        row(0, 'device', 'heartRate', 131, 131, 131),
        row(0, 'device', 'temperature', 38.1, 38.1, 38.1),
        row(0, 'device', 'systolicBloodPressure', 90, 90, 90),
        row(0, 'device', 'diastolicBloodPressure', 50, 50, 50),
      ],
      [],
      from,
      HOUR,
      1,
    );
    expect(grid.measured.heartRate[0]?.score).toBe(3);
    expect(grid.measured.temperature[0]?.score).toBe(1);
    expect(grid.measured.systolicBloodPressure[0]?.score).toBe(3);
    expect(grid.measured.diastolicBloodPressure[0]).not.toHaveProperty('score');
  });

  it('shows air or oxygen and ACVPU as entered, with their scores, and totals NEWS2 per interval', () => {
    const grid = flowsheetGrid(
      [row(0, 'device', 'oxygenSaturation', 95, 95, 95), row(2, 'device', 'oxygenSaturation', 91, 91, 91)],
      [{ bucket: 0, supplementalOxygen: 1, consciousness: 'C' }],
      from,
      HOUR,
      3,
    );
    expect(grid.entered.supplementalOxygen).toEqual([
      { t: '2026-12-07T08:00:00.000Z', value: 'oxygen', score: 2 },
    ]);
    expect(grid.entered.consciousness).toEqual([{ t: '2026-12-07T08:00:00.000Z', value: 'C', score: 3 }]);
    // 08:00: SpO2 95 % (1) + oxygen (2) + new confusion (3) = 6; 10:00: SpO2 91 % (3) with the rest carried = 8.
    expect(grid.news2.map(({ t, total, band }) => ({ t, total, band }))).toEqual([
      { t: '2026-12-07T08:00:00.000Z', total: 6, band: 'medium' },
      { t: '2026-12-07T10:00:00.000Z', total: 8, band: 'high' },
    ]);
  });
});
