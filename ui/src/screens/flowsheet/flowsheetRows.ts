import type { Flowsheet } from '../../model.ts';

/** The rows of the grid in the NEWS2 chart's order (RCP 2017 chart 1), diastolic beside systolic, the total last. */
export const flowsheetRowOrder = [
  'respiratoryRate',
  'oxygenSaturation',
  'supplementalOxygen',
  'systolicBloodPressure',
  'diastolicBloodPressure',
  'heartRate',
  'consciousness',
  'temperature',
  'news2',
] as const;
export type FlowsheetRowName = (typeof flowsheetRowOrder)[number];

/** One cell as drawn: what it says, its colour key (a NEWS2 score 0-3 or a band), and detail for the title. */
export interface FlowsheetCell {
  value: number | string;
  /** NEWS2 parameter score of the value; for the total row, the band. */
  colour?: number | string;
  manual?: boolean;
  range?: { min: number; max: number; count: number };
  /** For the total row: incomplete scores are a least value. */
  incomplete?: boolean;
}

/** Each row's cells keyed by column index; a column without an observation has no cell (a gap, not a zero). */
export function flowsheetRows(sheet: Flowsheet): Record<FlowsheetRowName, (FlowsheetCell | undefined)[]> {
  const column = new Map(sheet.columns.map((t, index) => [Date.parse(t), index]));
  const empty = () => sheet.columns.map((): FlowsheetCell | undefined => undefined);
  const rows = Object.fromEntries(flowsheetRowOrder.map((name) => [name, empty()])) as Record<
    FlowsheetRowName,
    (FlowsheetCell | undefined)[]
  >;
  const place = (name: FlowsheetRowName, t: string, cell: FlowsheetCell) => {
    const index = column.get(Date.parse(t));
    if (index !== undefined) rows[name][index] = cell;
  };
  for (const [name, cells] of Object.entries(sheet.measured) as [
    FlowsheetRowName,
    Flowsheet['measured']['heartRate'],
  ][])
    for (const { t, value, method, min, max, count, score } of cells)
      place(name, t, { value, colour: score, manual: method === 'manual', range: { min, max, count } });
  for (const name of ['supplementalOxygen', 'consciousness'] as const)
    for (const { t, value, score } of sheet.entered[name])
      place(name, t, { value, colour: score, manual: true });
  for (const { t, total, band, complete } of sheet.news2)
    place('news2', t, { value: total, colour: band, incomplete: !complete });
  return rows;
}
